"""Published outputs: the annual report, the international categories and microdata."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from atis.accounts.stepup import STEP_UP_AT
from atis.statistics import reports
from atis.statistics.tests.helpers import victim

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(personas):  # type: ignore[no-untyped-def]
    iasi = personas["manager_iasi"].user
    for _ in range(12):
        victim(iasi, sex="female", form="sexual")
    for _ in range(3):
        victim(iasi, sex="male", form="forced_labour")
    return personas


def test_the_annual_report_xlsx_holds_every_table_suppressed_for_a_region(scene) -> None:  # type: ignore[no-untyped-def]
    content = reports.chapters_xlsx(reports.annual_report_chapters(scene["analyst_iasi"].user, 2025))
    workbook = load_workbook(io.BytesIO(content))
    # One sheet per chapter: identified victims, the HelpLine, assistance, campaigns, prosecutions.
    assert len(workbook.sheetnames) == 5
    values = {cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row}
    assert 3 not in values  # the three men are never printed for the Iași region
    assert "<11" in values


def test_the_annual_report_pdf_is_a_pdf(scene) -> None:  # type: ignore[no-untyped-def]
    content = reports.chapters_pdf(reports.annual_report_chapters(scene["analyst"].user, 2025), 2025)
    assert content.startswith(b"%PDF")


def test_glotip_categories_are_suppressed_like_any_table(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("analyst_iasi").get(reverse("statistics:international", args=["glotip"]), {"year": 2025})
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert lines[0][:3] == ["Indicator", "Dimension", "Category"]
    values = [line[-1] for line in lines[1:]]
    assert "3" not in values
    assert [
        "Detected trafficking victims",
        "by form of exploitation",
        "Sexual exploitation",
        "Female",
        "18 years or over",
        "2025",
        "Counts",
    ] in [line[:-1] for line in lines]


def test_microdata_is_refused_with_the_reason_when_groups_stay_too_small(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        victim(personas["manager_iasi"].user, sex="female", form="sexual")
    client = signed_in("coordinator")
    session = client.session
    session[STEP_UP_AT] = __import__("time").time()
    session.save()
    response = client.get(reverse("statistics:microdata"), {"year": 2025})
    assert response.status_code == 200
    assert "5" in response.context["refusal"]
    assert "11" in response.context["refusal"]


def test_microdata_leaves_when_every_group_has_k_and_l(personas) -> None:  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    for _ in range(12):
        victim(manager, sex="female", form="sexual")
        victim(manager, sex="female", form="forced_labour")
    records, check = reports.microdata(personas["coordinator"].user, 2021, 2025)
    assert check.ok
    assert check.k >= 11
    assert check.l >= 2
    assert len(records) == 24


def test_the_reports_page_states_the_disclosure_rule_in_both_languages(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    from django.utils import translation

    client = signed_in("analyst")
    for language, rule in (
        ("en", "The rule: only a table of the whole country by a single breakdown gives exact figures."),
        ("ro", "Regula: doar un tabel al întregii țări după o singură defalcare dă cifre exacte."),
    ):
        with translation.override(language):
            page = client.get(reverse("statistics:reports")).content.decode()
        assert rule in page
        assert "1 la 10" in page if language == "ro" else "from 1 to 10" in page


def test_the_national_annual_report_hides_small_figures_of_its_crossings(scene) -> None:  # type: ignore[no-untyped-def]
    chapters = reports.annual_report_chapters(scene["analyst"].user, 2025)
    crossings = [table for table in chapters[0].tables if "×" in table.title]
    assert crossings
    # Two breakdowns, national: the 3 men in forced labour never show in a crossing.
    for table in crossings:
        assert "3" not in [cell for _label, cells in table.lines for cell in cells], table.title
