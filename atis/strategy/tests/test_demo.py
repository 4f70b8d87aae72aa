"""The demo strategy: a realistic plan, loaded once."""

from __future__ import annotations

import pytest

from atis.core import demo as core_demo
from atis.strategy import selectors
from atis.strategy.demo import TITLE, load_demo_content
from atis.strategy.models import ActivityReport, Area, ReportState, Strategy
from conftest import ensure_reference_data


@pytest.mark.django_db
def test_the_demo_strategy_has_a_full_plan_and_loads_once() -> None:
    ensure_reference_data()
    core_demo.demo_organisations_load()
    core_demo.demo_accounts_load()
    load_demo_content(7)
    strategy = Strategy.objects.get(title=TITLE)
    assert strategy.general_objectives.count() >= 4
    assert strategy.activities.count() >= 40
    assert set(strategy.activities.values_list("area", flat=True)) == set(Area.values)
    assert ActivityReport.objects.filter(round__strategy=strategy, state=ReportState.ACCEPTED).count() > 20
    coordinator = core_demo.User.objects.get(username="coordonator")
    figures = selectors.implementation(coordinator, strategy)
    assert figures.overall.total == strategy.activities.count()
    reports = ActivityReport.objects.count()
    assert load_demo_content(7) == "Strategy: demo strategy already loaded."
    assert ActivityReport.objects.count() == reports
