"""Every change to campaigns goes through here: permission, scope, rule and audit entry in one
transaction, so the screens, a command or an API behave the same.

Who may do what:
- a campaign officer (`manage_campaign`) plans the campaigns of their own organisation, edits
  them while they are drafts, starts an approved one, records its activities while it runs and
  evaluates it;
- the national coordinator (`approve_campaign`) approves a draft; the approver is recorded.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from atis.accounts.selectors import active_membership
from atis.audit.services import audit_record
from atis.campaigns.models import (
    Activity,
    ActivityPhoto,
    AgeBand,
    Campaign,
    CampaignCode,
    CampaignStatus,
    CodeKind,
    Evaluation,
    ParticipantSex,
    Participation,
)
from atis.codelists.models import Code, CodeList
from atis.geo.models import County, Locality
from atis.lib import uploads
from atis.library.models import Category, Document
from atis.organisations.models import Organisation

MANAGE = "campaigns.manage_campaign"
APPROVE = "campaigns.approve_campaign"
TEXT_MAX = 5000
# Photos: what a phone takes, re-encoded; anything else is refused by its content.
PHOTO_TYPES = {"image/jpeg": ("JPEG", ".jpg"), "image/png": ("PNG", ".png")}
PHOTO_MAX_BYTES = 12 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
PHOTO_MAX_SIDE = 2560
PHOTOS_PER_ACTIVITY = 10


def _field_error(field_name: str, message: str, code: str) -> ValidationError:
    return ValidationError({field_name: ValidationError(message, code=code)})


def _require(actor: Any, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied


def _organisation_of(actor: Any) -> Organisation:
    membership = active_membership(actor)
    if membership is None:
        raise PermissionDenied
    return membership.organisation


def may_edit(actor: Any, campaign: Campaign) -> bool:
    """Officers edit only their own organisation's campaigns."""
    if not actor.has_perm(MANAGE):
        return False
    membership = active_membership(actor)
    return membership is not None and membership.organisation_id == campaign.organisation_id


def _require_editor(actor: Any, campaign: Campaign) -> None:
    if not may_edit(actor, campaign):
        raise PermissionDenied


def _require_status(campaign: Campaign, *allowed: str, message: str) -> None:
    if campaign.status not in allowed:
        raise ValidationError(message, code="wrong_status")


def _codes_of(codes: Iterable[CampaignCode], kind: str, field_name: str, message: str) -> list[CampaignCode]:
    chosen = list(codes)
    if not chosen:
        raise _field_error(field_name, message, "required")
    if any(code.kind != kind for code in chosen):
        raise _field_error(field_name, _("Choose from the list."), "wrong_list")
    return chosen


@dataclass
class CampaignData:
    """What a campaign officer states about a campaign; the service checks it as a whole."""

    title: str
    objectives: str
    starts_on: datetime.date
    ends_on: datetime.date
    exploitation_forms: list[Code]
    target_groups: list[CampaignCode]
    channels: list[CampaignCode]
    is_national: bool = False
    counties: list[County] = field(default_factory=list)
    partners: list[Organisation] = field(default_factory=list)
    materials: list[Document] = field(default_factory=list)
    budget: Decimal | None = None
    funding_sources: str = ""
    target_people: int | None = None
    target_events: int | None = None
    target_materials: int | None = None
    target_media_reach: int | None = None
    is_public: bool = False
    public_summary: str = ""


def _check(data: CampaignData) -> None:
    data.title = data.title.strip()
    data.objectives = data.objectives.strip()
    data.funding_sources = data.funding_sources.strip()
    data.public_summary = data.public_summary.strip()
    if not data.title:
        raise _field_error("title", _("Give the campaign a title."), "required")
    if not data.objectives:
        raise _field_error("objectives", _("State the objectives of the campaign."), "required")
    if len(data.objectives) > TEXT_MAX or len(data.public_summary) > TEXT_MAX:
        raise _field_error("objectives", _("The text is too long."), "too_long")
    if data.ends_on < data.starts_on:
        raise _field_error("ends_on", _("The campaign cannot end before it starts."), "end_before_start")
    if not data.exploitation_forms:
        raise _field_error("exploitation_forms", _("Choose at least one form of exploitation."), "required")
    if any(code.list != CodeList.EXPLOITATION_FORM for code in data.exploitation_forms):
        raise _field_error("exploitation_forms", _("Choose from the list."), "wrong_list")
    _codes_of(data.target_groups, CodeKind.TARGET_GROUP, "target_groups", _("Choose at least one target group."))
    _codes_of(data.channels, CodeKind.CHANNEL, "channels", _("Choose at least one channel."))
    if not data.is_national and not data.counties:
        raise _field_error("counties", _("Choose the counties, or the whole country."), "required")
    if any(document.category != Category.CAMPAIGNS for document in data.materials):
        raise _field_error(
            "materials", _("Only documents of the library's campaign materials can be linked."), "not_material"
        )
    if data.budget is not None and data.budget < 0:
        raise _field_error("budget", _("The budget cannot be negative."), "negative")
    if data.is_public and not data.public_summary:
        raise _field_error(
            "public_summary", _("Write the summary the public portal will show."), "public_summary_required"
        )


