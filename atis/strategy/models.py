"""The national strategy against trafficking, its action plan and the monitoring of it.

A strategy holds general objectives, each with specific objectives, each with activities
(the measures of the action plan). Each activity has one responsible institution, partner
institutions, a deadline or a recurrence, a budget and indicators. The coordinator opens
reporting rounds; in each round the responsible institution reports once per activity, and
the coordinator accepts the report or returns it. Every step of a report is kept as an event.

No victim data lives here: texts stay in plain columns so the evaluation can group them.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from atis.organisations.models import Organisation


class StrategyStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_FORCE = "in_force", _("in force")
    CLOSED = "closed", pgettext_lazy("strategy", "closed")


class Strategy(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(_("status"), max_length=10, choices=StrategyStatus.choices, default=StrategyStatus.DRAFT)
    # The strategy whose unfinished activities this one carried over, if any.
    predecessor = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="successors", verbose_name=_("follows")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_year", "title"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        permissions = [
            ("coordinate_strategy", _("Can draft strategies, import action plans, open rounds and review reports")),
            ("report_strategy", _("Can report on the strategy activities of their institution")),
            ("view_strategy_figures", _("Can see strategy implementation figures and evaluations")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="strategy_strategy_years"),
            models.CheckConstraint(condition=Q(status__in=StrategyStatus.values), name="strategy_strategy_status"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_year}–{self.end_year})"

    @property
    def audit_label(self) -> str:
        return str(self)[:200]


class GeneralObjective(models.Model):
    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="general_objectives", verbose_name=_("strategy")
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("general objective"), max_length=500)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("general objective")
        verbose_name_plural = _("general objectives")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="strategy_generalobjective_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class SpecificObjective(models.Model):
    general = models.ForeignKey(
        GeneralObjective, on_delete=models.CASCADE, related_name="specific_objectives", verbose_name=_("objective")
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("specific objective"), max_length=500)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("specific objective")
        verbose_name_plural = _("specific objectives")
        constraints = [
            models.UniqueConstraint(fields=["general", "code"], name="strategy_specificobjective_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class Area(models.TextChoices):
    PREVENTION = "prevention", _("prevention")
    ASSISTANCE = "assistance", _("assistance and protection")
    PROSECUTION = "prosecution", _("prosecution")
    COOPERATION = "cooperation", _("cooperation")
    MONITORING = "monitoring", _("monitoring and evaluation")


class Recurrence(models.TextChoices):
    ONCE = "once", _("once, by the deadline")
    ANNUAL = "annual", _("annual")
    SEMESTER = "semester", _("each semester")
    PERMANENT = "permanent", _("permanent")


class BudgetSource(models.TextChoices):
    STATE = "state", _("state budget")
    OWN = "own", _("the institution's own budget")
    EXTERNAL = "external", _("external funds")
    NONE = "none", _("no extra cost")


class Activity(models.Model):
    """A measure of the action plan, reported on by its responsible institution."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    specific = models.ForeignKey(
        SpecificObjective, on_delete=models.CASCADE, related_name="activities", verbose_name=_("specific objective")
    )
    # Denormalised from the objective so scoped queries need no triple join.
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="activities", editable=False)
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("activity"), max_length=1000)
    area = models.CharField(_("area"), max_length=12, choices=Area.choices)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    recurrence = models.CharField(_("recurrence"), max_length=10, choices=Recurrence.choices, default=Recurrence.ONCE)
    responsible = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="strategy_activities", verbose_name=_("responsible")
    )
    partners = models.ManyToManyField(
        Organisation, related_name="strategy_partnerships", blank=True, verbose_name=_("partners")
    )
    budget_source = models.CharField(
        _("budget source"), max_length=10, choices=BudgetSource.choices, default=BudgetSource.NONE
    )
    budget_amount = models.DecimalField(_("budget (lei)"), max_digits=14, decimal_places=2, null=True, blank=True)
    # The activity of an earlier strategy this one continues; its reports stay readable there.
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="carried_into",
        verbose_name=_("carried over from"),
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["strategy", "responsible"], name="strategy_activity_responsible")]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="strategy_activity_unique_code"),
            models.CheckConstraint(condition=Q(area__in=Area.values), name="strategy_activity_area"),
            models.CheckConstraint(condition=Q(recurrence__in=Recurrence.values), name="strategy_activity_recurrence"),
            models.CheckConstraint(
                condition=Q(budget_amount__isnull=True) | Q(budget_amount__gte=0),
                name="strategy_activity_budget_not_negative",
            ),
            # A one-off activity has a deadline; a recurring one may run for the whole strategy.
            models.CheckConstraint(
                condition=~Q(recurrence="once") | Q(deadline__isnull=False),
                name="strategy_activity_once_has_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title[:80]}"

    @property
    def audit_label(self) -> str:
        return self.code


class Indicator(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, default=0)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class RoundStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", pgettext_lazy("round", "closed")


class ReportingRound(models.Model):
    """A reporting period (e.g. the first semester of 2025) opened by the coordinator."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("strategy"))
    title = models.CharField(_("title"), max_length=120)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    due_on = models.DateField(_("reports due on"))
    status = models.CharField(_("status"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="strategy_reportinground_period"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("period_end")), name="strategy_reportinground_due_after_period"
            ),
            models.UniqueConstraint(fields=["strategy", "title"], name="strategy_reportinground_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_label(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class Implementation(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", pgettext_lazy("activity", "completed")
    DELAYED = "delayed", _("delayed")
    CANCELLED = "cancelled", _("cancelled")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned for changes")
    ACCEPTED = "accepted", _("accepted")


class DifficultyKind(models.TextChoices):
    FUNDING = "funding", _("funding")
    STAFF = "staff", _("staff and training")
    LEGISLATION = "legislation", _("legislation and procedures")
    COORDINATION = "coordination", _("inter-institutional coordination")
    DATA = "data", _("data and information systems")
    OTHER = "other", pgettext_lazy("difficulty", "other")


class ActivityReport(models.Model):
    """What the responsible institution says about one activity in one round."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(ReportingRound, on_delete=models.PROTECT, related_name="reports")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="reports")
    # The institution that reported, kept even if the activity later changes hands.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)
    implementation = models.CharField(
        _("implementation"), max_length=12, choices=Implementation.choices, default=Implementation.NOT_STARTED
    )
    narrative = models.TextField(_("what was done"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    difficulty_kind = models.CharField(
        _("kind of difficulty"), max_length=12, choices=DifficultyKind.choices, blank=True
    )
    review_comment = models.TextField(_("coordinator's comments"), blank=True)
    # Optimistic lock: an edit made on a stale page is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["activity__position", "activity_id"]
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")
        constraints = [
            models.UniqueConstraint(fields=["round", "activity"], name="strategy_activityreport_one_per_round"),
            models.CheckConstraint(condition=Q(state__in=ReportState.values), name="strategy_activityreport_state"),
            models.CheckConstraint(
                condition=Q(implementation__in=Implementation.values), name="strategy_activityreport_implementation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}/{self.round_id}"

    @property
    def audit_label(self) -> str:
        return f"{self.activity.code} · {self.round.title}"[:200]

    @property
    def editable(self) -> bool:
        return self.state in (ReportState.DRAFT, ReportState.RETURNED)


class IndicatorValue(models.Model):
    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="strategy_indicatorvalue_one_per_report")
        ]

    def __str__(self) -> str:
        return str(self.value)


class Evidence(models.Model):
    """A file supporting a report, stored like case attachments (atis.cases.attachments)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(ActivityReport, on_delete=models.PROTECT, related_name="evidence")
    storage_name = models.CharField(max_length=80, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="strategy_evidence_not_empty")]

    def __str__(self) -> str:
        return self.original_name


class ReportEventKind(models.TextChoices):
    SAVED = "saved", _("saved")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    ACCEPTED = "accepted", _("accepted")
    EVIDENCE = "evidence", _("evidence added")


class ReportEvent(models.Model):
    """One step in a report's history, with what the report said at that moment."""

    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=10, choices=ReportEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=150)
    comment = models.TextField(_("comment"), blank=True)
    # What the report said at this step; open-ended because indicators differ per activity.
    snapshot = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self) -> str:
        return self.kind


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class Evaluation(models.Model):
    """The coordinator's evaluation of a strategy, or of one round of it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="evaluations")
    # Empty: the whole strategy up to now; otherwise the period of that round.
    round = models.ForeignKey(
        ReportingRound, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("period")
    )
    title = models.CharField(_("title"), max_length=300)
    conclusions = models.TextField(_("conclusions"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    # The document library's record of the published PDF (atis.library), when published.
    library_ref = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=EvaluationStatus.values), name="strategy_evaluation_status"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_label(self) -> str:
        return self.title[:200]
