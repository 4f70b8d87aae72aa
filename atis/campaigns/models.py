"""Prevention campaigns: what the agency and its partners plan, what they did in the field
and how far it reached.

No victim data lives here. Reach is counted in groups (target group × sex × adult/minor),
never per person; photos of activities are re-encoded on upload so no EXIF or GPS survives.
Target groups, channels and activity types are code lists kept as data (`CampaignCode`),
loaded from `data/codes.csv`, so their codes stay stable across years while labels change.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from atis.codelists.models import Code, CodeList
from atis.geo.models import County, Locality
from atis.organisations.models import Organisation


class CodeKind(models.TextChoices):
    TARGET_GROUP = "target_group", _("Target groups")
    CHANNEL = "channel", _("Channels")
    ACTIVITY_TYPE = "activity_type", _("Types of activity")


class CampaignCode(models.Model):
    kind = models.CharField(_("list"), max_length=20, choices=CodeKind.choices)
    code = models.CharField(_("code"), max_length=40)
    label_en = models.CharField(_("label in English"), max_length=120)
    label_ro = models.CharField(_("label in Romanian"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("offered in forms"), default=True)

    class Meta:
        ordering = ["kind", "order", "code"]
        verbose_name = _("campaign code")
        verbose_name_plural = _("campaign codes")
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="campaigns_campaigncode_unique_per_kind"),
            models.CheckConstraint(condition=Q(kind__in=CodeKind.values), name="campaigns_campaigncode_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_ro if (get_language() or "ro").startswith("ro") else self.label_en


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")
    RUNNING = "running", _("running")
    EVALUATED = "evaluated", _("evaluated")


class Campaign(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    objectives = models.TextField(_("objectives"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("organisation")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(_("status"), max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    exploitation_forms = models.ManyToManyField(
        Code,
        related_name="+",
        limit_choices_to={"list": CodeList.EXPLOITATION_FORM},
        verbose_name=_("forms of exploitation addressed"),
    )
    target_groups = models.ManyToManyField(
        CampaignCode,
        related_name="+",
        limit_choices_to={"kind": CodeKind.TARGET_GROUP},
        verbose_name=_("target groups"),
    )
    channels = models.ManyToManyField(
        CampaignCode, related_name="+", limit_choices_to={"kind": CodeKind.CHANNEL}, verbose_name=_("channels")
    )
    is_national = models.BooleanField(_("the whole country"), default=False)
    counties = models.ManyToManyField(County, blank=True, related_name="+", verbose_name=_("counties"))
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="partner_campaigns", verbose_name=_("partner organisations")
    )
    # Posters, leaflets and videos live in the document library; a campaign lists those it uses.
    materials = models.ManyToManyField(
        "library.Document", blank=True, related_name="campaigns", verbose_name=_("campaign materials")
    )
    budget = models.DecimalField(_("budget (lei)"), max_digits=12, decimal_places=2, null=True, blank=True)
    funding_sources = models.CharField(_("sources of funding"), max_length=300, blank=True)
    target_people = models.PositiveIntegerField(_("people to reach"), null=True, blank=True)
    target_events = models.PositiveIntegerField(_("activities to hold"), null=True, blank=True)
    target_materials = models.PositiveIntegerField(_("materials to distribute"), null=True, blank=True)
    target_media_reach = models.PositiveIntegerField(_("online and media reach to achieve"), null=True, blank=True)
    is_public = models.BooleanField(_("shown on the public portal"), default=False)
    public_summary = models.TextField(_("public summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: an edit made on a stale copy is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        permissions = [
            ("manage_campaign", _("Can plan campaigns of their organisation and record their activities")),
            ("approve_campaign", _("Can approve prevention campaigns")),
            ("view_campaign_figures", _("Can see campaign totals, the risk view and evaluations")),
        ]
        indexes = [models.Index(fields=["status", "-starts_on"], name="campaigns_status_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaigns_campaign_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CampaignStatus.values), name="campaigns_campaign_status_valid"
            ),
            # Approval is recorded with its author: a campaign past draft names who approved it.
            models.CheckConstraint(
                condition=Q(status=CampaignStatus.DRAFT) | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="campaigns_campaign_approver_recorded",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="campaigns_campaign_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_label(self) -> str:
        return self.title[:200]


class AgeBand(models.TextChoices):
    ADULT = "adult", _("adults")
    MINOR = "minor", _("minors")


class ParticipantSex(models.TextChoices):
    FEMALE = "female", _("women and girls")
    MALE = "male", _("men and boys")


class Activity(models.Model):
    """One thing done for a campaign on one day in one place."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="activities", verbose_name=_("campaign")
    )
    held_on = models.DateField(_("date"))
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="+", verbose_name=_("county"))
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("locality")
    )
    venue = models.CharField(_("place"), max_length=200, blank=True)
    activity_type = models.ForeignKey(
        CampaignCode,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": CodeKind.ACTIVITY_TYPE},
        verbose_name=_("type"),
    )
    channel = models.ForeignKey(
        CampaignCode,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": CodeKind.CHANNEL},
        verbose_name=_("channel"),
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("partner organisations")
    )
    materials_distributed = models.PositiveIntegerField(_("materials distributed"), default=0)
    media_reach = models.PositiveIntegerField(_("online or media reach"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["campaign", "-held_on"], name="campaigns_activity_day"),
            models.Index(fields=["held_on", "county"], name="campaigns_day_county"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.county_id}"

    @property
    def audit_label(self) -> str:
        return f"{self.campaign.title[:150]} · {self.held_on.isoformat()}"


class Participation(models.Model):
    """How many people of one target group, sex and age band took part in an activity."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="participations", verbose_name=_("activity")
    )
    target_group = models.ForeignKey(
        CampaignCode,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": CodeKind.TARGET_GROUP},
        verbose_name=_("target group"),
    )
    sex = models.CharField(_("sex"), max_length=8, choices=ParticipantSex.choices)
    age_band = models.CharField(_("age band"), max_length=8, choices=AgeBand.choices)
    count = models.PositiveIntegerField(_("participants"))

    class Meta:
        ordering = ["target_group__order", "sex", "age_band"]
        verbose_name = _("participants")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "target_group", "sex", "age_band"], name="campaigns_participation_one_cell"
            ),
            models.CheckConstraint(condition=Q(count__gt=0), name="campaigns_participation_count_positive"),
            models.CheckConstraint(
                condition=Q(sex__in=ParticipantSex.values), name="campaigns_participation_sex_valid"
            ),
            models.CheckConstraint(
                condition=Q(age_band__in=AgeBand.values), name="campaigns_participation_age_band_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_group_id} {self.sex} {self.age_band}: {self.count}"


class ActivityPhoto(models.Model):
    """A photo of an activity, re-encoded on upload (no EXIF, no GPS) and kept under a random name."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos", verbose_name=_("activity"))
    storage_name = models.CharField(max_length=64, unique=True, editable=False)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.storage_name


class Evaluation(models.Model):
    """The evaluation of a campaign: conclusions and an optional awareness survey before and after."""

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, related_name="evaluation", verbose_name=_("campaign")
    )
    survey_pre_respondents = models.PositiveIntegerField(_("respondents before"), null=True, blank=True)
    survey_pre_aware = models.PositiveIntegerField(_("aware before"), null=True, blank=True)
    survey_post_respondents = models.PositiveIntegerField(_("respondents after"), null=True, blank=True)
    survey_post_aware = models.PositiveIntegerField(_("aware after"), null=True, blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("evaluated by")
    )
    evaluated_at = models.DateTimeField(_("evaluated at"))

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=Q(survey_pre_aware__isnull=True)
                | Q(survey_pre_aware__lte=models.F("survey_pre_respondents")),
                name="campaigns_evaluation_pre_aware_within_respondents",
            ),
            models.CheckConstraint(
                condition=Q(survey_post_aware__isnull=True)
                | Q(survey_post_aware__lte=models.F("survey_post_respondents")),
                name="campaigns_evaluation_post_aware_within_respondents",
            ),
        ]

    def __str__(self) -> str:
        return str(self.campaign)