# What a campaign's form edits: its own columns, then its relations.
CAMPAIGN_FIELDS = (
    "title",
    "objectives",
    "starts_on",
    "ends_on",
    "is_national",
    "budget",
    "funding_sources",
    "target_people",
    "target_events",
    "target_materials",
    "target_media_reach",
    "is_public",
    "public_summary",
)
CAMPAIGN_RELATIONS = ("exploitation_forms", "target_groups", "channels", "counties", "partners", "materials")


def _apply(campaign: Campaign, data: CampaignData) -> None:
    for name in CAMPAIGN_FIELDS:
        setattr(campaign, name, getattr(data, name))


def _set_relations(campaign: Campaign, data: CampaignData) -> None:
    campaign.exploitation_forms.set(data.exploitation_forms)
    campaign.target_groups.set(data.target_groups)
    campaign.channels.set(data.channels)
    campaign.counties.set([] if data.is_national else data.counties)
    campaign.partners.set(data.partners)
    campaign.materials.set(data.materials)


@transaction.atomic
def campaign_create(*, actor: Any, data: CampaignData) -> Campaign:
    _require(actor, MANAGE)
    _check(data)
    campaign = Campaign(organisation=_organisation_of(actor), created_by=actor)
    _apply(campaign, data)
    campaign.save()
    _set_relations(campaign, data)
    audit_record(actor=actor, action="campaign.create", obj=campaign)
    return campaign


@transaction.atomic
def campaign_update(*, actor: Any, campaign: Campaign, data: CampaignData, version: int) -> Campaign:
    """Edit a draft. A copy edited by someone else in the meantime is refused, not overwritten."""
    _require_editor(actor, campaign)
    _require_status(campaign, CampaignStatus.DRAFT, message=_("Only a draft campaign can be changed."))
    _check(data)
    _apply(campaign, data)
    updated = Campaign.objects.filter(pk=campaign.pk, version=version, status=CampaignStatus.DRAFT).update(
        **{name: getattr(campaign, name) for name in CAMPAIGN_FIELDS},
        version=version + 1,
        updated_at=timezone.now(),
    )
    if updated != 1:
        raise ValidationError(
            _("Someone else changed this campaign while you were editing it. Reload the page and try again."),
            code="stale",
        )
    campaign.version = version + 1
    _set_relations(campaign, data)
    audit_record(actor=actor, action="campaign.update", obj=campaign)
    return campaign


def _transition(actor: Any, campaign: Campaign, *, source: str, target: str, **changes: Any) -> Campaign:
    """Move one status forward; a concurrent move of the same campaign is refused."""
    updated = Campaign.objects.filter(pk=campaign.pk, status=source).update(
        status=target, version=campaign.version + 1, updated_at=timezone.now(), **changes
    )
    if updated != 1:
        raise ValidationError(_("The campaign changed in the meantime. Reload the page."), code="stale")
    campaign.refresh_from_db()
    return campaign


@transaction.atomic
def campaign_approve(*, actor: Any, campaign: Campaign) -> Campaign:
    _require(actor, APPROVE)
    _require_status(campaign, CampaignStatus.DRAFT, message=_("Only a draft campaign can be approved."))
    campaign = _transition(
        actor,
        campaign,
        source=CampaignStatus.DRAFT,
        target=CampaignStatus.APPROVED,
        approved_by=actor,
        approved_at=timezone.now(),
    )
    audit_record(actor=actor, action="campaign.approve", obj=campaign)
    return campaign


@transaction.atomic
def campaign_return_to_draft(*, actor: Any, campaign: Campaign) -> Campaign:
    """The coordinator sends an approved campaign back for changes; the approval is withdrawn."""
    _require(actor, APPROVE)
    _require_status(campaign, CampaignStatus.APPROVED, message=_("Only an approved campaign can be sent back."))
    campaign = _transition(
        actor, campaign, source=CampaignStatus.APPROVED, target=CampaignStatus.DRAFT, approved_by=None, approved_at=None
    )
    audit_record(actor=actor, action="campaign.return_to_draft", obj=campaign)
    return campaign


