"""The campaign screens as users meet them: forms, photos, figures, reports and the public list."""

from __future__ import annotations

import datetime
from io import BytesIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from atis.campaigns import services
from atis.campaigns.models import Activity, ActivityPhoto, Campaign, CampaignStatus
from atis.campaigns.tests.helpers import campaign_data, county, form, group, jpeg_bytes, record, running_campaign

pytestmark = pytest.mark.django_db


def _today_campaign(personas, **overrides):  # type: ignore[no-untyped-def]
    today = datetime.date.today()
    return running_campaign(
        personas["campaigns"].user,
        personas["coordinator"].user,
        starts_on=today - datetime.timedelta(days=20),
        ends_on=today + datetime.timedelta(days=20),
        **overrides,
    )


def test_an_officer_creates_a_campaign_through_the_form(signed_in, personas) -> None:
    client = signed_in("campaigns")
    response = client.post(
        reverse("campaigns:create"),
        {
            "title": "Muncește în siguranță",
            "objectives": "Inform seasonal workers.",
            "starts_on": "2026-04-01",
            "ends_on": "2026-09-30",
            "exploitation_forms": [form("forced_labour").pk],
            "target_groups": [group("working_abroad").pk],
            "channels": [services.CampaignCode.objects.get(kind="channel", code="print").pk],
            "counties": [county("SV").pk, county("BC").pk],
            "target_people": "5000",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{campaign.public_id}/")
    assert campaign.status == CampaignStatus.DRAFT and campaign.target_people == 5000
    assert sorted(campaign.counties.values_list("mnemonic", flat=True)) == ["BC", "SV"]


def test_a_refused_form_says_why_and_saves_nothing(signed_in) -> None:
    response = signed_in("campaigns").post(
        reverse("campaigns:create"),
        {"title": "X", "objectives": "Y", "starts_on": "2026-04-01", "ends_on": "2026-03-01"},
    )
    assert response.status_code == 200
    assert "Nothing has been saved" in response.content.decode() or "Nu s-a salvat" in response.content.decode()
    assert not Campaign.objects.exists()


def test_an_activity_is_recorded_from_the_phone_form_with_participants(signed_in, personas) -> None:
    campaign = _today_campaign(personas)
    client = signed_in("campaigns")
    page = client.get(reverse("campaigns:activity_add", kwargs={"public_id": campaign.public_id}))
    assert 'name="p_pupils_students_female_minor"' in page.content.decode()
    locality = county("CJ").localities.first()
    assert locality is not None
    response = client.post(
        reverse("campaigns:activity_add", kwargs={"public_id": campaign.public_id}),
        {
            "held_on": datetime.date.today().isoformat(),
            "county": county("CJ").pk,
            "locality": locality.pk,
            "venue": "Liceul Teoretic",
            "activity_type": services.CampaignCode.objects.get(kind="activity_type", code="workshop").pk,
            "channel": services.CampaignCode.objects.get(kind="channel", code="direct_meetings").pk,
            "materials_distributed": "40",
            "media_reach": "0",
            "p_pupils_students_female_minor": "14",
            "p_pupils_students_male_minor": "11",
            "p_young_job_seekers_female_adult": "",
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert activity.locality == locality
    assert sorted(activity.participations.values_list("sex", "age_band", "count")) == [
        ("female", "minor", 14),
        ("male", "minor", 11),
    ]


def test_the_localities_of_a_county_are_offered(signed_in) -> None:
    response = signed_in("campaigns").get(reverse("campaigns:localities"), {"county": county("CJ").pk})
    assert "Cluj" in response.content.decode() or "CLUJ" in response.content.decode()


def test_a_photo_loses_its_gps_and_camera_data(signed_in, personas) -> None:
    campaign = _today_campaign(personas)
    activity = record(personas["campaigns"].user, campaign, day=datetime.date.today())
    original = jpeg_bytes(with_gps=True)
    assert b"CANARY-SOFTWARE" in original and Image.open(BytesIO(original)).getexif().get_ifd(0x8825)
    client = signed_in("campaigns")
    client.post(
        reverse("campaigns:photo_add", kwargs={"public_id": activity.public_id}),
        {"photo": SimpleUploadedFile("IMG_0001.jpg", original, content_type="image/jpeg")},
    )
    photo = ActivityPhoto.objects.get()
    served = b"".join(client.get(reverse("campaigns:photo", kwargs={"public_id": photo.public_id})).streaming_content)
    assert b"CANARY" not in served
    assert not Image.open(BytesIO(served)).getexif()
    assert services.photo_path(photo.storage_name).read_bytes() == served
    assert "IMG_0001" not in photo.storage_name


def test_a_file_that_is_not_a_photo_is_refused_by_its_content(signed_in, personas) -> None:
    campaign = _today_campaign(personas)
    activity = record(personas["campaigns"].user, campaign, day=datetime.date.today())
    response = signed_in("campaigns").post(
        reverse("campaigns:photo_add", kwargs={"public_id": activity.public_id}),
        {"photo": SimpleUploadedFile("poster.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")},
        follow=True,
    )
    assert not ActivityPhoto.objects.exists()
    assert "JPEG" in response.content.decode()


def test_the_public_list_shows_only_running_or_evaluated_public_campaigns(client, personas) -> None:
    shown = _today_campaign(personas, title="Public and running", is_public=True, public_summary="Ask before you go.")
    running_campaign(
        personas["campaigns"].user, personas["coordinator"].user, title="Running, internal", is_public=False
    )
    services.campaign_create(
        actor=personas["campaigns"].user,
        data=campaign_data(title="Public draft", is_public=True, public_summary="Not yet."),
    )
    page = client.get(reverse("campaigns:public_list")).content.decode()
    assert "Public and running" in page
    assert "Running, internal" not in page and "Public draft" not in page
    detail = client.get(reverse("campaigns:public_detail", kwargs={"public_id": shown.public_id}))
    assert detail.status_code == 200
    assert "campanii" not in detail.content.decode()  # no user names of the staff


def test_the_evaluation_report_comes_as_pdf_and_xlsx(signed_in, personas) -> None:
    from openpyxl import load_workbook

    campaign = _today_campaign(personas, title="=HYPERLINK(1)")
    record(
        personas["campaigns"].user,
        campaign,
        day=datetime.date.today(),
        people={("pupils_students", "female", "minor"): 20},
    )
    client = signed_in("analyst")
    pdf = client.get(reverse("campaigns:evaluation_pdf", kwargs={"public_id": campaign.public_id}))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("campaigns:evaluation_xlsx", kwargs={"public_id": campaign.public_id}))
    book = load_workbook(BytesIO(xlsx.content))
    reach = book.worksheets[0]
    assert reach["A1"].value == "'=HYPERLINK(1)"  # formula injection neutralised
    assert reach._charts, "the reach sheet carries a chart"
    values = [row for row in reach.iter_rows(values_only=True) if row and row[1] == 20]
    assert values, "people reached (20) is in the sheet"


def test_the_risk_page_shows_small_counts_hidden_to_an_officer(signed_in, personas) -> None:
    page = signed_in("campaigns").get(reverse("campaigns:risk")).content.decode()
    assert 'id="risk-table"' in page
    assert "&lt;11" in page  # the threshold of every published figure
    exact = signed_in("coordinator").get(reverse("campaigns:risk")).content.decode()
    assert "&lt;11" not in exact


def _material(author: Any, title: str, *, visibility: str = "public", category: str = "campaigns") -> Any:
    from django.utils import timezone

    from atis.library.models import Document

    return Document.objects.create(
        title_ro=title,
        category=category,
        year=2026,
        language="ro",
        status="published",
        visibility=visibility,
        published_at=timezone.now(),
        created_by=author,
    )


def test_campaign_materials_are_library_documents_and_the_public_sees_only_public_ones(
    client, signed_in, personas
) -> None:  # type: ignore[no-untyped-def]
    librarian = personas["coordinator"].user
    poster = _material(librarian, "Afiș: Știi cu cine pleci?")
    internal = _material(librarian, "Ghidul intern al formatorului", visibility="internal")
    campaign = _today_campaign(
        personas, is_public=True, public_summary="Ask before you go.", materials=[poster, internal]
    )
    staff_page = signed_in("campaigns").get(reverse("campaigns:detail", kwargs={"public_id": campaign.public_id}))
    assert "Afiș: Știi cu cine pleci?" in staff_page.content.decode()
    assert "Ghidul intern al formatorului" in staff_page.content.decode()
    public_page = client.get(reverse("campaigns:public_detail", kwargs={"public_id": campaign.public_id}))
    assert "Afiș: Știi cu cine pleci?" in public_page.content.decode()
    assert "Ghidul intern al formatorului" not in public_page.content.decode()
    assert set(poster.campaigns.all()) == {campaign}


def test_only_campaign_materials_of_the_library_can_be_linked(personas) -> None:  # type: ignore[no-untyped-def]
    law = _material(personas["coordinator"].user, "Legea 678/2001", category="legislation")
    with pytest.raises(ValidationError) as refused:
        services.campaign_create(actor=personas["campaigns"].user, data=campaign_data(materials=[law]))
    assert "materials" in refused.value.message_dict
    assert not Campaign.objects.exists()
