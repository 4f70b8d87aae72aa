"""The HelpLine's contact log (0800 800 678): every contact is logged, not only those that
become cases (as helplines such as Aselo do), so silent calls, hang-ups and wrong numbers
count too.

A contact is anonymous by default. Identifying data are kept only with the caller's
agreement, encrypted; a repeat caller is recognised through a keyed hash of the normalised
number (`caller_lookup`), never a stored plaintext number. What statistics need (channel,
type, caller role, topics, destination, county, dates) stays in plain columns, so figures
never decrypt anything.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from atis.cases.models import Case
from atis.codelists.models import Code, CodeList
from atis.geo.models import County
from atis.lib.fields import EncryptedCharField, EncryptedTextField
from atis.organisations.models import Organisation


class Language(models.TextChoices):
    """Languages the HelpLine answers or is asked in (ISO 639)."""

    ROMANIAN = "ro", _("Romanian")
    ENGLISH = "en", _("English")
    HUNGARIAN = "hu", _("Hungarian")
    ROMANI = "rom", _("Romani")
    ITALIAN = "it", _("Italian")
    SPANISH = "es", _("Spanish")
    GERMAN = "de", _("German")
    FRENCH = "fr", _("French")
    UKRAINIAN = "uk", _("Ukrainian")
    RUSSIAN = "ru", _("Russian")
    OTHER = "other", _("another language")


class Contact(models.Model):
    """One call, message or visit to the HelpLine. Shown everywhere by `reference` only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    # The HelpLine's organisation: a helpline is a team, its operators share the log.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="helpline_contacts", verbose_name=_("HelpLine")
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("taken by")
    )
    channel = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": CodeList.HELPLINE_CHANNEL},
        verbose_name=_("channel"),
    )
    started_at = models.DateTimeField(_("started (or received) at"))
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    contact_type = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": CodeList.HELPLINE_CONTACT_TYPE},
        verbose_name=_("type of contact"),
    )
    caller_role = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": CodeList.HELPLINE_CALLER_ROLE},
        verbose_name=_("caller"),
    )
    topics = models.ManyToManyField(
        Code,
        blank=True,
        related_name="+",
        limit_choices_to={"list": CodeList.HELPLINE_TOPIC},
        verbose_name=_("topics"),
    )
    destination_country = models.CharField(_("destination country (ISO 3166-1)"), max_length=2, blank=True)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("county")
    )
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.ROMANIAN)
    # Free text often names people and places: encrypted, and each reading is audited.
    summary = EncryptedTextField(_("summary"), blank=True)
    identity_agreed = models.BooleanField(_("the caller agreed that their contact details be kept"), default=False)
    caller_name = EncryptedCharField(_("caller's name"), max_length=150, blank=True)
    caller_phone = EncryptedCharField(_("caller's phone"), max_length=40, blank=True)
    # Keyed hash of the normalised number: recognises a repeat caller without keeping the number.
    caller_lookup = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    emergency = models.BooleanField(_("imminent danger"), default=False)
    emergency_action = EncryptedTextField(_("what was done"), blank=True)
    emergency_action_at = models.DateTimeField(_("when it was done"), null=True, blank=True)
    # Set when the contact is escalated: the county whose regional centre was notified.
    escalated_county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("escalated for")
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("HelpLine contact")
        verbose_name_plural = _("HelpLine contacts")
        permissions = [
            ("log_contact", _("Can log HelpLine contacts, escalate them and follow them up")),
            ("view_statistics", _("Can see HelpLine statistics (aggregates only)")),
        ]
        indexes = [
            models.Index(fields=["organisation", "-started_at"], name="helpline_contact_org_started"),
            models.Index(fields=["escalated_county", "-started_at"], name="helpline_contact_escalated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(destination_country="") | Q(destination_country__regex=r"^[A-Z]{2}$"),
                name="helpline_contact_country_iso2",
            ),
            models.CheckConstraint(
                condition=Q(emergency=False) | Q(emergency_action_at__isnull=False),
                name="helpline_contact_emergency_has_action_time",
            ),
            models.CheckConstraint(
                condition=Q(escalated_at__isnull=True) | Q(escalated_county__isnull=False),
                name="helpline_contact_escalation_has_county",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def audit_label(self) -> str:
        return self.reference

    @property
    def is_escalated(self) -> bool:
        return self.escalated_at is not None

    @property
    def duration_label(self) -> str:
        """m:ss, as operators say it."""
        if self.duration_seconds is None:
            return ""
        minutes, seconds = divmod(self.duration_seconds, 60)
        return f"{minutes}:{seconds:02d}"


class EscalationKind(models.TextChoices):
    CASE = "case", _("notification of a presumed victim (case)")
    AUTHORITIES = "authorities", _("notification to the police or DIICOT and the regional centre")


class Escalation(models.Model):
    """A contact turned into a case or a notification; the centre follows from the county."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="escalations", verbose_name=_("contact")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EscalationKind.choices)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("case")
    )
    authority = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("police or prosecutor's office"),
    )
    centre = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible regional centre")
    )
    message = EncryptedTextField(_("message"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="case") & Q(case__isnull=False))
                | (Q(kind="authorities") & Q(authority__isnull=False)),
                name="helpline_escalation_target_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class FollowUp(models.Model):
    """A dated task on a contact (call back, confirm a notification was received).

    Not a cases.CaseTask: most contacts never become cases, and a task here has a time and
    an assignee, not one of the case workflow's fixed kinds.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("contact"))
    # May name the caller or a place: encrypted.
    description = EncryptedCharField(_("what to do"), max_length=300)
    due_at = models.DateTimeField(_("due at"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned to")
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        indexes = [models.Index(fields=["assignee", "done_at", "due_at"], name="helpline_followup_open_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | Q(done_by__isnull=False),
                name="helpline_followup_done_has_who",
            ),
        ]

    def __str__(self) -> str:
        return f"follow-up {self.public_id}"


class RiskLevel(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class JobOfferCheck(models.Model):
    """The outcome of checking a job offer during a contact.

    The offer text itself is not kept: it may name the caller or the recruiter, and the level
    and the warning signs are what the HelpLine and its statistics need.
    """

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="job_offer_checks", verbose_name=_("contact")
    )
    level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices)
    # Codes of the warning signs found; the catalogue of signs belongs to atis.screening.
    sign_codes = models.JSONField(_("warning signs"), default=list, blank=True)
    checked_at = models.DateTimeField(auto_now_add=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("job-offer check")
        verbose_name_plural = _("job-offer checks")

    def __str__(self) -> str:
        return self.get_level_display()
