"""Building strategy scenes in tests through the real services, as users would."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from atis.organisations.models import Organisation
from atis.strategy import services
from atis.strategy.models import ActivityReport, Area, ReportingRound, Strategy, StrategyStatus
from atis.strategy.services import PlanActivity, PlanIndicator

ITM = "Test ITM Iași"
POLICE = "Test Police Iași"
HQ = "Agenția Națională împotriva Traficului de Persoane"
START = datetime.date(2025, 1, 1)
END = datetime.date(2025, 6, 30)
DUE = datetime.date(2025, 7, 15)


def organisation(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def plan_activity(
    code: str, responsible: str, *, general: str = "OG1", specific: str = "OS1.1", target: int = 10
) -> PlanActivity:
    return PlanActivity(
        general_code=general,
        general_title=f"Objective {general}",
        specific_code=specific,
        specific_title=f"Specific objective {specific}",
        code=code,
        title=f"Activity {code}",
        area=Area.PREVENTION,
        responsible=organisation(responsible),
        partners=[],
        deadline=datetime.date(2026, 12, 31),
        recurrence="once",
        budget_source="none",
        budget_amount=None,
        indicators=[
            PlanIndicator(name=f"Indicator {code}", unit="sessions", baseline=Decimal(0), target=Decimal(target))
        ],
    )


def strategy_in_force(coordinator: Any, activities: list[PlanActivity] | None = None) -> Strategy:
    strategy = services.strategy_create(actor=coordinator, title="Strategia națională", start_year=2024, end_year=2028)
    services.action_plan_replace(
        actor=coordinator,
        strategy=strategy,
        activities=activities
        if activities is not None
        else [
            plan_activity("1.1.1", ITM),
            plan_activity("1.1.2", POLICE),
            plan_activity("2.1.1", ITM, general="OG2", specific="OS2.1"),
        ],
    )
    return services.strategy_set_status(actor=coordinator, strategy=strategy, status=StrategyStatus.IN_FORCE)


def open_round(coordinator: Any, strategy: Strategy, title: str = "Semestrul I 2025", **dates: Any) -> ReportingRound:
    return services.round_open(
        actor=coordinator,
        strategy=strategy,
        title=title,
        period_start=dates.get("period_start", START),
        period_end=dates.get("period_end", END),
        due_on=dates.get("due_on", DUE),
    )


def reported(
    reporter: Any,
    round_: ReportingRound,
    code: str,
    implementation: str,
    *,
    value: int | None = None,
    difficulties: str = "",
    difficulty_kind: str = "",
    submit: bool = True,
) -> ActivityReport:
    activity = round_.strategy.activities.get(code=code)
    indicator = activity.indicators.first()
    report = services.report_save(
        actor=reporter,
        round_=round_,
        activity=activity,
        implementation=implementation,
        narrative=f"Work on {code}",
        difficulties=difficulties,
        difficulty_kind=difficulty_kind,
        values={indicator.pk: Decimal(value)} if value is not None and indicator else {},
    )
    if submit:
        report = services.report_submit(actor=reporter, report=report)
    return report
