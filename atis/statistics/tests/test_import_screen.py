"""The upload screen for international data: a file sent, imported in the background, its
progress and its line-by-line report."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from atis.audit.models import AuditEntry
from atis.statistics import imports
from atis.statistics.models import GlotipValue, ImportRun, ImportStatus

pytestmark = pytest.mark.django_db

HEADER = (
    "Iso3_code,Country,Region,Subregion,Indicator,Dimension,Category,Sex,Age,Year,Unit of measurement,txtVALUE,Source\n"
)


def _row(value: str, year: str = "2019") -> str:
    return f'ROU,Romania,Europe,Eastern Europe,Detected trafficking victims,Total,Total,Total,Total,{year},Counts,"{value}",GLOTIP\n'


def _send(client, content: str, source: str = "glotip", name: str = "glotip.csv"):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")
    return client.post(reverse("statistics:import"), {"source": source, "file": upload, "release": ""})


def test_an_uploaded_file_is_imported_in_the_background_and_reported_line_by_line(
    signed_in, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("coordinator")
    rows = _row("698") + _row("lots", year="2020") + _row("129", year="2017") + _row("43", year="2017")
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(client, HEADER + rows)
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("statistics:import_detail", kwargs={"public_id": run.public_id})
    assert (run.status, run.rows_kept, run.rows_skipped, run.rows_conflicting) == (ImportStatus.DONE, 3, 1, 2)
    assert run.imported_by == "coordinator"
    # The file is not kept once read.
    assert not imports.stored_path(run).exists()
    report = client.get(response["Location"]).context
    assert [(e["line"], e["column"]) for e in report["errors"]] == [(3, "txtVALUE"), (4, "txtVALUE"), (5, "txtVALUE")]
    assert GlotipValue.objects.count() == 3
    assert AuditEntry.objects.filter(action="statistics.import_upload").exists()
    assert AuditEntry.objects.filter(action="statistics.import_glotip", outcome="success").exists()


def test_a_file_with_a_header_and_no_rows_is_refused_with_a_clear_message(
    signed_in, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(client, HEADER)
    page = client.get(response["Location"]).content.decode()
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.REFUSED
    assert "Fișierul nu a fost importat și nu s-a schimbat nimic." in page
    assert run.message in page
    assert not GlotipValue.objects.exists()


def test_a_file_that_is_not_csv_is_turned_away_at_the_door(signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("coordinator")
    upload = SimpleUploadedFile("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", content_type="text/csv")
    response = client.post(reverse("statistics:import"), {"source": "glotip", "file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ImportRun.objects.exists()


def test_a_running_import_shows_its_progress_and_the_page_polls(signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("coordinator")
    run = ImportRun.objects.create(source=ImportRun.Source.CTDC, file_name="ctdc.csv", status=ImportStatus.RUNNING)
    imports.progress_saver(run.pk)(20_000, 0.42)
    url = reverse("statistics:import_detail", kwargs={"public_id": run.public_id})
    response = client.get(url, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert 'value="42"' in body
    assert "20000" in body


def test_the_report_shows_the_count_beside_the_published_one(signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("coordinator")
    run = ImportRun.objects.create(
        source=ImportRun.Source.CTDC,
        file_name="ctdc_global_2017-11-27.csv",
        status=ImportStatus.DONE,
        rows_read=30_000,
        rows_kept=30_000,
        published_rows=47_102,
    )
    response = client.get(reverse("statistics:import_detail", kwargs={"public_id": run.public_id}))
    assert response.context["count_differs"] is True
    body = response.content.decode()
    assert "47102" in body and "30000" in body


def test_a_case_manager_without_the_right_cannot_upload(signed_in) -> None:  # type: ignore[no-untyped-def]
    response = _send(signed_in("manager_iasi"), HEADER + _row("698"))
    assert response.status_code == 403
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize("persona", ["analyst", "analyst_iasi"])
def test_an_analyst_imports_international_data(signed_in, django_capture_on_commit_callbacks, persona: str) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(signed_in(persona), HEADER + _row("698"))
    assert response.status_code == 302
    assert ImportRun.objects.get().imported_by == persona
    assert GlotipValue.objects.count() == 1
