"""The action plan import: a good file replaces the plan; a bad one saves nothing and lists
every error by row and column, in the user's language."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from atis.strategy import services, xlsx
from atis.strategy.models import Activity, GeneralObjective, Indicator, Strategy

pytestmark = pytest.mark.django_db

GOOD: list[list[Any]] = [
    [
        "OG1",
        "Prevenire",
        "OS1.1",
        "Informare",
        "1.1.1",
        "Campanie națională",
        "prevenire",
        "Test ITM Iași",
        "Test Police Iași; Test NGO Iași",
        "2025-12-31",
        "",
        "buget de stat",
        1000,
        "Persoane informate",
        "persoane",
        0,
        5000,
    ],
    ["", "", "", "", "1.1.1", "", "", "", "", "", "", "", "", "Materiale distribuite", "buc.", 0, 200],
    [
        "OG1",
        "Prevenire",
        "OS1.2",
        "Educație",
        "1.2.1",
        "Lecții în școli",
        "prevention",
        "Test NGO Iași",
        "",
        "",
        "annual",
        "external funds",
        2500.5,
        "Lecții",
        "lecții",
        10,
        100,
    ],
    [
        "OG2",
        "Asistență",
        "OS2.1",
        "Servicii",
        "2.1.1",
        "Servicii pentru victime",
        "assistance and protection",
        "Test DGASPC Iași",
        "",
        "2026-06-30",
        "once",
        "",
        None,
        "Victime asistate",
        "persoane",
        "5",
        "50",
    ],
]


def workbook(rows: list[list[Any]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append([str(header) for _key, header in xlsx.COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "plan.xlsx"  # type: ignore[attr-defined]
    return buffer


@pytest.fixture
def draft(personas) -> Strategy:  # type: ignore[no-untyped-def]
    return services.strategy_create(
        actor=personas["coordinator"].user, title="Strategia 2024–2028", start_year=2024, end_year=2028
    )


def test_a_good_file_builds_the_whole_plan(personas, draft) -> None:  # type: ignore[no-untyped-def]
    summary = xlsx.import_plan(actor=personas["coordinator"].user, strategy=draft, handle=workbook(GOOD))
    assert (summary.general_objectives, summary.specific_objectives, summary.activities, summary.indicators) == (
        2,
        3,
        3,
        4,
    )
    campaign = Activity.objects.get(strategy=draft, code="1.1.1")
    assert campaign.responsible.name == "Test ITM Iași"
    assert sorted(p.name for p in campaign.partners.all()) == ["Test NGO Iași", "Test Police Iași"]
    assert campaign.area == "prevention" and campaign.budget_source == "state" and campaign.budget_amount == 1000
    assert [i.name for i in campaign.indicators.all()] == ["Persoane informate", "Materiale distribuite"]
    lessons = Activity.objects.get(strategy=draft, code="1.2.1")
    assert lessons.recurrence == "annual" and lessons.deadline is None and lessons.budget_amount == Decimal("2500.50")
    assert Indicator.objects.get(activity__code="2.1.1", activity__strategy=draft).baseline == 5


def test_a_bad_file_saves_nothing_and_lists_every_error_by_row(personas, draft) -> None:  # type: ignore[no-untyped-def]
    xlsx.import_plan(actor=personas["coordinator"].user, strategy=draft, handle=workbook(GOOD[:1]))
    bad = [
        GOOD[0],
        [
            "OG1",
            "Prevenire",
            "OS1.1",
            "Informare",
            "1.1.2",
            "Fără instituție",
            "prevenire",
            "Ministerul Inexistent",
            "",
            "2025-12-31",
            "",
            "",
            "",
            "Indicator",
            "buc.",
            0,
            10,
        ],
        [
            "OG1",
            "Prevenire",
            "OS1.1",
            "Informare",
            "1.1.3",
            "Zonă greșită",
            "sport",
            "Test ITM Iași",
            "",
            "31.12.2025",
            "",
            "",
            "",
            "Indicator",
            "buc.",
            0,
            "mult",
        ],
        [
            "OG1",
            "Prevenire",
            "OS1.1",
            "Informare",
            "1.1.4",
            "Fără termen",
            "prevenire",
            "Test ITM Iași",
            "",
            "",
            "o dată, până la termen",
            "",
            "",
            "Indicator",
            "buc.",
            0,
            10,
        ],
    ]
    with pytest.raises(xlsx.ImportRejected) as rejected:
        xlsx.import_plan(actor=personas["coordinator"].user, strategy=draft, handle=workbook(bad))
    found = {(error.row, error.column) for error in rejected.value.errors}
    assert found == {
        (3, "Instituția responsabilă"),
        (4, "Domeniu"),
        (4, "Termen (AAAA-LL-ZZ)"),
        (4, "Țintă"),
        (5, "Termen (AAAA-LL-ZZ)"),
    }
    assert any("Ministerul Inexistent" in error.message for error in rejected.value.errors)
    # The earlier plan is untouched: one activity, as before.
    assert list(Activity.objects.filter(strategy=draft).values_list("code", flat=True)) == ["1.1.1"]


def test_a_file_that_is_not_a_workbook_is_refused(personas, draft) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(xlsx.ImportRejected) as rejected:
        xlsx.import_plan(actor=personas["coordinator"].user, strategy=draft, handle=io.BytesIO(b"MZ\x90\x00 not a zip"))
    assert rejected.value.errors[0].row == 0
    assert not GeneralObjective.objects.filter(strategy=draft).exists()


def test_the_export_is_the_template_and_imports_back_identically(personas, draft) -> None:  # type: ignore[no-untyped-def]
    coordinator = personas["coordinator"].user
    xlsx.import_plan(actor=coordinator, strategy=draft, handle=workbook(GOOD))
    activities = list(Activity.objects.filter(strategy=draft).order_by("position"))
    exported = xlsx.export_xlsx(draft, activities)
    copy = services.strategy_create(actor=coordinator, title="Copie", start_year=2024, end_year=2028)
    summary = xlsx.import_plan(actor=coordinator, strategy=copy, handle=io.BytesIO(exported))
    assert summary.activities == 3 and summary.indicators == 4
    assert list(
        Activity.objects.filter(strategy=copy).values_list("code", "responsible__name", "budget_amount")
    ) == list(Activity.objects.filter(strategy=draft).values_list("code", "responsible__name", "budget_amount"))


def test_the_import_page_lists_the_errors_and_the_template_has_the_lists(signed_in, draft) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("coordinator")
    bad = [[*GOOD[0][:7], "Ministerul Inexistent", *GOOD[0][8:]]]
    response = client.post(reverse("strategy:plan_import", args=[draft.public_id]), {"file": workbook(bad)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "nimic nu a fost salvat" in page and "Ministerul Inexistent" in page
    assert not Activity.objects.filter(strategy=draft).exists()
    response = client.post(reverse("strategy:plan_import", args=[draft.public_id]), {"file": workbook(GOOD)})
    assert response.status_code == 302
    assert Activity.objects.filter(strategy=draft).count() == 3
    template = load_workbook(io.BytesIO(client.get(reverse("strategy:plan_template")).content))
    assert template.sheetnames == ["Plan de acțiune", "Liste"]


def test_formula_like_cells_are_escaped_in_the_export(personas, draft) -> None:  # type: ignore[no-untyped-def]
    row = [*GOOD[0]]
    # openpyxl would store "=..." as a formula; "+" and "@" are formula starts in spreadsheets too.
    row[5] = "+40 campanii @SUM(A1)"
    xlsx.import_plan(actor=personas["coordinator"].user, strategy=draft, handle=workbook([row]))
    exported = load_workbook(io.BytesIO(xlsx.export_xlsx(draft, list(draft.activities.all()))))
    assert exported.worksheets[0]["F2"].value == "'+40 campanii @SUM(A1)"


def test_the_command_imports_a_good_file_and_refuses_a_bad_one(personas, draft, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import CommandError, call_command

    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(workbook(GOOD).getvalue())
    bad.write_bytes(workbook([[*GOOD[0][:7], "Ministerul Inexistent", *GOOD[0][8:]]]).getvalue())
    with pytest.raises(CommandError, match="1 errors; nothing was saved"):
        call_command("import_action_plan", str(draft.public_id), str(bad), "--as", "coordinator", "--no-progress")
    assert not Activity.objects.filter(strategy=draft).exists()
    with pytest.raises(CommandError, match="may not import"):
        call_command("import_action_plan", str(draft.public_id), str(good), "--as", "reporter", "--no-progress")
    call_command("import_action_plan", str(draft.public_id), str(good), "--as", "coordinator", "--no-progress")
    assert Activity.objects.filter(strategy=draft).count() == 3
