"""Reads of the strategy domain. One scope: an activity belongs to its responsible institution.

The coordination (national scope) sees every activity; a strategy reporter (organisation
scope) only those its institution is responsible for; a regional analyst (centre scope) the
activities of institutions seated in the centre's counties. Every list, report, figure and
export below starts from `activities_visible_to`, so a page and a figure never disagree.

Implementation figures count only *accepted* reports: a report the coordinator has not
accepted yet is the institution's claim, not the agency's finding.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from atis.accounts.selectors import active_membership, scope_of
from atis.lib.scope import ScopeFields, get_in_scope_or_404, restrict
from atis.strategy.models import (
    Activity,
    ActivityReport,
    DifficultyKind,
    Evaluation,
    Evidence,
    GeneralObjective,
    Implementation,
    Indicator,
    ReportingRound,
    ReportState,
    RoundStatus,
    SpecificObjective,
    Strategy,
)

VIEW = "strategy.view_strategy"
COORDINATE = "strategy.coordinate_strategy"
REPORT = "strategy.report_strategy"
FIGURES = "strategy.view_strategy_figures"

ACTIVITY_SCOPE = ScopeFields(organisation="responsible", county="responsible__county")
# Not yet reported in the period, or reported but not accepted: counted apart from the five statuses.
NOT_REPORTED = "not_reported"
# Activities whose accepted status closes them: no later round expects a report on them.
FINISHED = (Implementation.COMPLETED, Implementation.CANCELLED)


def _may_read(user: Any) -> bool:
    return bool(user.has_perm(VIEW) or user.has_perm(FIGURES))


def activities_visible_to(user: Any) -> QuerySet[Activity]:
    if not _may_read(user):
        return Activity.objects.none()
    return restrict(Activity.objects.all(), scope_of(user), ACTIVITY_SCOPE)


def strategies_visible_to(user: Any) -> QuerySet[Strategy]:
    """Strategies are public documents; what is inside each is scoped by its activities."""
    if not _may_read(user):
        return Strategy.objects.none()
    return Strategy.objects.all()


def strategy_for(user: Any, public_id: Any) -> Strategy:
    return get_in_scope_or_404(strategies_visible_to(user), public_id=public_id)


def activity_for(user: Any, public_id: Any) -> Activity:
    return get_in_scope_or_404(
        activities_visible_to(user).select_related("specific__general", "strategy", "responsible", "carried_from"),
        public_id=public_id,
    )


def round_for(user: Any, public_id: Any) -> ReportingRound:
    return get_in_scope_or_404(
        ReportingRound.objects.filter(strategy__in=strategies_visible_to(user)).select_related("strategy"),
        public_id=public_id,
    )


def reports_visible_to(user: Any) -> QuerySet[ActivityReport]:
    return ActivityReport.objects.filter(activity__in=activities_visible_to(user))


def report_for(user: Any, public_id: Any) -> ActivityReport:
    if not user.has_perm(VIEW):
        return get_in_scope_or_404(ActivityReport.objects.none(), public_id=public_id)
    return get_in_scope_or_404(
        reports_visible_to(user).select_related("activity__strategy", "round", "organisation"), public_id=public_id
    )


def evidence_for(user: Any, public_id: Any) -> Evidence:
    if not user.has_perm(VIEW):
        return get_in_scope_or_404(Evidence.objects.none(), public_id=public_id)
    return get_in_scope_or_404(
        Evidence.objects.filter(report__in=reports_visible_to(user)).select_related("report"), public_id=public_id
    )


def evaluation_for(user: Any, public_id: Any) -> Evaluation:
    if not user.has_perm(FIGURES):
        return get_in_scope_or_404(Evaluation.objects.none(), public_id=public_id)
    return get_in_scope_or_404(
        Evaluation.objects.select_related("strategy", "round", "created_by"), public_id=public_id
    )


def organisation_id_of(user: Any) -> int | None:
    membership = active_membership(user)
    return membership.organisation_id if membership else None


# --- The action plan -------------------------------------------------------------------------


@dataclass
class PlanSpecific:
    objective: SpecificObjective
    activities: list[Activity]


@dataclass
class PlanGeneral:
    objective: GeneralObjective
    specifics: list[PlanSpecific]


def action_plan(user: Any, strategy: Strategy) -> list[PlanGeneral]:
    """The plan as a tree, pruned to the activities the user may see."""
    visible = (
        activities_visible_to(user)
        .filter(strategy=strategy)
        .select_related("responsible")
        .prefetch_related("partners", "indicators")
    )
    generals = GeneralObjective.objects.filter(strategy=strategy).prefetch_related(
        Prefetch(
            "specific_objectives",
            queryset=SpecificObjective.objects.prefetch_related(Prefetch("activities", queryset=visible)),
        )
    )
    plan = []
    for general in generals:
        specifics = [
            PlanSpecific(specific, list(specific.activities.all())) for specific in general.specific_objectives.all()
        ]
        specifics = [item for item in specifics if item.activities]
        if specifics:
            plan.append(PlanGeneral(general, specifics))
    return plan


# --- Reporting rounds ------------------------------------------------------------------------


def accepted_status_before(activity_ids: Iterable[int], before: datetime.date) -> dict[int, str]:
    """Each activity's last accepted implementation status in rounds that ended before a date."""
    found: dict[int, str] = {}
    reports = (
        ActivityReport.objects.filter(
            activity_id__in=list(activity_ids), state=ReportState.ACCEPTED, round__period_end__lt=before
        )
        .order_by("round__period_end", "round_id")
        .values_list("activity_id", "implementation")
    )
    for activity_id, implementation in reports:
        found[activity_id] = implementation
    return found