@transaction.atomic
def campaign_start(*, actor: Any, campaign: Campaign) -> Campaign:
    _require_editor(actor, campaign)
    _require_status(campaign, CampaignStatus.APPROVED, message=_("A campaign starts only once it is approved."))
    campaign = _transition(actor, campaign, source=CampaignStatus.APPROVED, target=CampaignStatus.RUNNING)
    audit_record(actor=actor, action="campaign.start", obj=campaign)
    return campaign


@dataclass
class EvaluationData:
    conclusions: str = ""
    survey_pre_respondents: int | None = None
    survey_pre_aware: int | None = None
    survey_post_respondents: int | None = None
    survey_post_aware: int | None = None


def _check_survey(respondents: int | None, aware: int | None, prefix: str) -> None:
    if aware is not None and respondents is None:
        raise _field_error(f"{prefix}_respondents", _("Give the number of respondents."), "required")
    if aware is not None and respondents is not None and aware > respondents:
        raise _field_error(
            f"{prefix}_aware", _("More people aware than people who answered."), "aware_above_respondents"
        )


@transaction.atomic
def campaign_evaluate(*, actor: Any, campaign: Campaign, data: EvaluationData) -> Evaluation:
    """Close a running campaign with its evaluation; the figures stay open to correction."""
    _require_editor(actor, campaign)
    _require_status(
        campaign,
        CampaignStatus.RUNNING,
        CampaignStatus.EVALUATED,
        message=_("Only a running or evaluated campaign can be evaluated."),
    )
    _check_survey(data.survey_pre_respondents, data.survey_pre_aware, "survey_pre")
    _check_survey(data.survey_post_respondents, data.survey_post_aware, "survey_post")
    if len(data.conclusions) > TEXT_MAX:
        raise _field_error("conclusions", _("The text is too long."), "too_long")
    evaluation, _created = Evaluation.objects.update_or_create(
        campaign=campaign,
        defaults={
            "conclusions": data.conclusions.strip(),
            "survey_pre_respondents": data.survey_pre_respondents,
            "survey_pre_aware": data.survey_pre_aware,
            "survey_post_respondents": data.survey_post_respondents,
            "survey_post_aware": data.survey_post_aware,
            "evaluated_by": actor,
            "evaluated_at": timezone.now(),
        },
    )
    if campaign.status == CampaignStatus.RUNNING:
        _transition(actor, campaign, source=CampaignStatus.RUNNING, target=CampaignStatus.EVALUATED)
    audit_record(actor=actor, action="campaign.evaluate", obj=campaign)
    return evaluation


# --- Activities ---------------------------------------------------------------------------


@dataclass
class ActivityData:
    held_on: datetime.date
    county: County
    activity_type: CampaignCode
    channel: CampaignCode
    locality: Locality | None = None
    venue: str = ""
    partners: list[Organisation] = field(default_factory=list)
    materials_distributed: int = 0
    media_reach: int = 0
    notes: str = ""
    # (target group, sex, age band) -> number of people
    participants: dict[tuple[CampaignCode, str, str], int] = field(default_factory=dict)


def _check_activity(campaign: Campaign, data: ActivityData) -> None:
    if data.held_on > timezone.localdate():
        raise _field_error("held_on", _("This date is in the future."), "future_date")
    if not campaign.starts_on <= data.held_on <= campaign.ends_on:
        raise _field_error(
            "held_on",
            _("The date is outside the campaign period (%(start)s to %(end)s).")
            % {"start": campaign.starts_on.isoformat(), "end": campaign.ends_on.isoformat()},
            "outside_period",
        )
    if data.locality is not None and data.locality.county_id != data.county.pk:
        raise _field_error("locality", _("This locality is not in the chosen county."), "locality_county")
    if data.activity_type.kind != CodeKind.ACTIVITY_TYPE:
        raise _field_error("activity_type", _("Choose from the list."), "wrong_list")
    if data.channel.kind != CodeKind.CHANNEL:
        raise _field_error("channel", _("Choose from the list."), "wrong_list")
    if len(data.notes) > TEXT_MAX:
        raise _field_error("notes", _("The text is too long."), "too_long")
    for (group, sex, age_band), count in data.participants.items():
        if group.kind != CodeKind.TARGET_GROUP or sex not in ParticipantSex.values or age_band not in AgeBand.values:
            raise ValidationError(_("Choose from the list."), code="wrong_list")
        if count < 0:
            raise ValidationError(_("A number of participants cannot be negative."), code="negative")


