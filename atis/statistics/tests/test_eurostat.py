"""The Eurostat export: its codes are Eurostat's and its figures are the statistics tables'
(every breakdown adds up to the victims identified that year, cell by cell as the dashboard
shows them), suppressed for a regional reader exactly as their tables are."""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict

import pytest
from django.urls import reverse

from atis.audit.models import AuditEntry
from atis.codelists.models import Code, CodeList
from atis.statistics import reports, selectors
from atis.statistics.selectors import Filters
from atis.statistics.tests.helpers import victim

pytestmark = pytest.mark.django_db

YEAR = 2025
DIMENSIONS = {"SEX": "sex", "AGE": "minor", "CITIZEN": "citizenship", "EXPLOIT": "form"}


@pytest.fixture
def scene(personas):  # type: ignore[no-untyped-def]
    iasi = personas["manager_iasi"].user
    for _ in range(12):
        victim(iasi, sex="female", form="sexual", citizenship="RO")
    for _ in range(11):
        victim(iasi, sex="male", form="forced_labour", scope="internal", citizenship="GR")
    # Two girls from Moldova and a woman from Bulgaria: rare citizenships, grouped as "other".
    for _ in range(2):
        victim(iasi, sex="female", form="sexual", born=datetime.date(2010, 5, 1), citizenship="MD")
    victim(iasi, sex="female", form="sexual", citizenship="BG")
    victim(iasi, sex="male", identified_on=datetime.date(2026, 2, 1))  # another year
    victim(iasi, sex="male", identified_on=None)  # notified only: not a registered victim
    return personas


def _by_dimension(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for period, dimension, category, value in rows:
        assert period == str(YEAR)
        assert category not in out[dimension], (dimension, category)  # one row per category
        out[dimension][category] = value
    return dict(out)


def test_a_national_export_uses_eurostat_codes_and_adds_up_to_the_victims_of_the_year(scene) -> None:  # type: ignore[no-untyped-def]
    analyst = scene["analyst"].user
    exported = _by_dimension(reports.eurostat_rows(analyst, YEAR))
    assert exported == {
        "SEX": {"F": "15", "M": "11"},
        "AGE": {"Y_GE18": "24", "Y_LT18": "2"},
        # Greece is EL in Eurostat's lists; citizenships of fewer than 11 victims are grouped.
        "CITIZEN": {"RO": "12", "EL": "11", "other": "3"},
        "EXPLOIT": {"sexual": "15", "forced_labour": "11"},
    }
    # The year's victims, as the statistics count them, in every breakdown.
    victims = selectors.counts(analyst, ["identified_year"])[(str(YEAR),)]
    assert victims == 26
    for dimension, values in exported.items():
        assert sum(int(value) for value in values.values()) == victims, dimension
    # Cell by cell, the one-way statistics tables of the same year.
    filters = Filters(year_from=YEAR, year_to=YEAR)
    for code, name in (("SEX", "sex"), ("AGE", "minor"), ("EXPLOIT", "form")):
        counts = selectors.counts(analyst, [name], filters)
        mapping = reports.EUROSTAT_CODES.get(name, {})
        assert {mapping.get(key, key): str(n) for (key,), n in counts.items()} == exported[code]
    # Every form of exploitation exported is a code of the agency's code list.
    forms = set(Code.objects.filter(list=CodeList.EXPLOITATION_FORM).values_list("code", flat=True))
    assert set(exported["EXPLOIT"]) <= forms


def test_every_code_belongs_to_the_eurostat_list_of_its_dimension(scene) -> None:  # type: ignore[no-untyped-def]
    for persona in ("analyst", "analyst_iasi"):
        rows = reports.eurostat_rows(scene[persona].user, YEAR)
        assert {dimension for _, dimension, _, _ in rows} == set(DIMENSIONS)
        for _, dimension, category, _ in rows:
            if dimension == "SEX":
                assert category in {"F", "M", "UNK"}
            elif dimension == "AGE":
                assert category in {"Y_LT18", "Y_GE18", "UNK"}
            elif dimension == "CITIZEN":
                assert category == "other" or (len(category) == 2 and category.isupper() and category != "GR")


def test_a_regional_export_shows_each_figure_as_the_regional_tables_do(scene) -> None:  # type: ignore[no-untyped-def]
    analyst = scene["analyst_iasi"].user
    rows = reports.eurostat_rows(analyst, YEAR)
    filters = Filters(year_from=YEAR, year_to=YEAR)
    for code, name in DIMENSIONS.items():
        published = selectors.published_table(analyst, name, None, filters)
        mapping = reports.EUROSTAT_CODES.get(name, {})
        expected = [
            [str(YEAR), code, mapping.get(str(key), str(key)), published.display(i, 0)]
            for i, key in enumerate(published.table.row_keys)
        ]
        assert [row for row in rows if row[1] == code] == expected
    # Below national level, no figure of 1 to 10 leaves: the two minors are hidden, and so is
    # the figure that would give them away by difference from the total.
    values = [value for _, _, _, value in rows]
    assert not [value for value in values if value.isdigit() and 1 <= int(value) <= 10]
    age = {category: value for _, dimension, category, value in rows if dimension == "AGE"}
    assert not age["Y_LT18"].isdigit() and not age["Y_GE18"].isdigit()


def test_the_export_is_a_csv_of_those_rows_and_is_audited(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("analyst").get(reverse("statistics:international", args=["eurostat"]), {"year": YEAR})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="atis-eurostat-{YEAR}.csv"'
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == ["TIME_PERIOD", "dimension", "category", "OBS_VALUE"]
    assert lines[1:] == reports.eurostat_rows(scene["analyst"].user, YEAR)
    entry = AuditEntry.objects.filter(action="statistics.export_eurostat").get()
    assert entry.object_label == str(YEAR)
