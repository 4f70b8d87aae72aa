"""The reporting workflow and its permissions, through the services."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from atis.audit.models import AuditEntry
from atis.strategy import selectors, services
from atis.strategy.models import Implementation, ReportEvent, ReportState
from atis.strategy.tests.helpers import open_round, reported, strategy_in_force

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(personas):  # type: ignore[no-untyped-def]
    coordinator = personas["coordinator"].user
    strategy = strategy_in_force(coordinator)
    return coordinator, personas["reporter"].user, strategy, open_round(coordinator, strategy)


def test_a_reporter_sees_only_the_activities_of_its_institution(scene, personas) -> None:  # type: ignore[no-untyped-def]
    coordinator, reporter, strategy, round_ = scene
    assert sorted(selectors.activities_visible_to(reporter).values_list("code", flat=True)) == ["1.1.1", "2.1.1"]
    assert selectors.activities_visible_to(coordinator).count() == 3
    assert [line.activity.code for line in selectors.round_lines(reporter, round_)] == ["1.1.1", "2.1.1"]
    # A case manager has no strategy rights at all.
    assert not selectors.activities_visible_to(personas["manager_iasi"].user).exists()


def test_a_reporter_cannot_report_on_another_institutions_activity(scene) -> None:  # type: ignore[no-untyped-def]
    _coordinator, reporter, strategy, round_ = scene
    with pytest.raises(PermissionDenied):
        services.report_save(
            actor=reporter,
            round_=round_,
            activity=strategy.activities.get(code="1.1.2"),
            implementation=Implementation.COMPLETED,
        )


def test_only_the_coordinator_opens_rounds_and_accepts_reports(scene) -> None:  # type: ignore[no-untyped-def]
    coordinator, reporter, strategy, round_ = scene
    with pytest.raises(PermissionDenied):
        open_round(reporter, strategy, title="Semestrul II 2025")
    report = reported(reporter, round_, "1.1.1", Implementation.COMPLETED, value=10)
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=reporter, report=report)
    accepted = services.report_accept(actor=coordinator, report=report, comment="Bine.")
    assert accepted.state == ReportState.ACCEPTED


def test_a_returned_report_is_corrected_and_every_step_is_kept_and_audited(scene) -> None:  # type: ignore[no-untyped-def]
    coordinator, reporter, _strategy, round_ = scene
    report = reported(
        reporter, round_, "1.1.1", Implementation.DELAYED, difficulties="No staff", difficulty_kind="staff"
    )
    with pytest.raises(ValidationError):
        services.report_return(actor=coordinator, report=report, comment="  ")
    services.report_return(actor=coordinator, report=report, comment="Add the number of sessions.")
    report = reported(reporter, round_, "1.1.1", Implementation.IN_PROGRESS, value=4)
    services.report_accept(actor=coordinator, report=report)
    kinds = list(ReportEvent.objects.filter(report=report).values_list("kind", flat=True))
    assert kinds == ["saved", "submitted", "returned", "saved", "submitted", "accepted"]
    actions = set(AuditEntry.objects.filter(object_ref=str(report.public_id)).values_list("action", flat=True))
    assert {
        "strategy.report_saved",
        "strategy.report_submitted",
        "strategy.report_returned",
        "strategy.report_accepted",
    } <= actions


def test_a_submitted_report_cannot_be_changed_and_a_stale_edit_is_refused(scene) -> None:  # type: ignore[no-untyped-def]
    _coordinator, reporter, strategy, round_ = scene
    draft = reported(reporter, round_, "1.1.1", Implementation.IN_PROGRESS, submit=False)
    activity = strategy.activities.get(code="1.1.1")
    with pytest.raises(ValidationError) as stale:
        services.report_save(
            actor=reporter, round_=round_, activity=activity, implementation="completed", version=draft.version - 1
        )
    assert stale.value.error_list[0].code == "stale"
    services.report_submit(actor=reporter, report=draft)
    with pytest.raises(ValidationError):
        services.report_save(actor=reporter, round_=round_, activity=activity, implementation="completed")


def test_a_delayed_activity_needs_its_difficulties_before_submission(scene) -> None:  # type: ignore[no-untyped-def]
    _coordinator, reporter, _strategy, round_ = scene
    draft = reported(reporter, round_, "1.1.1", Implementation.DELAYED, submit=False)
    with pytest.raises(ValidationError) as refused:
        services.report_submit(actor=reporter, report=draft)
    assert "difficulties" in refused.value.message_dict


def test_nothing_can_be_reported_in_a_closed_round(scene) -> None:  # type: ignore[no-untyped-def]
    coordinator, reporter, strategy, round_ = scene
    services.round_close(actor=coordinator, round_=round_)
    with pytest.raises(ValidationError):
        reported(reporter, round_, "1.1.1", Implementation.COMPLETED)