@transaction.atomic
def activity_record(*, actor: Any, campaign: Campaign, data: ActivityData) -> Activity:
    """Record what was done; only while the campaign runs, and inside its period."""
    _require_editor(actor, campaign)
    _require_status(
        campaign, CampaignStatus.RUNNING, message=_("Activities are recorded while the campaign is running.")
    )
    _check_activity(campaign, data)
    activity = Activity.objects.create(
        campaign=campaign,
        held_on=data.held_on,
        county=data.county,
        locality=data.locality,
        venue=data.venue.strip(),
        activity_type=data.activity_type,
        channel=data.channel,
        materials_distributed=data.materials_distributed,
        media_reach=data.media_reach,
        notes=data.notes.strip(),
        recorded_by=actor,
    )
    activity.partners.set(data.partners)
    Participation.objects.bulk_create(
        [
            Participation(activity=activity, target_group=group, sex=sex, age_band=age_band, count=count)
            for (group, sex, age_band), count in data.participants.items()
            if count > 0
        ]
    )
    audit_record(actor=actor, action="campaign.activity_record", obj=activity)
    return activity


@transaction.atomic
def activity_delete(*, actor: Any, activity: Activity) -> None:
    campaign = activity.campaign
    _require_editor(actor, campaign)
    _require_status(
        campaign, CampaignStatus.RUNNING, message=_("Activities are changed only while the campaign is running.")
    )
    storage_names = list(activity.photos.values_list("storage_name", flat=True))
    audit_record(actor=actor, action="campaign.activity_delete", obj=activity)
    activity.delete()
    # Files go once the rows are gone for good, so a rollback never leaves a row without its file.
    transaction.on_commit(lambda: _discard_photos(storage_names))


def _discard_photos(storage_names: list[str]) -> None:
    for name in storage_names:
        photo_path(name).unlink(missing_ok=True)


# --- Photos -------------------------------------------------------------------------------


def photo_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "campaign-photos"


def photo_path(storage_name: str) -> Path:
    directory = photo_dir().resolve()
    path = (directory / storage_name).resolve()
    if path.parent != directory:
        raise ValueError("storage name outside the photo directory")
    return path


def _clean_image(upload: UploadedFile) -> tuple[bytes, str, int, int]:
    """The photo re-drawn from its pixels alone: EXIF, GPS, XMP and comments do not survive."""
    size = upload.size or 0
    if size == 0:
        raise _field_error("photo", _("The file is empty."), "empty")
    if size > PHOTO_MAX_BYTES:
        raise _field_error(
            "photo",
            _("The file is too large: %(size)s. The limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(PHOTO_MAX_BYTES)},
            "too_large",
        )
    upload.seek(0)
    original = upload.read()
    upload.seek(0)
    detected = uploads.content_type_of(original)
    if detected not in PHOTO_TYPES:
        raise _field_error("photo", _("Send a JPEG or PNG photo."), "not_a_photo")
    # The one upload pipeline's re-drawing (atis.lib.uploads), scaled down for the web.
    try:
        content, width, height = uploads.redraw_image(
            original, detected, max_side=PHOTO_MAX_SIDE, max_pixels=PHOTO_MAX_PIXELS, field="photo"
        )
    except ValidationError:
        raise _field_error("photo", _("This photo is damaged or too large to open."), "damaged") from None
    return content, detected, width, height


@transaction.atomic
def photo_add(*, actor: Any, activity: Activity, upload: UploadedFile) -> ActivityPhoto:
    _require_editor(actor, activity.campaign)
    _require_status(
        activity.campaign,
        CampaignStatus.RUNNING,
        message=_("Activities are changed only while the campaign is running."),
    )
    if activity.photos.count() >= PHOTOS_PER_ACTIVITY:
        raise _field_error(
            "photo", _("An activity keeps at most %(count)d photos.") % {"count": PHOTOS_PER_ACTIVITY}, "too_many"
        )
    content, content_type, width, height = _clean_image(upload)
    directory = photo_dir()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = secrets.token_hex(24)
    path = directory / name
    with path.open("xb") as out:
        out.write(content)
    path.chmod(0o600)
    try:
        photo = ActivityPhoto.objects.create(
            activity=activity,
            storage_name=name,
            content_type=content_type,
            size=len(content),
            width=width,
            height=height,
            uploaded_by=actor,
        )
        audit_record(actor=actor, action="campaign.photo_add", obj=activity)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return photo
