"""The annual report: its chapters' figures, disclosure control, the background build and
publication to the document library.

The scene, all in 2025, in Iași (the Iași centre's county) unless said otherwise:
- 12 women identified (sexual exploitation), 3 men (forced labour);
- HelpLine: 12 information requests about job offers in May, 11 reports about travel in June,
  3 requests for help by victims (topic: contract) and 2 silent calls (topic: recruitment
  agency) in July; 4 of the May contacts escalated;
- assistance: the 12 women sheltered, the 3 men given medical help, 2 of them legal help too;
- proceedings: 12 criminal investigations (women, injured parties), 3 convictions (men, witnesses);
- one running campaign in Cluj with 2 activities reaching 30 and 25 people.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from atis.assistance.models import ServiceDelivery
from atis.audit.models import AuditEntry
from atis.campaigns.tests.helpers import record, running_campaign
from atis.cases.models import Proceeding
from atis.codelists.models import Code, CodeList
from atis.geo.models import County
from atis.helpline.models import Contact
from atis.helpline.tests.helpers import log_contact
from atis.library.models import Category, Document, DocumentStatus
from atis.organisations.models import Organisation
from atis.statistics import annual, chapters, reports
from atis.statistics.models import AnnualReport, ReportStatus
from atis.statistics.tests.helpers import victim

pytestmark = pytest.mark.django_db

YEAR = 2025


def _at(month: int, day: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(YEAR, month, day, 10, 0))


@pytest.fixture
def scene(personas):  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    women = [victim(manager, sex="female", form="sexual") for _ in range(12)]
    men = [victim(manager, sex="male", form="forced_labour") for _ in range(3)]

    operator = personas["operator"].user
    may = [log_contact(operator, started_at=_at(5), topics=("job_offer",)) for _ in range(12)]
    for _ in range(11):
        log_contact(operator, started_at=_at(6), contact_type="report", topics=("travel",))
    for _ in range(3):
        log_contact(operator, started_at=_at(7), contact_type="victim_help", topics=("contract",))
    for _ in range(2):
        log_contact(operator, started_at=_at(7), contact_type="silent", topics=("recruitment_agency",))
    Contact.objects.filter(pk__in=[contact.pk for contact in may[:4]]).update(
        escalated_at=_at(5, 11), escalated_county=County.objects.get(mnemonic="IS")
    )

    provider = Organisation.objects.get(name="Test NGO Iași")

    def service(case: Any, code: str) -> None:
        ServiceDelivery.objects.create(
            case=case,
            service_type=Code.objects.get(list=CodeList.SERVICE_TYPE, code=code),
            provider=provider,
            started_on=datetime.date(YEAR, 4, 1),
            recorded_by=manager,
            recorded_by_organisation=personas["manager_iasi"].organisation,
        )

    for case in women:
        service(case, "accommodation")
        Proceeding.objects.create(
            case=case, role="injured_party", stage="investigation", updated_on=datetime.date(YEAR, 6, 1)
        )
    for index, case in enumerate(men):
        service(case, "medical")
        if index < 2:
            service(case, "legal")
        Proceeding.objects.create(case=case, role="witness", stage="conviction", updated_on=datetime.date(YEAR, 9, 1))

    campaign = running_campaign(
        personas["campaigns"].user,
        personas["coordinator"].user,
        starts_on=datetime.date(YEAR, 1, 1),
        ends_on=datetime.date(YEAR, 12, 31),
    )
    for people in (30, 25):
        record(
            personas["campaigns"].user,
            campaign,
            day=datetime.date(YEAR, 3, 1),
            people={("pupils_students", "female", "minor"): people},
        )
    return personas


def _chapter(user: Any, key: str) -> reports.Chapter:
    return next(chapter for chapter in reports.annual_report_chapters(user, YEAR) if chapter.key == key)


def _lines(chapter: reports.Chapter, number: int) -> dict[str, list[str]]:
    return dict(chapter.tables[number].lines)


# --- Figures (national analyst: national tables are published as they are) -------------------------


def test_the_helpline_chapter_counts_contacts_by_type_topic_and_month(scene) -> None:  # type: ignore[no-untyped-def]
    chapter = _chapter(scene["analyst"].user, "helpline")
    # Victims' requests (3) and silent calls (2) are rare: grouped as "other".
    assert _lines(chapter, 0) == {
        "Cerere de informații": ["12"],
        "Semnalare a unui caz suspect": ["11"],
        "altele": ["5"],
        "Total": ["28"],
    }
    assert _lines(chapter, 1) == {
        "Ofertă de muncă în străinătate": ["12"],
        "Călătoria în țara de destinație": ["11"],
        "altele": ["5"],
        "Total": ["28"],
    }
    months = [cells[0] for _label, cells in chapter.tables[2].lines]
    assert months == ["0", "0", "0", "0", "12", "11", "5", "0", "0", "0", "0", "0", "28"]
    assert [cells for _label, cells in chapter.tables[3].lines] == [["4"], ["24"], ["28"]]
    assert chapter.notes[0][1] == "14.3%"


def test_the_assistance_chapter_counts_victims_once_and_every_service(scene) -> None:  # type: ignore[no-untyped-def]
    chapter = _chapter(scene["analyst"].user, "assistance")
    assert [cells for _label, cells in chapter.tables[0].lines] == [["12"], ["3"], ["15"]]
    # Medical (3) and legal (2) are rare: "other" 5 beside 12 stays.
    assert [cells for _label, cells in chapter.tables[1].lines] == [["12"], ["5"], ["17"]]


def test_the_prosecutions_chapter_counts_proceedings_by_stage_and_role(scene) -> None:  # type: ignore[no-untyped-def]
    chapter = _chapter(scene["analyst"].user, "prosecutions")
    assert [cells for _label, cells in chapter.tables[0].lines] == [["12"], ["3"], ["15"]]
    # A crossing is protected nationally too. The table by stage above prints 3 exactly, so
    # with 0 beside it the 3 would show through whatever else were hidden: withheld whole.
    stage_by_role = chapter.tables[1].lines
    assert {cell for _label, cells in stage_by_role for cell in cells} == {"x"}


def test_the_campaigns_chapter_hides_a_small_county_figure_even_nationally(scene) -> None:  # type: ignore[no-untyped-def]
    chapter = _chapter(scene["analyst"].user, "campaigns")
    assert [cells for _label, cells in chapter.tables[0].lines] == [["1"]]
    assert _lines(chapter, 1) == {"Cluj": ["<11"]}
    assert _lines(chapter, 2) == {"Cluj": ["55"]}


def test_a_regional_analyst_sees_helpline_figures_suppressed(scene) -> None:  # type: ignore[no-untyped-def]
    chapter = _chapter(scene["analyst_iasi"].user, "helpline")
    printed = {cell for table in chapter.tables for _label, cells in table.lines for cell in cells}
    assert "<11" in printed
    assert "5" not in printed and "4" not in printed
    assert chapter.notes[0][1] == "x"


def test_a_regional_analyst_sees_no_campaign_outside_the_centre(scene) -> None:  # type: ignore[no-untyped-def]
    chapter = _chapter(scene["analyst_iasi"].user, "campaigns")
    assert _lines(chapter, 2) == {}


def test_one_way_tables_below_national_level_hide_small_cells() -> None:
    published = chapters.one_way({"a": 40, "b": 3, "c": 20}, label=str, column="n", subnational=True)
    printed = [published.display(i, 0) for i in range(len(published.grid))]
    assert printed[published.table.row_keys.index("b")] == "<11"
    assert "3" not in printed
    assert printed[-1] == "63"


# --- Background build -------------------------------------------------------------------------------


def test_the_build_reports_progress_and_makes_both_files(scene, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seen: list[int] = []
    original = annual._set_progress

    def spy(report: AnnualReport, percent: int) -> None:
        seen.append(percent)
        original(report, percent)

    monkeypatch.setattr(annual, "_set_progress", spy)
    report = annual.annual_report_request(actor=scene["coordinator"].user, year=YEAR, language="en")
    from atis.statistics.tasks import build_annual_report

    assert build_annual_report.delay(report.pk).get() == "done"
    report.refresh_from_db()
    assert seen == sorted(seen) and seen[-1] == 90 and len(seen) > 5
    assert (report.status, report.progress) == (ReportStatus.DONE, 100)
    assert bytes(report.pdf).startswith(b"%PDF")
    workbook = load_workbook(io.BytesIO(bytes(report.xlsx)))
    assert workbook.sheetnames == [
        "1. Identified victims",
        "2. The HelpLine",
        "3. Assistance",
        "4. Prevention campaigns",
        "5. Criminal proceedings",
    ]
    # The workbook carries the PDF's bar charts as Excel charts (openpyxl drops them on reading).
    with zipfile.ZipFile(io.BytesIO(bytes(report.xlsx))) as package:
        charts = [name for name in package.namelist() if name.startswith("xl/charts/chart")]
    assert len(charts) >= 5


def test_a_report_is_built_in_the_language_chosen(scene) -> None:  # type: ignore[no-untyped-def]
    report = annual.annual_report_request(actor=scene["coordinator"].user, year=YEAR, language="ro")
    report = annual.annual_report_build(report_id=report.pk)
    workbook = load_workbook(io.BytesIO(bytes(report.xlsx)))
    assert workbook.sheetnames[1] == "2. Linia de urgență"


def test_a_failed_build_is_shown_as_failed(scene, signed_in, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*_args: Any) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr(reports, "chapters_pdf", broken)
    report = annual.annual_report_request(actor=scene["analyst"].user, year=YEAR, language="en")
    assert annual.annual_report_build(report_id=report.pk).status == ReportStatus.FAILED
    page = signed_in("analyst").get(reverse("statistics:annual_report_status", args=[report.public_id]))
    assert "hx-trigger" not in page.content.decode()
    assert AuditEntry.objects.filter(action="statistics.annual_report_build", outcome="failure").exists()


def test_a_report_left_running_by_a_lost_worker_is_built_when_delivered_again(scene) -> None:  # type: ignore[no-untyped-def]
    from atis.statistics.tasks import build_annual_report

    report = annual.annual_report_request(actor=scene["coordinator"].user, year=YEAR, language="en")
    # What a worker killed half-way leaves behind; the broker hands the task to another.
    AnnualReport.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING, progress=40)
    assert build_annual_report.delay(report.pk).get() == "done"
    report.refresh_from_db()
    assert (report.status, report.progress) == (ReportStatus.DONE, 100)
    finished = report.finished_at
    # A second delivery of a finished report changes nothing.
    assert build_annual_report.delay(report.pk).get() == "done"
    report.refresh_from_db()
    assert report.finished_at == finished


def test_a_build_stopped_for_taking_too_long_is_shown_as_failed(scene, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from celery.exceptions import SoftTimeLimitExceeded

    def hung(*_args: Any) -> bytes:
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(reports, "chapters_pdf", hung)
    report = annual.annual_report_request(actor=scene["coordinator"].user, year=YEAR, language="en")
    assert annual.annual_report_build(report_id=report.pk).status == ReportStatus.FAILED
    report.refresh_from_db()
    assert report.error == "SoftTimeLimitExceeded"


def test_requesting_a_report_shows_its_progress_page_with_the_files(
    scene, signed_in, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("analyst")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("statistics:annual_report_generate"), {"year": YEAR, "language": "en"})
    report = AnnualReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("statistics:annual_report_status", args=[report.public_id])
    page = client.get(response["Location"])
    assert reverse("statistics:annual_report_file", args=[report.public_id, "pdf"]) in page.content.decode()
    download = client.get(reverse("statistics:annual_report_file", args=[report.public_id, "xlsx"]))
    assert download["Content-Disposition"].endswith('.xlsx"')
    assert load_workbook(io.BytesIO(download.content)).sheetnames[0] == "1. Identified victims"
    # The analyst may not publish: no button.
    assert reverse("statistics:annual_report_publish", args=[report.public_id]) not in page.content.decode()


def test_a_report_is_its_requesters_alone(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    report = annual.annual_report_request(actor=scene["analyst"].user, year=YEAR, language="en")
    url = reverse("statistics:annual_report_status", args=[report.public_id])
    assert signed_in("analyst_iasi").get(url).status_code == 404


def test_a_pending_report_page_polls_and_can_be_reloaded(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    report = annual.annual_report_request(actor=scene["analyst"].user, year=YEAR, language="en")
    page = signed_in("analyst").get(reverse("statistics:annual_report_status", args=[report.public_id]))
    content = page.content.decode()
    assert 'hx-trigger="every 1s"' in content
    assert "Reload the page" in content or "Reîncărcați pagina" in content


# --- Publishing -----------------------------------------------------------------------------------


def test_the_coordinator_publishes_the_report_to_the_library(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    coordinator = scene["coordinator"].user
    report = annual.annual_report_build(
        report_id=annual.annual_report_request(actor=coordinator, year=YEAR, language="ro").pk
    )
    response = signed_in("coordinator").post(
        reverse("statistics:annual_report_publish", args=[report.public_id]), {"visibility": "public"}
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.category, document.status, document.year) == (Category.REPORTS, DocumentStatus.PUBLISHED, YEAR)
    assert document.title_ro == "Raport anual 2025 privind traficul de persoane"
    assert document.files.count() == 1
    report.refresh_from_db()
    assert report.library_ref == str(document.public_id)
    assert AuditEntry.objects.filter(action="statistics.annual_report_publish").exists()


def test_an_analyst_may_not_publish(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    analyst = scene["analyst"].user
    report = annual.annual_report_build(
        report_id=annual.annual_report_request(actor=analyst, year=YEAR, language="en").pk
    )
    response = signed_in("analyst").post(reverse("statistics:annual_report_publish", args=[report.public_id]))
    assert response.status_code == 403
    assert not Document.objects.exists()
