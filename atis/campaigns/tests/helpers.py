"""Building campaign scenes in tests through the real services, as users would."""

from __future__ import annotations

import datetime
from typing import Any

from atis.campaigns import services
from atis.campaigns.models import Activity, Campaign, CampaignCode, CodeKind
from atis.campaigns.reference import load_campaign_codes
from atis.codelists.models import Code, CodeList
from atis.geo.models import County


def group(code: str = "pupils_students") -> CampaignCode:
    load_campaign_codes()
    return CampaignCode.objects.get(kind=CodeKind.TARGET_GROUP, code=code)


def channel(code: str = "direct_meetings") -> CampaignCode:
    load_campaign_codes()
    return CampaignCode.objects.get(kind=CodeKind.CHANNEL, code=code)


def activity_type(code: str = "information_session") -> CampaignCode:
    load_campaign_codes()
    return CampaignCode.objects.get(kind=CodeKind.ACTIVITY_TYPE, code=code)


def form(code: str = "sexual") -> Code:
    return Code.objects.get(list=CodeList.EXPLOITATION_FORM, code=code)


def county(mnemonic: str) -> County:
    return County.objects.get(mnemonic=mnemonic)


def campaign_data(**overrides: Any) -> services.CampaignData:
    values: dict[str, Any] = {
        "title": "Știi cu cine pleci?",
        "objectives": "Young people check job offers abroad before leaving.",
        "starts_on": datetime.date(2026, 1, 1),
        "ends_on": datetime.date(2026, 6, 30),
        "exploitation_forms": [form("forced_labour")],
        "target_groups": [group("young_job_seekers"), group("pupils_students")],
        "channels": [channel("direct_meetings")],
        "counties": [county("CJ")],
        "target_people": 1000,
        "target_events": 10,
        "target_materials": 500,
        "target_media_reach": 20000,
    }
    values.update(overrides)
    return services.CampaignData(**values)


def running_campaign(officer: Any, approver: Any, **overrides: Any) -> Campaign:
    campaign = services.campaign_create(actor=officer, data=campaign_data(**overrides))
    campaign = services.campaign_approve(actor=approver, campaign=campaign)
    return services.campaign_start(actor=officer, campaign=campaign)


def record(
    officer: Any,
    campaign: Campaign,
    *,
    day: datetime.date = datetime.date(2026, 2, 10),
    where: str = "CJ",
    people: dict[tuple[str, str, str], int] | None = None,
    materials: int = 0,
    media: int = 0,
) -> Activity:
    participants = {(group(code), sex, age): n for (code, sex, age), n in (people or {}).items()}
    return services.activity_record(
        actor=officer,
        campaign=campaign,
        data=services.ActivityData(
            held_on=day,
            county=county(where),
            activity_type=activity_type(),
            channel=channel(),
            materials_distributed=materials,
            media_reach=media,
            participants=participants,
        ),
    )


def jpeg_bytes(*, with_gps: bool = False, size: tuple[int, int] = (64, 48)) -> bytes:
    """A small JPEG; with GPS and camera tags in its EXIF when asked."""
    from io import BytesIO

    from PIL import Image

    image = Image.new("RGB", size, (200, 30, 30))
    out = BytesIO()
    if with_gps:
        exif = Image.Exif()
        exif[0x010F] = "CanaryCam"  # Make
        exif[0x0131] = "CANARY-SOFTWARE"  # Software
        gps = {1: "N", 2: (44.0, 26.0, 10.0), 3: "E", 4: (26.0, 6.0, 0.0)}
        exif[0x8825] = gps
        image.save(out, format="JPEG", exif=exif.tobytes())
    else:
        image.save(out, format="JPEG")
    return out.getvalue()
