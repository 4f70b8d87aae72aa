"""Cooperation: the partner directory, agreements, county teams and transnational referrals.

Partners are the organisations of atis.organisations; this app adds what cooperation needs
about them (contact points, services offered) and the work done together. Personal data of
contact persons and representatives is encrypted; roles and titles stay plain so lists can
be read and searched without decrypting anyone.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from atis.cases.models import Case, Referral
from atis.codelists.models import Code, CodeList
from atis.geo.models import County
from atis.lib.fields import EncryptedCharField, EncryptedTextField
from atis.organisations.models import Organisation


class ContactPoint(models.Model):
    """A person to call at a partner; the role says why, the person may change."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contact_points", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=120)
    name = EncryptedCharField(_("name"), max_length=150)
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True)
    email = EncryptedCharField(_("e-mail"), max_length=254, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "id"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")

    def __str__(self) -> str:
        return self.role

    @property
    def audit_label(self) -> str:
        # The role, never the person's name: audit labels outlive the record.
        return f"{self.organisation.name}: {self.role}"[:200]


class PartnerService(models.Model):
    """A service a partner offers in a county, for referrals; capacity where it is counted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="services_offered", verbose_name=_("organisation")
    )
    service_type = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": CodeList.SERVICE_TYPE},
        verbose_name=_("service"),
    )
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+", verbose_name=_("county"))
    capacity = models.PositiveIntegerField(_("capacity (persons)"), null=True, blank=True)
    conditions = models.CharField(_("conditions of access"), max_length=300, blank=True)
    is_active = models.BooleanField(_("offered"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["county__name", "service_type__order", "organisation__name"]
        verbose_name = _("service offered")
        verbose_name_plural = _("services offered")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "service_type", "county"], name="cooperation_partnerservice_unique"
            ),
        ]
        indexes = [models.Index(fields=["county", "service_type"], name="cooperation_service_search")]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.service_type}"

    @property
    def audit_label(self) -> str:
        return f"{self.organisation.name}: {self.service_type.code}"[:200]


class AgreementKind(models.TextChoices):
    AGREEMENT = "agreement", _("cooperation agreement")
    PROTOCOL = "protocol", _("protocol")
    MEMORANDUM = "memorandum", _("memorandum of understanding")
    BILATERAL = "bilateral", _("bilateral agreement between states")


class AgreementVisibility(models.TextChoices):
    INTERNAL = "internal", _("internal: agency staff only")
    PARTIES = "parties", _("shared with the parties")


class Agreement(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=AgreementKind.choices, default=AgreementKind.AGREEMENT)
    parties = models.ManyToManyField(Organisation, related_name="agreements", verbose_name=_("parties"))
    scope = models.TextField(pgettext_lazy("agreement", "scope"), blank=True)
    signed_on = models.DateField(_("signed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True, help_text=_("Empty for no end date."))
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=AgreementVisibility.choices, default=AgreementVisibility.INTERNAL
    )
    # The texts live in the document library; the library decides who may open each one.
    documents = models.ManyToManyField(
        "library.Document", blank=True, related_name="agreements", verbose_name=_("documents")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        permissions = [("manage_agreements", _("Can record agreements, partners' contacts and services"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("signed_on")),
                name="cooperation_agreement_expires_after_signature",
            ),
        ]
        indexes = [models.Index(fields=["expires_on"], name="cooperation_agreement_expiry")]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_label(self) -> str:
        return self.title[:200]


class Obligation(models.Model):
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="obligations", verbose_name=_("agreement")
    )
    party = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("party")
    )
    description = models.CharField(_("obligation"), max_length=500)
    due_on = models.DateField(_("due on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")

    def __str__(self) -> str:
        return self.description[:60]


class Activity(models.Model):
    """Something done under an agreement (or, with no agreement, jointly with a counterpart)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("agreement"),
    )
    title = models.CharField(_("activity"), max_length=300)
    held_on = models.DateField(_("date"))
    partners = models.ManyToManyField(Organisation, blank=True, related_name="+", verbose_name=_("partners"))
    summary = EncryptedTextField(_("summary"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("joint activity")
        verbose_name_plural = _("joint activities")

    def __str__(self) -> str:
        return self.title


class CountyTeam(models.Model):
    """The county's inter-institutional anti-trafficking team, chaired by the prefect."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+", verbose_name=_("county"))
    chair = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="chaired_teams", verbose_name=_("chaired by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["county__name"]
        verbose_name = _("county team")
        verbose_name_plural = _("county teams")
        permissions = [("manage_county_teams", _("Can record county team members, meetings and decisions"))]
        constraints = [models.UniqueConstraint(fields=["county"], name="cooperation_countyteam_one_per_county")]

    def __str__(self) -> str:
        return str(self.county)

    @property
    def audit_label(self) -> str:
        return str(self.county)


class TeamMember(models.Model):
    team = models.ForeignKey(CountyTeam, on_delete=models.CASCADE, related_name="members", verbose_name=_("team"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="team_memberships", verbose_name=_("institution")
    )
    representative = EncryptedCharField(_("representative"), max_length=150, blank=True)
    representative_role = models.CharField(_("representative's position"), max_length=120, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(fields=["team", "organisation"], name="cooperation_teammember_once_per_team")
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Meeting(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(CountyTeam, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("team"))
    held_on = models.DateField(_("date"))
    participants = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("institutions present")
    )
    agenda = EncryptedTextField(_("agenda"))
    # Minutes may mention people and situations: encrypted like case notes.
    minutes = EncryptedTextField(_("minutes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.team} {self.held_on:%Y-%m-%d}"

    @property
    def audit_label(self) -> str:
        return str(self)


class DecisionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("decision", "open")
    DONE = "done", pgettext_lazy("decision", "done")
    DROPPED = "dropped", pgettext_lazy("decision", "dropped")


class Decision(models.Model):
    """A decision of a meeting, tracked as an action with an owner and a due date."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting"))
    text = EncryptedCharField(_("decision"), max_length=500)
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible institution")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=DecisionStatus.OPEN) | Q(closed_on__isnull=False),
                name="cooperation_decision_closed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="cooperation_decision_open_due")]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def audit_label(self) -> str:
        # The decision's text may name people and is encrypted: the audit log keeps no copy.
        return f"{self.meeting}: {str(self.public_id)[:8]}"


