"""The registry through the web: look-ups during a call and the import page."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from atis.agencies import selectors
from atis.agencies.demo import load_demo_content
from atis.agencies.models import Agency, AgencyImport, LicenceStatus
from atis.agencies.tests.helpers import code, csv_bytes, good_row

pytestmark = pytest.mark.django_db


def _agency(n: int, name: str, **fields) -> Agency:  # type: ignore[no-untyped-def]
    from atis.agencies.importing import normalise_name

    return Agency.objects.create(
        name=name, name_normalised=normalise_name(name), fiscal_code=code(n), status=LicenceStatus.ACTIVE, **fields
    )


def test_search_by_name_ignores_diacritics_and_case(personas) -> None:  # type: ignore[no-untyped-def]
    _agency(1, "Agenția Muncă în Străinătate SRL")
    _agency(2, "Alt Nume SRL")
    found = selectors.agencies_search(personas["operator"].user, "MUNCA strainatate")
    assert [agency.name for agency in found] == ["Agenția Muncă în Străinătate SRL"]


def test_search_by_fiscal_code_is_exact(personas) -> None:  # type: ignore[no-untyped-def]
    _agency(1, "Prima SRL")
    _agency(2, "A Doua SRL")
    assert [a.name for a in selectors.agencies_search(personas["operator"].user, f"RO {code(2)}")] == ["A Doua SRL"]
    assert selectors.agencies_search(personas["operator"].user, code(2)[:-1]) == []


def test_an_active_licence_past_its_end_is_shown_expired(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    lapsed = _agency(1, "Expirată SRL", licence_valid_until=datetime.date.today() - datetime.timedelta(days=1))
    assert lapsed.current_status == LicenceStatus.EXPIRED
    client = signed_in("operator")
    content = client.get(reverse("agencies:detail", kwargs={"public_id": lapsed.public_id})).content.decode()
    assert "Licența este expirată" in content
    listing = client.get(reverse("agencies:list"), {"status": "expired"}).content.decode()
    assert "Expirată SRL" in listing
    assert "Expirată SRL" not in client.get(reverse("agencies:list"), {"status": "active"}).content.decode()


def test_people_without_the_permission_find_nothing(personas) -> None:  # type: ignore[no-untyped-def]
    _agency(1, "Prima SRL")
    assert selectors.agencies_search(personas["analyst"].user, "prima") == []


def test_the_import_page_shows_the_report_of_a_rejected_file(  # type: ignore[no-untyped-def]
    personas, signed_in, django_capture_on_commit_callbacks
) -> None:
    bad = good_row(2)
    bad[1] = "123"
    upload = SimpleUploadedFile("registru.csv", csv_bytes([good_row(1), bad]), content_type="text/csv")
    client = signed_in("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("agencies:import"), {"file": upload, "mode": "all_or_nothing"})
    job = AgencyImport.objects.get()
    assert response["Location"] == reverse("agencies:import_detail", kwargs={"public_id": job.public_id})
    content = client.get(response["Location"]).content.decode()
    assert "nimic nu s-a schimbat" in content
    assert "„123” nu este un cod fiscal valid" in content
    assert not Agency.objects.exists()
    polled = client.get(reverse("agencies:import_detail", kwargs={"public_id": job.public_id}), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' not in polled.content.decode()


def test_the_import_page_refuses_a_file_that_is_not_a_table(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("registru.csv", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="text/csv")
    response = signed_in("coordinator").post(reverse("agencies:import"), {"file": upload, "mode": "all_or_nothing"})
    assert response.status_code == 200
    assert "Trimiteți un fișier CSV" in response.content.decode()
    assert not AgencyImport.objects.exists()


def test_the_demo_registry_has_every_status_and_loads_once(personas) -> None:  # type: ignore[no-untyped-def]
    load_demo_content(7)
    load_demo_content(7)
    agencies = list(Agency.objects.all())
    assert len(agencies) == 40
    statuses = {agency.current_status for agency in agencies}
    assert statuses == {LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED, LicenceStatus.WITHDRAWN, LicenceStatus.EXPIRED}


@pytest.mark.parametrize("language", ["ro", "en"])
def test_the_downloadable_sample_imports_as_it_is(  # type: ignore[no-untyped-def]
    personas, signed_in, django_capture_on_commit_callbacks, language
) -> None:
    from django.utils import translation

    client = signed_in("coordinator")
    with translation.override(language):
        sample_url, import_url = reverse("agencies:import_sample"), reverse("agencies:import")
    sample = client.get(sample_url)
    assert sample.status_code == 200
    upload = SimpleUploadedFile("agencies-sample.csv", sample.content, content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(import_url, {"file": upload, "mode": "all_or_nothing"})
    assert response.status_code == 302
    job = AgencyImport.objects.get()
    assert (job.status, job.created_count, job.errors) == ("done", 1, [])
    agency = Agency.objects.get()
    assert agency.status == LicenceStatus.ACTIVE and agency.county is not None
    translation.deactivate()
