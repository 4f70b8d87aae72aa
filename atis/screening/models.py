"""Indicator-based screening and the job-offer risk check.

The indicator catalogue is data an authorised expert corrects without code changes; every
change leaves an IndicatorChange row (who, when, before, after). A screening keeps, for each
question, the dimension and strength the indicator had when it was asked, so a later
correction of the catalogue never rewrites an old result.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from atis.cases.models import Case
from atis.codelists.models import Code, CodeList
from atis.lib.fields import EncryptedCharField, EncryptedTextField
from atis.screening.rules import Dimension, IndicatorList, Strength


class IloIndicator(models.TextChoices):
    """The ILO's 11 indicators of forced labour, as tags on the operational indicators."""

    ABUSE_OF_VULNERABILITY = "abuse_of_vulnerability", _("abuse of vulnerability")
    DECEPTION = "deception", _("deception")
    RESTRICTION_OF_MOVEMENT = "restriction_of_movement", _("restriction of movement")
    ISOLATION = "isolation", _("isolation")
    VIOLENCE = "physical_sexual_violence", _("physical and sexual violence")
    THREATS = "intimidation_threats", _("intimidation and threats")
    DOCUMENTS = "retention_of_documents", _("retention of identity documents")
    WAGES = "withholding_of_wages", _("withholding of wages")
    DEBT = "debt_bondage", _("debt bondage")
    CONDITIONS = "abusive_conditions", _("abusive working and living conditions")
    OVERTIME = "excessive_overtime", _("excessive overtime")


class Indicator(models.Model):
    """One question of one list. The code never changes; labels, strength and order may."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    list = models.CharField(pgettext_lazy("indicator list", "list"), max_length=20, choices=IndicatorList.choices)
    dimension = models.CharField(_("dimension"), max_length=1, choices=Dimension.choices)
    code = models.SlugField(_("code"), max_length=60)
    label_en = models.CharField(_("text in English"), max_length=300)
    label_ro = models.CharField(_("text in Romanian"), max_length=300)
    strength = models.CharField(_("strength"), max_length=6, choices=Strength.choices)
    ilo_indicator = models.CharField(
        _("ILO forced-labour indicator"), max_length=30, choices=IloIndicator.choices, blank=True
    )
    control_method = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"list": CodeList.CONTROL_METHOD},
        verbose_name=_("method of control it suggests (HTCDS)"),
    )
    exploitation_form = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"list": CodeList.EXPLOITATION_FORM},
        verbose_name=_("form of exploitation it suggests (HTCDS)"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("asked in new screenings"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["list", "dimension", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        permissions = [("manage_indicators", _("Can correct the indicator catalogue"))]
        constraints = [
            models.UniqueConstraint(fields=["list", "code"], name="screening_indicator_code_unique_per_list"),
            models.CheckConstraint(condition=Q(list__in=IndicatorList.values), name="screening_indicator_list_valid"),
            models.CheckConstraint(
                condition=Q(dimension__in=Dimension.values), name="screening_indicator_dimension_valid"
            ),
            models.CheckConstraint(
                condition=Q(strength__in=Strength.values), name="screening_indicator_strength_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_ro if (get_language() or "ro").startswith("ro") else self.label_en

    @property
    def audit_label(self) -> str:
        return f"{self.list}:{self.code}"


class IndicatorChange(models.Model):
    """The history of the catalogue: one row per creation or correction, never edited."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        CHANGED = "changed", _("changed")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="changes", verbose_name=_("indicator")
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    # Null for the catalogue shipped with atis (loaded by a migration, not by a person).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict)
    reason = models.CharField(_("reason for the change"), max_length=300, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("indicator change")
        verbose_name_plural = _("indicator changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["created", "changed"]), name="screening_indicatorchange_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.action}"

    @property
    def changed_fields(self) -> list[tuple[str, object, object]]:
        keys = sorted(set(self.before) | set(self.after))
        return [
            (key, self.before.get(key), self.after.get(key))
            for key in keys
            if self.before.get(key) != self.after.get(key)
        ]


class Screening(models.Model):
    """One screening of one case against one list, with the rule's result at that time."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="screenings", verbose_name=_("case"))
    list = models.CharField(pgettext_lazy("indicator list", "list"), max_length=20, choices=IndicatorList.choices)
    # The rule's result when saved (letters of the dimensions present, e.g. "ADE").
    dimensions_present = models.CharField(_("dimensions present"), max_length=6, blank=True)
    presumed = models.BooleanField(_("the rule gives a presumed victim"))
    # Encrypted: a note on a screening describes the person's situation.
    note = EncryptedTextField(_("note"), blank=True)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("screened by")
    )
    performed_at = models.DateTimeField(_("screened at"), auto_now_add=True)

    class Meta:
        ordering = ["-performed_at", "-id"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        permissions = [("run_screening", _("Can screen cases in scope with the indicator lists"))]
        indexes = [models.Index(fields=["case", "-performed_at"], name="screening_case_performed")]
        constraints = [
            models.CheckConstraint(condition=Q(list__in=IndicatorList.values), name="screening_screening_list_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.list}"

    @property
    def audit_label(self) -> str:
        return self.case.reference


class Answer(models.TextChoices):
    PRESENT = "present", _("present")
    ABSENT = "absent", _("absent")
    UNKNOWN = "unknown", _("not known")


class ScreeningAnswer(models.Model):
    screening = models.ForeignKey(
        Screening, on_delete=models.CASCADE, related_name="answers", verbose_name=_("screening")
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("indicator"))
    answer = models.CharField(_("answer"), max_length=8, choices=Answer.choices, default=Answer.UNKNOWN)
    # As graded when asked: later corrections of the catalogue do not change this screening.
    dimension = models.CharField(_("dimension"), max_length=1, choices=Dimension.choices)
    strength = models.CharField(_("strength"), max_length=6, choices=Strength.choices)
    note = EncryptedCharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["dimension", "indicator__order", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "indicator"], name="screening_screeninganswer_one_per_indicator"
            ),
            models.CheckConstraint(
                condition=Q(answer__in=Answer.values), name="screening_screeninganswer_answer_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.answer}"


class CallbackRequest(models.Model):
    """A member of the public who checked a job offer and asked the HelpLine to call back.

    Only the phone number (encrypted), the consent and the check's outcome are kept: never
    the text of the offer, which may name the person or others.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    phone = EncryptedCharField(_("phone"), max_length=40)
    language = models.CharField(_("language"), max_length=5)
    consent_given_at = models.DateTimeField(_("consent to be called given at"))
    level = models.CharField(_("level of the check"), max_length=6)
    sign_codes = models.CharField(_("warning signs found"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    handled_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("called back by"),
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("call-back request")
        verbose_name_plural = _("call-back requests")
        permissions = [
            ("check_job_offer", _("Can check job offers for warning signs")),
            ("handle_callbacks", _("Can see and answer call-back requests from the job-offer check")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=["low", "medium", "high"]), name="screening_callbackrequest_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(handled_at__isnull=True, handled_by__isnull=True)
                | Q(handled_at__isnull=False, handled_by__isnull=False),
                name="screening_callbackrequest_handled_by_when",
            ),
        ]

    def __str__(self) -> str:
        return str(self.public_id)

    @property
    def audit_label(self) -> str:
        return f"callback {str(self.public_id)[:8]}"