def expected_activities(round_: ReportingRound, activities: QuerySet[Activity]) -> list[Activity]:
    """The activities a round expects a report on: all of the strategy's, except those an
    earlier accepted report already closed (completed or cancelled)."""
    candidates = list(
        activities.filter(strategy_id=round_.strategy_id).select_related("responsible", "specific__general")
    )
    closed = accepted_status_before((a.pk for a in candidates), round_.period_start)
    return [a for a in candidates if closed.get(a.pk) not in FINISHED]


@dataclass
class RoundLine:
    activity: Activity
    report: ActivityReport | None

    @property
    def state(self) -> str:
        return self.report.state if self.report else ""


def round_lines(user: Any, round_: ReportingRound) -> list[RoundLine]:
    activities = expected_activities(round_, activities_visible_to(user))
    reports = {
        report.activity_id: report
        for report in ActivityReport.objects.filter(round=round_, activity__in=[a.pk for a in activities])
    }
    return [RoundLine(activity, reports.get(activity.pk)) for activity in activities]


def round_progress(lines: list[RoundLine]) -> dict[str, int]:
    counts = {"expected": len(lines), "missing": 0, **dict.fromkeys(ReportState.values, 0)}
    for line in lines:
        counts[line.state or "missing"] += 1
    return counts


@dataclass
class Reminder:
    round: ReportingRound
    line: RoundLine
    overdue: bool


def reminders_for(user: Any, *, today: datetime.date | None = None) -> list[Reminder]:
    """Reports still to send in open rounds: due (deadline ahead) and overdue (deadline passed).

    A reporter sees its institution's; the coordination sees every institution's.
    """
    if not user.has_perm(VIEW):
        return []
    today = today or timezone.localdate()
    found = []
    rounds = ReportingRound.objects.filter(status=RoundStatus.OPEN, strategy__in=strategies_visible_to(user))
    for round_ in rounds.select_related("strategy").order_by("due_on"):
        for line in round_lines(user, round_):
            if line.state in ("", ReportState.DRAFT, ReportState.RETURNED):
                found.append(Reminder(round_, line, overdue=round_.due_on < today))
    return found


def awaiting_review(user: Any) -> QuerySet[ActivityReport]:
    if not user.has_perm(COORDINATE):
        return ActivityReport.objects.none()
    return reports_visible_to(user).filter(state=ReportState.SUBMITTED, round__status=RoundStatus.OPEN)


# --- Implementation figures ------------------------------------------------------------------

STATUS_ORDER = [*Implementation.values, NOT_REPORTED]


def status_label(value: str) -> str:
    if value == NOT_REPORTED:
        return _("not reported")
    return str(Implementation(value).label)


@dataclass
class Tally:
    key: str
    label: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUS_ORDER, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, status: str) -> float:
        """Percentage of the group's activities in that status, one decimal."""
        return round(100 * self.counts[status] / self.total, 1) if self.total else 0.0

    @property
    def completed_share(self) -> float:
        return self.share(Implementation.COMPLETED)

    @property
    def delayed_share(self) -> float:
        return self.share(Implementation.DELAYED)

    @property
    def not_started_share(self) -> float:
        return self.share(Implementation.NOT_STARTED)

    @property
    def cells(self) -> list[tuple[str, int, float]]:
        return [(status, self.counts[status], self.share(status)) for status in STATUS_ORDER]