class DecisionUpdate(models.Model):
    """Follow-up on a decision: what was done, by whom, when."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="updates", verbose_name=_("decision"))
    noted_on = models.DateField(_("date"))
    note = EncryptedCharField(_("follow-up"), max_length=500)
    status = models.CharField(_("status after"), max_length=10, choices=DecisionStatus.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["noted_on", "id"]
        verbose_name = _("decision follow-up")
        verbose_name_plural = _("decision follow-ups")

    def __str__(self) -> str:
        return self.note[:60]


class TrmPhase(models.TextChoices):
    """The phases of the EU Transnational Referral Mechanism."""

    IDENTIFICATION = "identification", _("identification")
    FIRST_ASSISTANCE = "first_assistance", _("first assistance and protection")
    LONG_TERM = "long_term", _("long-term assistance and social inclusion")
    RETURN = "return", _("return and social inclusion")
    PROCEEDINGS = "proceedings", _("criminal and civil proceedings")


class Direction(models.TextChoices):
    OUTGOING = "outgoing", _("to a foreign counterpart")
    INCOMING = "incoming", _("from a foreign counterpart")


class ReturnStatus(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", _("not applicable")
    PLANNED = "planned", pgettext_lazy("return", "planned")
    COMPLETED = "completed", pgettext_lazy("return", "completed")
    DECLINED = "declined", _("declined by the person")


class TransnationalStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("transnational referral", "open")
    FOLLOW_UP = "follow_up", pgettext_lazy("transnational referral", "follow-up")
    CLOSED = "closed", pgettext_lazy("transnational referral", "closed")


class TransnationalReferral(models.Model):
    """A case's cooperation with a foreign counterpart, phase by phase.

    What may be shared is the case referral to the counterpart (atis.cases): its sections and
    the consent it relies on. Withdrawing that consent revokes the referral, which stops any
    further packet.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="transnational_referrals", verbose_name=_("case")
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    counterpart = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("foreign counterpart")
    )
    phase = models.CharField(_("phase"), max_length=20, choices=TrmPhase.choices, default=TrmPhase.IDENTIFICATION)
    sharing = models.OneToOneField(
        Referral,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transnational",
        verbose_name=_("data shared with the counterpart"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TransnationalStatus.choices, default=TransnationalStatus.OPEN
    )
    return_status = models.CharField(
        _("return"), max_length=16, choices=ReturnStatus.choices, default=ReturnStatus.NOT_APPLICABLE
    )
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    follow_up = EncryptedTextField(_("follow-up notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("transnational referral")
        verbose_name_plural = _("transnational referrals")
        permissions = [("refer_transnational", _("Can record transnational referrals and export case packets"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(return_status=ReturnStatus.COMPLETED),
                name="cooperation_transnational_return_date_when_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} ↔ {self.counterpart}"

    @property
    def audit_label(self) -> str:
        return f"{self.case.reference} ↔ {self.counterpart.name}"[:200]


class PacketFormat(models.TextChoices):
    JSON = "json", _("encrypted JSON bundle")
    PDF = "pdf", _("encrypted PDF")


class PacketExport(models.Model):
    """That a packet left the system: who, when, what it held. Never the password."""

    referral = models.ForeignKey(
        TransnationalReferral, on_delete=models.CASCADE, related_name="exports", verbose_name=_("referral")
    )
    format = models.CharField(_("format"), max_length=4, choices=PacketFormat.choices)
    sections = models.JSONField(_("sections included"), default=list)
    sha256 = models.CharField(max_length=64)
    exported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    exported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-exported_at", "-id"]
        verbose_name = _("packet export")
        verbose_name_plural = _("packet exports")

    def __str__(self) -> str:
        return f"{self.referral} {self.format}"
