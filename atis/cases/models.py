"""The record of a presumed or identified victim, following HTCDS 2.0 and the Romanian
National Identification and Referral Mechanism (NIRM).

Identity data live on Person, encrypted; everything statistics need (sex, year of birth
band, county, forms of exploitation, dates) is kept in plain, explicit columns on Case so
figures never require decrypting anyone.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from atis.codelists.models import Code, CodeList
from atis.geo.models import County, Locality
from atis.lib.fields import EncryptedCharField, EncryptedDateField, EncryptedTextField
from atis.organisations.models import Organisation


class Sex(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    OTHER = "other", _("other")
    UNKNOWN = "unknown", _("unknown")


class Education(models.TextChoices):
    NONE = "none", _("no schooling")
    PRIMARY = "primary", _("primary")
    LOWER_SECONDARY = "lower_secondary", _("lower secondary (gymnasium)")
    UPPER_SECONDARY = "upper_secondary", _("upper secondary (high school)")
    VOCATIONAL = "vocational", _("vocational school")
    TERTIARY = "tertiary", _("university")
    UNKNOWN = "unknown", _("unknown")


class Person(models.Model):
    """A person who is or may be a victim. Shown everywhere by `reference` only."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    first_name = EncryptedCharField(_("first name"), max_length=150, blank=True)
    last_name = EncryptedCharField(_("last name"), max_length=150, blank=True)
    cnp = EncryptedCharField(_("personal numeric code (CNP)"), max_length=13, blank=True)
    cnp_lookup = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    # Only the year, in clear: enough for age bands and the minor rule in statistics.
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    phone = EncryptedCharField(_("phone"), max_length=40, blank=True)
    phone_lookup = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    email = EncryptedCharField(_("e-mail"), max_length=254, blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    citizenship = models.CharField(_("citizenship (ISO 3166-1)"), max_length=2, default="RO")
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("county of residence")
    )
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("locality")
    )
    languages = EncryptedCharField(_("languages spoken"), max_length=120, blank=True)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices, default=Education.UNKNOWN)
    vulnerabilities = models.ManyToManyField(
        Code,
        blank=True,
        related_name="+",
        limit_choices_to={"list": CodeList.VULNERABILITY},
        verbose_name=_("vulnerability factors"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.CheckConstraint(condition=Q(citizenship__regex=r"^[A-Z]{2}$"), name="cases_person_citizenship_iso2"),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="cases_person_birth_year_range",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def audit_label(self) -> str:
        return self.reference

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class CaseStatus(models.TextChoices):
    NOTIFIED = "notified", _("notified")
    IDENTIFIED = "identified", _("identified")
    NOT_VICTIM = "not_victim", _("not a victim")
    REFERRED = "referred", _("referred")
    ASSISTED = "assisted", _("in assistance")
    FOLLOW_UP = "follow_up", _("follow-up")
    CLOSED = "closed", _("closed")


class TraffickingStatus(models.TextChoices):
    """HTCDS vic_TraffickingStatus."""

    PRESUMED = "presumed", _("presumed victim")
    IDENTIFIED = "identified", _("identified victim")
    NOT_VICTIM = "not_victim", _("not a victim")


class Scope(models.TextChoices):
    INTERNAL = "internal", _("internal (within Romania)")
    INTERNATIONAL = "international", _("international")
    UNKNOWN = "unknown", _("unknown")


class Case(models.Model):
    """One trafficking situation of one person, from notification to closure."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("reference"), max_length=16, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases", verbose_name=_("person"))
    status = models.CharField(_("stage"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.NOTIFIED)
    trafficking_status = models.CharField(
        _("trafficking status"), max_length=16, choices=TraffickingStatus.choices, default=TraffickingStatus.PRESUMED
    )
    deciding_institution = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institution that decided the status"),
    )
    exploitation_forms = models.ManyToManyField(
        Code,
        blank=True,
        related_name="+",
        limit_choices_to={"list": CodeList.EXPLOITATION_FORM},
        verbose_name=_("forms of exploitation"),
    )
    sexual_exploitation_types = models.ManyToManyField(
        Code,
        blank=True,
        related_name="+",
        limit_choices_to={"list": CodeList.SEXUAL_EXPLOITATION_TYPE},
        verbose_name=_("types of sexual exploitation"),
    )
    labour_industries = models.ManyToManyField(
        Code,
        blank=True,
        related_name="+",
        limit_choices_to={"list": CodeList.LABOUR_INDUSTRY},
        verbose_name=_("forced-labour industries"),
    )
    control_methods = models.ManyToManyField(
        Code,
        blank=True,
        related_name="+",
        limit_choices_to={"list": CodeList.CONTROL_METHOD},
        verbose_name=_("methods of control"),
    )
    recruitment_method = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"list": CodeList.RECRUITMENT_METHOD},
        verbose_name=_("method of recruitment"),
    )
    recruiter_relation = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"list": CodeList.RECRUITER_RELATION},
        verbose_name=_("relation to the recruiter"),
    )
    trafficking_scope = models.CharField(
        _("internal or international"), max_length=16, choices=Scope.choices, default=Scope.UNKNOWN
    )
    destination_country = models.CharField(_("main destination country (ISO 3166-1)"), max_length=2, blank=True)
    minor_at_exploitation = models.BooleanField(_("minor when exploited"), default=False)
    minor_at_identification = models.BooleanField(_("minor when identified"), default=False)
    age_at_identification = models.PositiveSmallIntegerField(_("age when identified"), null=True, blank=True)
    notifying_institution = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("notifying institution"),
    )
    identifying_institution = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("identifying institution"),
    )
    # County whose centre is responsible (residence or, failing that, where found).
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+", verbose_name=_("county of origin"))
    centre = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="responsible_cases",
        verbose_name=_("responsible regional centre"),
    )
    child_protection = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("child protection service (DGASPC)"),
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="owned_cases",
        verbose_name=_("organisation that opened it"),
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_cases",
        verbose_name=_("case manager"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    notified_on = models.DateField(_("notified on"))
    identified_on = models.DateField(_("identified on"), null=True, blank=True)
    exploitation_started_on = models.DateField(_("exploitation started"), null=True, blank=True)
    exploitation_ended_on = models.DateField(_("exploitation ended"), null=True, blank=True)
    reflection_starts_on = models.DateField(_("recovery and reflection period starts"), null=True, blank=True)
    reflection_ends_on = models.DateField(_("recovery and reflection period ends"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"list": CodeList.CLOSURE_REASON},
        verbose_name=_("reason for closing"),
    )
    summary = EncryptedTextField(_("summary"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-notified_on", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [
            # One permission per act the agency tells apart (atis.accounts.actions): opening a
            # case must not also mean identifying, referring or closing it.
            ("notify_case", _("Can notify a presumed victim (open a case)")),
            ("view_identity", _("Can see the identity of victims")),
            ("edit_case", _("Can change a case file")),
            ("identify_victim", _("Can record the formal identification of a victim")),
            ("refer_case", _("Can refer a case to another organisation")),
            ("close_case", _("Can close a case")),
            ("write_note", _("Can add notes and attachments to a case")),
            ("see_case_history", _("Can see who read and changed a case")),
            ("export_case", _("Can export a case file")),
            ("override_consent", _("Can refer without consent, with a recorded reason")),
        ]
        indexes = [
            # The list's default order, nationally and per stage, without a sort at 1M rows.
            models.Index(fields=["-notified_on", "-id"], name="cases_case_notified_desc"),
            models.Index(fields=["status", "-notified_on"], name="cases_case_status_notified"),
            models.Index(fields=["county", "-notified_on"], name="cases_case_county_notified"),
            models.Index(fields=["centre", "status"], name="cases_case_centre_status"),
            models.Index(fields=["identified_on"], name="cases_case_identified_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(identified_on__isnull=True) | Q(identified_on__gte=models.F("notified_on")),
                name="cases_case_identified_after_notified",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("notified_on")),
                name="cases_case_closed_after_notified",
            ),
            models.CheckConstraint(
                condition=Q(exploitation_ended_on__isnull=True)
                | Q(exploitation_started_on__isnull=True)
                | Q(exploitation_ended_on__gte=models.F("exploitation_started_on")),
                name="cases_case_exploitation_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(reflection_ends_on__isnull=True)
                | Q(reflection_ends_on__gte=models.F("reflection_starts_on")),
                name="cases_case_reflection_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.CLOSED) | Q(closed_on__isnull=False),
                name="cases_case_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def audit_label(self) -> str:
        return self.reference


class EventKind(models.TextChoices):
    """HTCDS hte_Type."""

    RECRUITMENT = "recruitment", _("recruitment")
    TRANSIT = "transit", _("transit")
    EXPLOITATION = "exploitation", _("exploitation")


class TraffickingEvent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    country = models.CharField(_("country (ISO 3166-1)"), max_length=2, default="RO")
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("county")
    )
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("locality")
    )
    place = EncryptedCharField(_("place (abroad)"), max_length=120, blank=True)
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        ordering = ["started_on", "id"]
        verbose_name = _("trafficking event")
        verbose_name_plural = _("trafficking events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="cases_event_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(country="RO") | Q(place=""),
                name="cases_event_place_only_abroad",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.country}"


class ConsentPurpose(models.TextChoices):
    ASSISTANCE = "assistance", _("assistance and protection")
    SHARING = "sharing", _("sharing data with a named organisation")
    PROCEEDINGS = "proceedings", _("participation in criminal proceedings")


class Consent(models.Model):
    """The person's consent for one purpose; withdrawing it stops any further sharing."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents", verbose_name=_("case"))
    purpose = models.CharField(_("purpose"), max_length=16, choices=ConsentPurpose.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shared with"),
    )
    given_on = models.DateField(_("given on"))
    given_by_representative = models.BooleanField(_("given by a legal representative"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = EncryptedCharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(purpose=ConsentPurpose.SHARING) | Q(organisation__isnull=False),
                name="cases_consent_sharing_names_organisation",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="cases_consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return self.get_purpose_display()

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class TaskKind(models.TextChoices):
    REFLECTION_END = "reflection_end", _("end of the recovery and reflection period")
    CHILD_PROTECTION = "child_protection", _("notify child protection (DGASPC)")
    FOLLOW_UP_3 = "follow_up_3", _("reintegration follow-up at 3 months")
    FOLLOW_UP_6 = "follow_up_6", _("reintegration follow-up at 6 months")
    FOLLOW_UP_12 = "follow_up_12", _("reintegration follow-up at 12 months")


class CaseTask(models.Model):
    """A dated obligation on a case, shown on the dashboard when due or overdue."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("case"))
    kind = models.CharField(_("task"), max_length=20, choices=TaskKind.choices)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = EncryptedCharField(_("outcome"), max_length=300, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="cases_task_one_per_kind"),
        ]
        indexes = [models.Index(fields=["done_on", "due_on"], name="cases_task_open_due")]

    def __str__(self) -> str:
        return self.get_kind_display()


class ProceedingRole(models.TextChoices):
    INJURED_PARTY = "injured_party", _("injured party")
    WITNESS = "witness", _("witness")
    CIVIL_PARTY = "civil_party", _("civil party")
    NONE = "none", _("not involved")


class ProceedingStage(models.TextChoices):
    COMPLAINT = "complaint", _("complaint filed")
    INVESTIGATION = "investigation", _("criminal investigation")
    INDICTMENT = "indictment", _("indictment")
    TRIAL = "trial", _("trial")
    CONVICTION = "conviction", _("final conviction")
    ACQUITTAL = "acquittal", _("acquittal")
    DISMISSED = "dismissed", _("case dismissed")


class Proceeding(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="proceedings", verbose_name=_("case"))
    role = models.CharField(_("role of the victim"), max_length=16, choices=ProceedingRole.choices)
    prosecuting_unit = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("prosecuting unit"),
    )
    file_number = EncryptedCharField(_("file number"), max_length=80, blank=True)
    stage = models.CharField(_("stage"), max_length=16, choices=ProceedingStage.choices)
    protection_measures = EncryptedTextField(_("protection measures"), blank=True)
    compensation_claimed = models.DecimalField(
        _("compensation claimed (RON)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    compensation_awarded = models.DecimalField(
        _("compensation awarded (RON)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    updated_on = models.DateField(_("last update"))

    class Meta:
        ordering = ["-updated_on", "-id"]
        verbose_name = _("criminal proceeding")
        verbose_name_plural = _("criminal proceedings")
        constraints = [
            models.CheckConstraint(
                condition=Q(compensation_claimed__isnull=True) | Q(compensation_claimed__gte=0),
                name="cases_proceeding_claim_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(compensation_awarded__isnull=True) | Q(compensation_awarded__gte=0),
                name="cases_proceeding_award_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.get_stage_display()


class Note(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes", verbose_name=_("case"))
    # Sanitised HTML (nh3 allowlist), encrypted: notes often carry health details.
    body = EncryptedTextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return f"note {self.pk}"


class Attachment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("case"))
    # Random storage name under MEDIA_ROOT (outside any web root); the original name is personal.
    storage_name = models.CharField(max_length=80, unique=True, editable=False)
    original_name = EncryptedCharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    # The file is encrypted under a key of its own; the key is kept here wrapped by the field
    # keys, so rotating those re-wraps it (rotate_field_keys) without rewriting the file.
    file_key = EncryptedCharField(max_length=60, blank=True, default="", editable=False)
    description = EncryptedCharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="cases_attachment_not_empty")]

    def __str__(self) -> str:
        return self.content_type


class Section(models.TextChoices):
    """Parts of a case a referral may open to the receiving organisation."""

    PERSON = "person", _("identity and contact")
    CASE = "case", _("case details")
    EVENTS = "events", _("trafficking events")
    ASSISTANCE = "assistance", _("assistance")
    PROCEEDINGS = "proceedings", _("criminal proceedings")
    NOTES = "notes", _("notes and attachments")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("sent")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")
    COMPLETED = "completed", _("completed")
    REVOKED = "revoked", _("revoked")


OPEN_REFERRAL_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


class Referral(models.Model):
    """A request from one organisation to another to provide services to the person."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("case"))
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_sent", verbose_name=_("from")
    )
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="referrals_received", verbose_name=_("to")
    )
    services = models.ManyToManyField(
        Code, related_name="+", limit_choices_to={"list": CodeList.SERVICE_TYPE}, verbose_name=_("services requested")
    )
    sections = models.JSONField(_("sections shared"), default=list)
    reason = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"list": CodeList.REFERRAL_REASON},
        verbose_name=_("reason"),
    )
    message = EncryptedCharField(_("message to the receiving organisation"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("consent it relies on"),
    )
    override_reason = EncryptedCharField(_("reason for referring without consent"), max_length=300, blank=True)
    response_reason = EncryptedCharField(_("reason given by the receiver"), max_length=300, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        permissions = [("answer_referral", _("Can accept, reject and complete referrals to own organisation"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent__isnull=False) | ~Q(override_reason=""),
                name="cases_referral_consent_or_override",
            ),
            models.CheckConstraint(
                condition=~Q(from_organisation=models.F("to_organisation")),
                name="cases_referral_between_two_organisations",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.REJECTED) | ~Q(response_reason=""),
                name="cases_referral_rejection_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["to_organisation", "status"], name="cases_referral_inbox")]

    def __str__(self) -> str:
        return f"{self.case} → {self.to_organisation}"

    @property
    def audit_label(self) -> str:
        return f"{self.case.reference} → {self.to_organisation}"
