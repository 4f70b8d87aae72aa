"""Every change to the strategy domain: permission, scope, rule, history and audit entry in one
transaction, so the screens, the import command and a Celery task behave the same.

Who may do what:
- the coordination (`coordinate_strategy`) drafts strategies, imports action plans, opens and
  closes rounds, accepts or returns reports, writes and publishes evaluations;
- a strategy reporter (`report_strategy`) reports only on activities its institution is
  responsible for, only while the round is open and the report is a draft or was returned.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atis.audit.services import audit_record
from atis.cases import attachments
from atis.organisations.models import Organisation
from atis.strategy import selectors
from atis.strategy.models import (
    Activity,
    ActivityReport,
    DifficultyKind,
    Evaluation,
    EvaluationStatus,
    Evidence,
    GeneralObjective,
    Implementation,
    Indicator,
    IndicatorValue,
    ReportEvent,
    ReportEventKind,
    ReportingRound,
    ReportState,
    RoundStatus,
    SpecificObjective,
    Strategy,
    StrategyStatus,
)

COORDINATE = selectors.COORDINATE
REPORT = selectors.REPORT
TEXT_MAX = 10_000
MAX_EVIDENCE_PER_REPORT = 20


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _require(actor: Any, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied


# --- Strategies ------------------------------------------------------------------------------


def _check_years(start_year: int, end_year: int) -> None:
    if not 2000 <= start_year <= 2100:
        raise _error("start_year", _("Enter a year between 2000 and 2100."), "bad_year")
    if not start_year <= end_year <= start_year + 15:
        raise _error("end_year", _("The last year must follow the first, within 15 years."), "bad_years")


@transaction.atomic
def strategy_create(
    *, actor: Any, title: str, start_year: int, end_year: int, predecessor: Strategy | None = None
) -> Strategy:
    _require(actor, COORDINATE)
    title = title.strip()
    if not title:
        raise _error("title", _("Give the strategy a title."), "required")
    _check_years(start_year, end_year)
    strategy = Strategy.objects.create(
        title=title[:300], start_year=start_year, end_year=end_year, predecessor=predecessor, created_by=actor
    )
    audit_record(actor=actor, action="strategy.create", obj=strategy)
    return strategy


@transaction.atomic
def strategy_set_status(*, actor: Any, strategy: Strategy, status: str) -> Strategy:
    """Draft → in force → closed; a plan in force is what institutions report on."""
    _require(actor, COORDINATE)
    strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
    allowed = {
        StrategyStatus.DRAFT: {StrategyStatus.IN_FORCE},
        StrategyStatus.IN_FORCE: {StrategyStatus.CLOSED},
        StrategyStatus.CLOSED: set(),
    }
    if status not in allowed[StrategyStatus(strategy.status)]:
        raise ValidationError(_("This change of status is not possible."), code="bad_transition")
    if status == StrategyStatus.IN_FORCE and not strategy.activities.exists():
        raise ValidationError(_("A strategy without activities cannot come into force."), code="empty_plan")
    before = strategy.status
    strategy.status = status
    strategy.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="strategy.status", obj=strategy, details={"from": before, "to": status})
    return strategy


# --- The action plan -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanIndicator:
    name: str
    unit: str
    baseline: Decimal
    target: Decimal


@dataclass
class PlanActivity:
    general_code: str
    general_title: str
    specific_code: str
    specific_title: str
    code: str
    title: str
    area: str
    responsible: Organisation
    partners: list[Organisation]
    deadline: datetime.date | None
    recurrence: str
    budget_source: str
    budget_amount: Decimal | None
    indicators: list[PlanIndicator]


@dataclass(frozen=True)
class PlanSummary:
    general_objectives: int
    specific_objectives: int
    activities: int
    indicators: int


def _require_plan_editable(strategy: Strategy) -> None:
    if strategy.status != StrategyStatus.DRAFT:
        raise ValidationError(_("Only the plan of a draft strategy can be replaced."), code="not_draft")
    if strategy.rounds.exists():
        raise ValidationError(_("Reports were opened on this plan: it can no longer be replaced."), code="has_rounds")


def check_plan_replaceable(*, actor: Any, strategy: Strategy) -> None:
    """Refuse early, before a long file is read, what `action_plan_replace` would refuse."""
    _require(actor, COORDINATE)
    _require_plan_editable(strategy)


@transaction.atomic
def action_plan_replace(
    *,
    actor: Any,
    strategy: Strategy,
    activities: list[PlanActivity],
    progress: Callable[[int], Any] | None = None,
) -> PlanSummary:
    """Replace the whole plan of a draft strategy with validated rows (see atis.strategy.xlsx).

    All or nothing: any error raises before the transaction commits. Carried-over activities
    keep their link to the earlier strategy when their code is unchanged.
    """
    _require(actor, COORDINATE)
    strategy = Strategy.objects.select_for_update().get(pk=strategy.pk)
    _require_plan_editable(strategy)
    carried = dict(strategy.activities.exclude(carried_from=None).values_list("code", "carried_from_id"))
    strategy.activities.all().delete()
    strategy.general_objectives.all().delete()
    generals: dict[str, GeneralObjective] = {}
    specifics: dict[tuple[str, str], SpecificObjective] = {}
    indicator_count = 0
    for position, item in enumerate(activities):
        general = generals.get(item.general_code)
        if general is None:
            general = GeneralObjective.objects.create(
                strategy=strategy, code=item.general_code, title=item.general_title, position=len(generals)
            )
            generals[item.general_code] = general
        specific = specifics.get((item.general_code, item.specific_code))
        if specific is None:
            specific = SpecificObjective.objects.create(
                general=general, code=item.specific_code, title=item.specific_title, position=len(specifics)
            )
            specifics[(item.general_code, item.specific_code)] = specific
        activity = Activity.objects.create(
            specific=specific,
            strategy=strategy,
            code=item.code,
            title=item.title,
            area=item.area,
            deadline=item.deadline,
            recurrence=item.recurrence,
            responsible=item.responsible,
            budget_source=item.budget_source,
            budget_amount=item.budget_amount,
            carried_from_id=carried.get(item.code),
            position=position,
        )
        activity.partners.set([p for p in item.partners if p.pk != item.responsible.pk])
        Indicator.objects.bulk_create(
            Indicator(
                activity=activity,
                name=indicator.name,
                unit=indicator.unit,
                baseline=indicator.baseline,
                target=indicator.target,
                position=number,
            )
            for number, indicator in enumerate(item.indicators)
        )
        indicator_count += len(item.indicators)
        if progress is not None:
            progress(1)
    summary = PlanSummary(len(generals), len(specifics), len(activities), indicator_count)
    audit_record(
        actor=actor,
        action="strategy.plan_import",
        obj=strategy,
        details={"activities": summary.activities, "indicators": summary.indicators},
    )
    return summary


# --- Reporting rounds ------------------------------------------------------------------------


@transaction.atomic
def round_open(
    *,
    actor: Any,
    strategy: Strategy,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    due_on: datetime.date,
) -> ReportingRound:
    _require(actor, COORDINATE)
    if strategy.status != StrategyStatus.IN_FORCE:
        raise ValidationError(_("Rounds are opened only for a strategy in force."), code="not_in_force")
    title = title.strip()
    if not title:
        raise _error("title", _("Name the round, e.g. “Semester I 2025”."), "required")
    if period_end < period_start:
        raise _error("period_end", _("The period ends before it starts."), "bad_period")
    if due_on < period_end:
        raise _error("due_on", _("Reports cannot be due before the period ends."), "bad_due")
    if not strategy.start_year <= period_start.year <= strategy.end_year:
        raise _error("period_start", _("The period is outside the years of the strategy."), "outside_strategy")
    round_ = ReportingRound(
        strategy=strategy,
        title=title[:120],
        period_start=period_start,
        period_end=period_end,
        due_on=due_on,
        opened_by=actor,
    )
    try:
        with transaction.atomic():
            round_.save()
    except IntegrityError:
        raise _error("title", _("This strategy already has a round with that name."), "duplicate") from None
    audit_record(actor=actor, action="strategy.round_open", obj=round_, details={"strategy": str(strategy.public_id)})
    return round_


@transaction.atomic
def round_close(*, actor: Any, round_: ReportingRound) -> ReportingRound:
    _require(actor, COORDINATE)
    round_ = ReportingRound.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.OPEN:
        raise ValidationError(_("This round is already closed."), code="closed")
    round_.status = RoundStatus.CLOSED
    round_.closed_at = timezone.now()
    round_.save(update_fields=["status", "closed_at"])
    audit_record(actor=actor, action="strategy.round_close", obj=round_)
    return round_


# --- Reports ---------------------------------------------------------------------------------


def _snapshot(report: ActivityReport) -> dict[str, Any]:
    return {
        "state": report.state,
        "implementation": report.implementation,
        "narrative": report.narrative,
        "difficulties": report.difficulties,
        "difficulty_kind": report.difficulty_kind,
        "values": {str(v.indicator_id): str(v.value) for v in report.values.all()},
        "version": report.version,
    }


def _event(report: ActivityReport, actor: Any, kind: str, comment: str = "") -> None:
    ReportEvent.objects.create(
        report=report,
        kind=kind,
        actor=actor,
        actor_label=actor.get_username(),
        comment=comment,
        snapshot=_snapshot(report),
    )
    audit_record(
        actor=actor,
        action=f"strategy.report_{kind}",
        obj=report,
        details={"state": report.state, "implementation": report.implementation, "version": report.version},
    )


def _require_reporter_of(actor: Any, activity: Activity) -> Organisation:
    """A reporter reports only for activities its own institution is responsible for."""
    _require(actor, REPORT)
    organisation_id = selectors.organisation_id_of(actor)
    if organisation_id is None or activity.responsible_id != organisation_id:
        raise PermissionDenied
    if not selectors.activities_visible_to(actor).filter(pk=activity.pk).exists():
        raise PermissionDenied
    return activity.responsible


def _require_open(round_: ReportingRound) -> None:
    if not round_.is_open:
        raise ValidationError(_("This reporting round is closed."), code="round_closed")


def _require_expected(round_: ReportingRound, activity: Activity) -> None:
    if activity.strategy_id != round_.strategy_id:
        raise PermissionDenied
    if selectors.accepted_status_before([activity.pk], round_.period_start).get(activity.pk) in selectors.FINISHED:
        raise ValidationError(_("This activity was already closed in an earlier round."), code="finished")


def _clean_text(value: str, field: str) -> str:
    value = value.strip()
    if len(value) > TEXT_MAX:
        raise _error(field, _("The text is too long."), "too_long")
    return value


@transaction.atomic
def report_save(
    *,
    actor: Any,
    round_: ReportingRound,
    activity: Activity,
    implementation: str,
    narrative: str = "",
    difficulties: str = "",
    difficulty_kind: str = "",
    values: Mapping[int, Decimal | None] | None = None,
    version: int | None = None,
) -> ActivityReport:
    """Save the institution's report on one activity in one round (as a draft).

    `version` is the version the user's page showed; a report changed since is refused.
    """
    organisation = _require_reporter_of(actor, activity)
    round_ = ReportingRound.objects.select_for_update().get(pk=round_.pk)
    _require_open(round_)
    _require_expected(round_, activity)
    report, created = ActivityReport.objects.select_for_update().get_or_create(
        round=round_, activity=activity, defaults={"organisation": organisation}
    )
    if not created and version is not None and version != report.version:
        raise ValidationError(
            _("Someone changed this report after you opened it. Open it again to see their changes."),
            code="stale",
        )
    if not report.editable:
        raise ValidationError(_("A submitted or accepted report cannot be changed."), code="not_editable")
    if implementation not in Implementation.values:
        raise _error("implementation", _("Choose the state of the activity."), "required")
    if difficulty_kind and difficulty_kind not in DifficultyKind.values:
        raise _error("difficulty_kind", _("Choose a kind of difficulty."), "bad_kind")
    report.implementation = implementation
    report.narrative = _clean_text(narrative, "narrative")
    report.difficulties = _clean_text(difficulties, "difficulties")
    report.difficulty_kind = difficulty_kind if report.difficulties else ""
    if report.difficulties and not report.difficulty_kind:
        report.difficulty_kind = DifficultyKind.OTHER
    if not created:
        report.version += 1
    report.save()
    indicators = {indicator.pk: indicator for indicator in activity.indicators.all()}
    for indicator_id, value in (values or {}).items():
        if indicator_id not in indicators:
            raise PermissionDenied
        if value is None:
            IndicatorValue.objects.filter(report=report, indicator_id=indicator_id).delete()
        elif value < 0:
            raise _error(f"indicator_{indicator_id}", _("A value cannot be negative."), "negative")
        else:
            IndicatorValue.objects.update_or_create(report=report, indicator_id=indicator_id, defaults={"value": value})
    _event(report, actor, ReportEventKind.SAVED)
    return report


@transaction.atomic
def report_submit(*, actor: Any, report: ActivityReport) -> ActivityReport:
    report = ActivityReport.objects.select_for_update().select_related("round", "activity").get(pk=report.pk)
    _require_reporter_of(actor, report.activity)
    _require_open(report.round)
    if not report.editable:
        raise ValidationError(_("This report was already submitted."), code="not_editable")
    problems = {}
    if not report.narrative:
        problems["narrative"] = _("Say what was done in the period.")
    if report.implementation in (Implementation.DELAYED, Implementation.CANCELLED) and not report.difficulties:
        problems["difficulties"] = _("Say what delayed or stopped the activity.")
    if problems:
        raise ValidationError(problems)
    report.state = ReportState.SUBMITTED
    report.submitted_at = timezone.now()
    report.version += 1
    report.save(update_fields=["state", "submitted_at", "version", "updated_at"])
    _event(report, actor, ReportEventKind.SUBMITTED)
    return report


def _review(actor: Any, report: ActivityReport, state: str, kind: str, comment: str) -> ActivityReport:
    _require(actor, COORDINATE)
    report = ActivityReport.objects.select_for_update().select_related("round", "activity").get(pk=report.pk)
    if not selectors.reports_visible_to(actor).filter(pk=report.pk).exists():
        raise PermissionDenied
    _require_open(report.round)
    if report.state != ReportState.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be reviewed."), code="not_submitted")
    report.state = state
    report.review_comment = _clean_text(comment, "comment")
    report.reviewed_at = timezone.now()
    report.version += 1
    report.save(update_fields=["state", "review_comment", "reviewed_at", "version", "updated_at"])
    _event(report, actor, kind, comment=report.review_comment)
    return report


@transaction.atomic
def report_accept(*, actor: Any, report: ActivityReport, comment: str = "") -> ActivityReport:
    return _review(actor, report, ReportState.ACCEPTED, ReportEventKind.ACCEPTED, comment)


@transaction.atomic
def report_return(*, actor: Any, report: ActivityReport, comment: str) -> ActivityReport:
    if not comment.strip():
        raise _error("comment", _("Say what the institution should change."), "required")
    return _review(actor, report, ReportState.RETURNED, ReportEventKind.RETURNED, comment)


def evidence_add(*, actor: Any, report: ActivityReport, upload: UploadedFile) -> Evidence:
    """Keep a file supporting the report, checked by content like case attachments.

    A refused file leaves nothing behind, on disk or in the database.
    """
    with transaction.atomic():
        report = ActivityReport.objects.select_for_update().select_related("round", "activity").get(pk=report.pk)
        _require_reporter_of(actor, report.activity)
        _require_open(report.round)
        if not report.editable:
            raise ValidationError(_("A submitted or accepted report cannot be changed."), code="not_editable")
        if report.evidence.count() >= MAX_EVIDENCE_PER_REPORT:
            raise _error("file", _("A report keeps at most 20 files."), "too_many")
        clean = attachments.check_upload(upload)
    content_type = clean.content_type
    stored = attachments.store_clean(clean, encrypt=False)
    try:
        with transaction.atomic():
            evidence = Evidence.objects.create(
                report=report,
                storage_name=stored.name,
                original_name=attachments.clean_name(upload.name or ""),
                content_type=content_type,
                size=stored.size,
                sha256=stored.sha256,
                uploaded_by=actor,
            )
            _event(report, actor, ReportEventKind.EVIDENCE, comment=evidence.original_name)
    except BaseException:
        attachments.discard(stored.name)
        raise
    return evidence


# --- Evaluation ------------------------------------------------------------------------------


@transaction.atomic
def evaluation_create(
    *, actor: Any, strategy: Strategy, round_: ReportingRound | None = None, title: str = ""
) -> Evaluation:
    _require(actor, COORDINATE)
    if round_ is not None and round_.strategy_id != strategy.pk:
        raise PermissionDenied
    default = (
        _("Evaluation of %(strategy)s, %(period)s") % {"strategy": strategy.title, "period": round_.title}
        if round_
        else _("Evaluation of %(strategy)s") % {"strategy": strategy}
    )
    evaluation = Evaluation.objects.create(
        strategy=strategy, round=round_, title=(title.strip() or default)[:300], created_by=actor
    )
    audit_record(actor=actor, action="strategy.evaluation_create", obj=evaluation)
    return evaluation


@transaction.atomic
def evaluation_update(*, actor: Any, evaluation: Evaluation, conclusions: str, recommendations: str) -> Evaluation:
    _require(actor, COORDINATE)
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status != EvaluationStatus.DRAFT:
        raise ValidationError(_("A published evaluation cannot be changed."), code="published")
    evaluation.conclusions = _clean_text(conclusions, "conclusions")
    evaluation.recommendations = _clean_text(recommendations, "recommendations")
    evaluation.save(update_fields=["conclusions", "recommendations"])
    audit_record(actor=actor, action="strategy.evaluation_update", obj=evaluation)
    return evaluation


@transaction.atomic
def evaluation_publish(*, actor: Any, evaluation: Evaluation, visibility: str = "internal") -> Evaluation:
    """Freeze the evaluation and hand its PDF to the document library, public or for staff only."""
    from atis.library.models import Visibility
    from atis.strategy import evaluation as documents

    if visibility not in Visibility.values:
        raise _error("visibility", _("Choose who may read the document."), "visibility")

    _require(actor, COORDINATE)
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",)).select_related("strategy", "round").get(pk=evaluation.pk)
    )
    if evaluation.status != EvaluationStatus.DRAFT:
        raise ValidationError(_("This evaluation is already published."), code="published")
    if not evaluation.conclusions.strip():
        raise _error("conclusions", _("Write the conclusions before publishing."), "required")
    content = documents.evaluation_pdf(actor=actor, evaluation=evaluation)
    evaluation.library_ref = documents.publish_to_library(
        actor=actor, evaluation=evaluation, content=content, visibility=visibility
    )
    evaluation.status = EvaluationStatus.PUBLISHED
    evaluation.published_at = timezone.now()
    evaluation.save(update_fields=["status", "published_at", "library_ref"])
    audit_record(actor=actor, action="strategy.evaluation_publish", obj=evaluation)
    return evaluation


# --- Carry-over ------------------------------------------------------------------------------


@transaction.atomic
def strategy_carry_over(
    *, actor: Any, source: Strategy, title: str, start_year: int, end_year: int
) -> tuple[Strategy, int]:
    """A new draft strategy holding the source's unfinished activities, each linked to its original.

    Unfinished: the last accepted report says neither completed nor cancelled (or none exists).
    Objectives are copied only as far as they hold such activities; reports stay with the
    original activities and are read through the link.
    """
    _require(actor, COORDINATE)
    if start_year <= source.start_year:
        raise _error("start_year", _("The new strategy must start after the one it follows."), "bad_year")
    target = strategy_create(actor=actor, title=title, start_year=start_year, end_year=end_year, predecessor=source)
    activities = list(
        Activity.objects.filter(strategy=source)
        .select_related("specific__general")
        .prefetch_related("partners", "indicators")
        .order_by("specific__general__position", "specific__position", "position", "id")
    )
    status = selectors.accepted_status_before([a.pk for a in activities], datetime.date.max)
    generals: dict[int, GeneralObjective] = {}
    specifics: dict[int, SpecificObjective] = {}
    copied = 0
    for activity in activities:
        if status.get(activity.pk) in selectors.FINISHED:
            continue
        old_specific = activity.specific
        old_general = old_specific.general
        if old_general.pk not in generals:
            generals[old_general.pk] = GeneralObjective.objects.create(
                strategy=target, code=old_general.code, title=old_general.title, position=old_general.position
            )
        if old_specific.pk not in specifics:
            specifics[old_specific.pk] = SpecificObjective.objects.create(
                general=generals[old_general.pk],
                code=old_specific.code,
                title=old_specific.title,
                position=old_specific.position,
            )
        copy = Activity.objects.create(
            specific=specifics[old_specific.pk],
            strategy=target,
            code=activity.code,
            title=activity.title,
            area=activity.area,
            # The old deadline has passed: a one-off activity is due by the end of the new
            # strategy until the coordinator sets a nearer one (export, edit, import the draft).
            deadline=datetime.date(end_year, 12, 31) if activity.deadline else None,
            recurrence=activity.recurrence,
            responsible_id=activity.responsible_id,
            budget_source=activity.budget_source,
            budget_amount=activity.budget_amount,
            carried_from=activity,
            position=activity.position,
        )
        copy.partners.set(activity.partners.all())
        Indicator.objects.bulk_create(
            Indicator(
                activity=copy,
                name=indicator.name,
                unit=indicator.unit,
                baseline=indicator.baseline,
                target=indicator.target,
                position=indicator.position,
            )
            for indicator in activity.indicators.all()
        )
        copied += 1
    audit_record(
        actor=actor,
        action="strategy.carry_over",
        obj=target,
        details={"from": str(source.public_id), "activities": copied},
    )
    return target, copied
