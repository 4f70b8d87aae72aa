"""Assistance under the National Identification and Referral Mechanism: the individual
support plan, the services delivered and the places in shelters.

Everything that could describe a person's health or situation (needs, goals, notes) is
encrypted; what statistics need (service type, provider, dates, outcome) stays in plain
columns. A shelter's address is encrypted and never listed: a leaked address can put the
people living there in danger.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from atis.cases.models import Case
from atis.codelists.models import Code, CodeList
from atis.lib.fields import EncryptedCharField, EncryptedTextField
from atis.organisations.models import Organisation, OrganisationKind


class SupportPlan(models.Model):
    """The individual assistance plan of one case (one per case)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="support_plan", verbose_name=_("case"))
    needs_assessment = EncryptedTextField(_("needs assessment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("drawn up by")
    )
    created_at = models.DateTimeField(_("drawn up at"), auto_now_add=True)

    class Meta:
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")
        permissions = [
            ("view_assistance", _("Can see the assistance of cases in scope")),
            ("record_assistance", _("Can record support plans and services for cases in scope")),
            ("manage_shelter_places", _("Can see free shelter places, book and release them")),
        ]

    def __str__(self) -> str:
        return f"plan {self.case_id}"

    @property
    def audit_label(self) -> str:
        return self.case.reference


class GoalStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    ACHIEVED = "achieved", _("achieved")
    DROPPED = "dropped", _("dropped")


class PlanGoal(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan"))
    # Encrypted: a goal often names a health or family situation.
    description = EncryptedCharField(_("goal"), max_length=300)
    domain = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": CodeList.SERVICE_TYPE},
        verbose_name=_("domain"),
    )
    status = models.CharField(_("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.PLANNED)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=GoalStatus.values), name="assistance_plangoal_status_valid"),
        ]

    def __str__(self) -> str:
        return self.get_status_display()


class PlanReview(models.Model):
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("plan"))
    reviewed_on = models.DateField(_("reviewed on"))
    notes = EncryptedTextField(_("notes"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reviewed by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")

    def __str__(self) -> str:
        return str(self.reviewed_on)


class ServiceOutcome(models.TextChoices):
    ONGOING = "ongoing", _("ongoing")
    COMPLETED = "completed", _("completed")
    INTERRUPTED = "interrupted", _("interrupted")
    REFUSED = "refused", _("refused by the person")


class ServiceDelivery(models.Model):
    """One service given to the person by one provider, from a start date to an end."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="service_deliveries", verbose_name=_("case"))
    service_type = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": CodeList.SERVICE_TYPE},
        verbose_name=_("service"),
    )
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("provided by")
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=ServiceOutcome.choices, default=ServiceOutcome.ONGOING
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by organisation")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("service delivered")
        verbose_name_plural = _("services delivered")
        indexes = [models.Index(fields=["case", "-started_on"], name="assistance_service_case_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="assistance_servicedelivery_end_after_start",
            ),
            # An ongoing service has no end yet; any other outcome says when it ended.
            models.CheckConstraint(
                condition=Q(outcome=ServiceOutcome.ONGOING, ended_on__isnull=True)
                | (~Q(outcome=ServiceOutcome.ONGOING) & Q(ended_on__isnull=False)),
                name="assistance_servicedelivery_ended_unless_ongoing",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=ServiceOutcome.values), name="assistance_servicedelivery_outcome_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_type_id} {self.started_on}"


class Shelter(models.Model):
    """The places an organisation of kind shelter offers. Its address is never listed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="shelter",
        limit_choices_to={"kind": OrganisationKind.SHELTER},
        verbose_name=_("organisation"),
    )
    capacity = models.PositiveIntegerField(_("places"))
    address = EncryptedTextField(_("address"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("shelter")
        verbose_name_plural = _("shelters")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="assistance_shelter_capacity_positive"),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def audit_label(self) -> str:
        return str(self.organisation)


class ShelterPlacement(models.Model):
    """A place in a shelter taken by a case, from its start until it is released.

    The place counts as taken while `ends_on` is empty, whatever the start date: a booked
    place is a taken place.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    shelter = models.ForeignKey(Shelter, on_delete=models.PROTECT, related_name="placements", verbose_name=_("shelter"))
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shelter_placements", verbose_name=_("case"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("booked by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("shelter placement")
        verbose_name_plural = _("shelter placements")
        indexes = [models.Index(fields=["shelter", "ends_on"], name="assistance_placement_open")]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(ends_on__isnull=True), name="assistance_shelterplacement_one_open_per_case"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="assistance_shelterplacement_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shelter_id} {self.starts_on}"

    @property
    def is_open(self) -> bool:
        return self.ends_on is None