def _accepted_reports(activity_ids: list[int], round_: ReportingRound | None) -> dict[int, ActivityReport]:
    """The accepted report that speaks for each activity: the round's own, or else the latest."""
    reports = ActivityReport.objects.filter(activity_id__in=activity_ids, state=ReportState.ACCEPTED)
    if round_ is not None:
        reports = reports.filter(round=round_)
    latest: dict[int, ActivityReport] = {}
    for report in (
        reports.select_related("round", "organisation")
        .prefetch_related("values")
        .order_by("round__period_end", "round_id")
    ):
        latest[report.activity_id] = report
    return latest


@dataclass
class ImplementationFigures:
    """Everything the dashboard and the evaluation show, computed once."""

    overall: Tally
    by_objective: list[Tally]
    by_institution: list[Tally]
    by_area: list[Tally]
    activities: list[tuple[Activity, str, ActivityReport | None]]
    indicators: list[IndicatorProgress]
    difficulties: list[tuple[str, str, list[tuple[Activity, ActivityReport]]]]


@dataclass
class IndicatorProgress:
    activity: Activity
    indicator: Indicator
    value: Decimal | None

    @property
    def progress(self) -> float | None:
        """How far from the baseline to the target the latest value went, in percent (0–100)."""
        if self.value is None:
            return None
        span = self.indicator.target - self.indicator.baseline
        if span == 0:
            return 100.0 if self.value >= self.indicator.target else 0.0
        share = float((self.value - self.indicator.baseline) / span) * 100
        return round(max(0.0, min(100.0, share)), 1)


def implementation(user: Any, strategy: Strategy, round_: ReportingRound | None = None) -> ImplementationFigures:
    """Implementation of a strategy, over its whole life or in one round, within the user's scope."""
    activities = list(
        activities_visible_to(user)
        .filter(strategy=strategy)
        .select_related("specific__general", "responsible")
        .prefetch_related("indicators")
        .order_by("specific__general__position", "specific__position", "position", "id")
    )
    reports = _accepted_reports([a.pk for a in activities], round_)
    overall = Tally("all", _("All activities"))
    groups: dict[str, dict[str, Tally]] = {"objective": {}, "institution": {}, "area": {}}
    rows: list[tuple[Activity, str, ActivityReport | None]] = []
    indicators: list[IndicatorProgress] = []
    difficulties: dict[str, list[tuple[Activity, ActivityReport]]] = defaultdict(list)
    for activity in activities:
        report = reports.get(activity.pk)
        status = report.implementation if report else NOT_REPORTED
        rows.append((activity, status, report))
        overall.counts[status] += 1
        general = activity.specific.general
        for kind, key, label in (
            ("objective", general.code, str(general)),
            ("institution", str(activity.responsible_id), activity.responsible.name),
            ("area", activity.area, activity.get_area_display()),
        ):
            tally = groups[kind].setdefault(key, Tally(key, label))
            tally.counts[status] += 1
        values = {value.indicator_id: value.value for value in report.values.all()} if report else {}
        for indicator in activity.indicators.all():
            indicators.append(IndicatorProgress(activity, indicator, values.get(indicator.pk)))
        if report and report.difficulties.strip():
            difficulties[report.difficulty_kind or DifficultyKind.OTHER].append((activity, report))
    return ImplementationFigures(
        overall=overall,
        by_objective=list(groups["objective"].values()),
        by_institution=sorted(groups["institution"].values(), key=lambda tally: tally.label),
        by_area=list(groups["area"].values()),
        activities=rows,
        indicators=indicators,
        difficulties=[
            (kind, str(DifficultyKind(kind).label), difficulties[kind])
            for kind in DifficultyKind.values
            if difficulties.get(kind)
        ],
    )


def overdue_reports(user: Any, *, today: datetime.date | None = None) -> list[Reminder]:
    return [reminder for reminder in reminders_for(user, today=today) if reminder.overdue]


def report_history(report: ActivityReport) -> QuerySet[Any]:
    return report.events.select_related("actor")


def activity_history(activity: Activity) -> list[ActivityReport]:
    """Reports on this activity and on the activities it continues, newest first."""
    chain: list[int] = []
    current: Activity | None = activity
    while current is not None and len(chain) < 20:
        chain.append(current.pk)
        current = current.carried_from
    return list(
        ActivityReport.objects.filter(activity_id__in=chain)
        .select_related("round__strategy", "activity", "organisation")
        .order_by("-round__period_end", "-id")
    )
