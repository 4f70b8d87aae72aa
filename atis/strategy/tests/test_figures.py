"""Implementation figures, evaluation and carry-over on a scene with known answers.

Four activities: 1.1.1 and 2.1.1 (ITM), 1.1.2 and 1.2.1 (police). In the first round the
coordinator accepts: 1.1.1 completed (10 of 10), 1.1.2 delayed (funding), 2.1.1 in progress
(5 of 10). 1.2.1's report is submitted but not accepted, so it counts as not reported.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from atis.accounts.services import user_create_by_system
from atis.library.models import Document, DocumentStatus
from atis.strategy import selectors, services
from atis.strategy.models import Activity, EvaluationStatus
from atis.strategy.tests.helpers import (
    ITM,
    POLICE,
    open_round,
    organisation,
    plan_activity,
    reported,
    strategy_in_force,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(personas):  # type: ignore[no-untyped-def]
    coordinator = personas["coordinator"].user
    police_reporter = user_create_by_system(
        username="police_reporter",
        first_name="P",
        last_name="R",
        email="p@example.org",
        password="Correct-horse-battery-77",
        organisation=organisation(POLICE),
        role="strategy_reporter",
    )
    reporter = personas["reporter"].user
    strategy = strategy_in_force(
        coordinator,
        [
            plan_activity("1.1.1", ITM),
            plan_activity("1.1.2", POLICE),
            plan_activity("1.2.1", POLICE, specific="OS1.2"),
            plan_activity("2.1.1", ITM, general="OG2", specific="OS2.1"),
        ],
    )
    round_ = open_round(coordinator, strategy)
    steps: list[tuple[Any, str, str, dict[str, Any]]] = [
        (reporter, "1.1.1", "completed", {"value": 10}),
        (police_reporter, "1.1.2", "delayed", {"difficulties": "Fără fonduri", "difficulty_kind": "funding"}),
        (reporter, "2.1.1", "in_progress", {"value": 5}),
    ]
    for who, code, status, kwargs in steps:
        services.report_accept(actor=coordinator, report=reported(who, round_, code, status, **kwargs))
    reported(police_reporter, round_, "1.2.1", "completed", value=10)
    return coordinator, reporter, strategy, round_


def test_the_shares_by_objective_and_institution(scene) -> None:  # type: ignore[no-untyped-def]
    coordinator, _reporter, strategy, round_ = scene
    figures = selectors.implementation(coordinator, strategy, round_)
    assert figures.overall.counts == {
        "not_started": 0,
        "in_progress": 1,
        "completed": 1,
        "delayed": 1,
        "cancelled": 0,
        "not_reported": 1,
    }
    assert figures.overall.completed_share == 25.0 and figures.overall.delayed_share == 25.0
    by_objective = {
        tally.key: (tally.total, tally.completed_share, tally.delayed_share) for tally in figures.by_objective
    }
    assert by_objective == {"OG1": (3, 33.3, 33.3), "OG2": (1, 0.0, 0.0)}
    by_institution = {tally.label: (tally.total, tally.completed_share) for tally in figures.by_institution}
    assert by_institution == {ITM: (2, 50.0), POLICE: (2, 0.0)}
    progress = {item.activity.code: item.progress for item in figures.indicators}
    assert progress == {"1.1.1": 100.0, "1.1.2": None, "1.2.1": None, "2.1.1": 50.0}
    assert [(kind, [a.code for a, _r in items]) for kind, _label, items in figures.difficulties] == [
        ("funding", ["1.1.2"])
    ]


def test_a_reporter_sees_only_its_institutions_figures_and_overdue_reports(scene) -> None:  # type: ignore[no-untyped-def]
    _coordinator, reporter, strategy, round_ = scene
    assert selectors.implementation(reporter, strategy, round_).overall.total == 2
    late = datetime.date(2025, 8, 1)
    # Every ITM report was accepted: nothing is overdue for the reporter; the police's 1.2.1 waits for review.
    assert selectors.overdue_reports(reporter, today=late) == []


def test_the_dashboard_shows_the_figures_and_the_charts(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    _coordinator, _reporter, strategy, round_ = scene
    page = signed_in("analyst").get(
        reverse("strategy:dashboard", args=[strategy.public_id]), {"round": round_.public_id}
    )
    content = page.content.decode()
    assert page.status_code == 200 and 'id="share-completed">25,0%' in content
    assert 'data-chart="chart-objective"' in content and 'id="chart-objective" type="application/json"' in content


def test_an_evaluation_is_exported_and_published_to_the_library(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    coordinator, _reporter, strategy, round_ = scene
    evaluation = services.evaluation_create(actor=coordinator, strategy=strategy, round_=round_)
    client = signed_in("coordinator")
    pdf = client.get(reverse("strategy:evaluation_pdf", args=[evaluation.public_id]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    sheet = client.get(reverse("strategy:evaluation_xlsx", args=[evaluation.public_id]))
    assert sheet.status_code == 200 and sheet["Content-Disposition"].startswith("attachment")
    refused = client.post(reverse("strategy:evaluation_publish", args=[evaluation.public_id]))
    assert refused.status_code == 302 and not Document.objects.exists()  # no conclusions yet
    services.evaluation_update(
        actor=coordinator, evaluation=evaluation, conclusions="Implementare parțială.", recommendations="Finanțare."
    )
    client.post(reverse("strategy:evaluation_publish", args=[evaluation.public_id]), {"visibility": "public"})
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.PUBLISHED
    document = Document.objects.get(public_id=evaluation.library_ref)
    assert document.status == DocumentStatus.PUBLISHED and document.category == "strategies"


def test_unfinished_activities_are_carried_over_with_their_history(scene) -> None:  # type: ignore[no-untyped-def]
    coordinator, _reporter, strategy, _round = scene
    successor, copied = services.strategy_carry_over(
        actor=coordinator, source=strategy, title="Strategia următoare", start_year=2029, end_year=2033
    )
    assert copied == 3
    codes = dict(Activity.objects.filter(strategy=successor).values_list("code", "carried_from__code"))
    assert codes == {"1.1.2": "1.1.2", "1.2.1": "1.2.1", "2.1.1": "2.1.1"}
    carried = Activity.objects.get(strategy=successor, code="1.1.2")
    assert [report.activity.strategy_id for report in selectors.activity_history(carried)] == [strategy.pk]
    assert successor.predecessor_id == strategy.pk and successor.status == "draft"
