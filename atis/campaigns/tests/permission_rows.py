"""The campaign URLs in the permission matrix (see atis.core.tests.matrix).

The campaign belongs to the Cluj centre (the `campaigns` persona's organisation) and is
running: its officer and the national coordinator open it; analysts read figures only (its
evaluation, the totals and the risk view); everyone else is refused. Writes are POST only,
so a GET by a role that may write answers 405. The public list and page answer everyone.
"""

from __future__ import annotations

from typing import Any

from atis.core.tests.matrix import NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Row, everyone, only

OFFICER = {"campaigns"}
READERS = {"campaigns", "coordinator"}
FIGURES = READERS | {"analyst", "analyst_iasi"}
OUTSIDE_IASI = {**only(FIGURES), "analyst_iasi": NOT_FOUND}

ROWS: dict[str, Row] = {
    "campaigns:list": (None, only(READERS), REDIRECT),
    "campaigns:create": (None, only(OFFICER), REDIRECT),
    "campaigns:totals": (None, only(FIGURES), REDIRECT),
    "campaigns:risk": (None, only(FIGURES), REDIRECT),
    "campaigns:localities": (None, only(OFFICER), REDIRECT),
    "campaigns:public_list": (None, everyone(OK), OK),
    "campaigns:public_detail": ("campaign", everyone(OK), OK),
    "campaigns:detail": ("campaign", only(READERS), REDIRECT),
    # A running campaign is no longer editable: its officer is sent back to its page.
    "campaigns:edit": ("campaign", only(OFFICER, yes=REDIRECT), REDIRECT),
    "campaigns:approve": ("campaign", only({"coordinator"}, yes=NOT_ALLOWED), REDIRECT),
    "campaigns:return_to_draft": ("campaign", only({"coordinator"}, yes=NOT_ALLOWED), REDIRECT),
    "campaigns:start": ("campaign", only(OFFICER, yes=NOT_ALLOWED), REDIRECT),
    "campaigns:activity_add": ("campaign", only(OFFICER), REDIRECT),
    # The Iași analyst's figures cover the Iași centre's counties: a Cluj campaign is not found.
    "campaigns:evaluation": ("campaign", OUTSIDE_IASI, REDIRECT),
    "campaigns:evaluate": ("campaign", only(OFFICER), REDIRECT),
    "campaigns:evaluation_pdf": ("campaign", OUTSIDE_IASI, REDIRECT),
    "campaigns:evaluation_xlsx": ("campaign", OUTSIDE_IASI, REDIRECT),
    "campaigns:activity_detail": ("campaign_activity", only(READERS), REDIRECT),
    "campaigns:activity_delete": ("campaign_activity", only(OFFICER, yes=NOT_ALLOWED), REDIRECT),
    "campaigns:photo_add": ("campaign_activity", only(OFFICER, yes=NOT_ALLOWED), REDIRECT),
    "campaigns:photo": ("campaign_photo", only(READERS), REDIRECT),
}


def url_kwargs(personas: Any) -> dict[str, dict[str, Any]]:
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from atis.campaigns import services
    from atis.campaigns.tests.helpers import jpeg_bytes, record, running_campaign

    today = datetime.date.today()
    campaign = running_campaign(
        personas["campaigns"].user,
        personas["coordinator"].user,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=30),
        is_public=True,
        public_summary="Check the offer before you leave.",
    )
    activity = record(personas["campaigns"].user, campaign, day=today)
    photo = services.photo_add(
        actor=personas["campaigns"].user,
        activity=activity,
        upload=SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg"),
    )
    return {
        "campaign": {"public_id": campaign.public_id},
        "campaign_activity": {"public_id": activity.public_id},
        "campaign_photo": {"public_id": photo.public_id},
    }
