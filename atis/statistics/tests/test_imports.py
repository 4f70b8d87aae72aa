"""Imports of UNODC GLOTIP and CTDC files: good files, damaged files, running twice."""

from __future__ import annotations

import csv
import gzip
import io
import random
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from atis.statistics.comparison import ctdc_frequencies
from atis.statistics.imports import (
    VP_COLUMNS,
    ImportRefused,
    import_ctdc,
    import_file,
    import_glotip,
    parse_flag,
    parse_glotip_value,
)
from atis.statistics.models import CtdcRecord, GlotipValue, ImportRun, ImportStatus

pytestmark = pytest.mark.django_db

GLOTIP = settings.SHARED_DIR / "data" / "glotip" / "glotip_eu27_2023-05-30.csv"
CTDC = settings.SHARED_DIR / "data" / "ctdc" / "ctdc_global_2017-11-27.csv.gz"
HEADER = (
    "Iso3_code,Country,Region,Subregion,Indicator,Dimension,Category,Sex,Age,Year,Unit of measurement,txtVALUE,Source\n"
)


def _row(value: str, year: str = "2019", sex: str = "Total") -> str:
    return f'ROU,Romania,Europe,Eastern Europe,Detected trafficking victims,Total,Total,{sex},Total,{year},Counts,"{value}",GLOTIP\n'


def test_glotip_values_are_text_a_suppressed_cell_is_not_a_number() -> None:
    assert parse_glotip_value("1,011") == (1011, None)
    assert parse_glotip_value("<5") == (None, 5)
    assert parse_glotip_value("698") == (698, None)
    with pytest.raises(ValueError):
        parse_glotip_value("n/a")


def test_the_real_glotip_file_is_imported_once_however_often_it_is_run() -> None:
    first = import_glotip(GLOTIP)
    count = GlotipValue.objects.count()
    assert first.rows_read == 13_817
    assert count == first.rows_kept > 13_000
    romania_2007 = GlotipValue.objects.get(
        iso3="ROU", indicator="Detected trafficking victims", dimension="Total", sex="Total", age="Total", year=2007
    )
    assert romania_2007.value == 1780  # "1,780" in the file
    assert GlotipValue.objects.filter(below=5, value__isnull=True).exists()
    import_glotip(GLOTIP)
    assert GlotipValue.objects.count() == count
    assert ImportRun.objects.filter(status=ImportStatus.DONE).count() == 2


def test_bad_glotip_rows_are_skipped_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "glotip.csv"
    path.write_text(
        HEADER
        + _row("1,011")
        + _row("lots", sex="Male")
        + _row("12", year="20x9")
        + "ROU,Romania\n"
        + _row("<5", sex="Female")
    )
    run = import_glotip(path)
    assert run.rows_kept == 2
    assert run.skipped["reasons"] == {"bad value": 1, "bad year": 1, "incomplete row": 1}
    assert run.skipped["lines"]["bad value"] == [3]


def test_a_glotip_file_with_wrong_columns_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "glotip.csv"
    path.write_text("Country,Year,Value\nRomania,2019,698\n")
    with pytest.raises(ImportRefused, match="txtVALUE"):
        import_glotip(path)
    assert not GlotipValue.objects.exists()
    assert ImportRun.objects.get().status == ImportStatus.REFUSED


def test_a_truncated_glotip_file_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "glotip.csv"
    content = GLOTIP.read_bytes()
    path.write_bytes(content[: len(content) // 2])
    # The message is for the person importing, in their language (Romanian by default).
    with pytest.raises(ImportRefused, match="se întrerupe la linia"):
        import_glotip(path)
    assert not GlotipValue.objects.exists()


def test_ctdc_flags_may_be_floats_and_empty_is_missing_not_false() -> None:
    assert parse_flag("1.0") is True
    assert parse_flag("0") is False
    assert parse_flag("") is None


def test_the_real_ctdc_release_is_imported_apart_with_its_junk_rows_reported() -> None:
    run = import_ctdc(CTDC)
    assert run.rows_kept == 47_102
    assert run.skipped["reasons"] == {"junk row": 4}
    assert (run.release, run.layout, run.published_rows) == ("2017-11-27", "ctdc_global", 47_102)
    assert CtdcRecord.objects.filter(run=run).count() == 47_102
    # "Missing" and "Unknown" are distinct answers; an empty cell is neither.
    assert CtdcRecord.objects.filter(exploitation_country="Missing").count() == 11_688
    assert CtdcRecord.objects.filter(age_band="Unknown").count() == 5_543
    assert CtdcRecord.objects.filter(age_band="").count() == 11_819  # 11,823 empty cells less the 4 junk rows
    first = CtdcRecord.objects.get(line=2)  # X = 1, the line after the header
    assert first.gender == "Female"
    assert first.age_band == "18--20"
    assert first.forms == ["sexual exploitation"]
    assert (first.citizenship, first.citizenship_region) == ("KZ", "Asia")
    again = import_ctdc(CTDC)
    # The same release again replaces its dataset: never two copies of the same victims.
    assert CtdcRecord.objects.count() == 47_102
    assert set(CtdcRecord.objects.values_list("run", flat=True).distinct()) == {again.pk}
    run.refresh_from_db()
    assert run.status == ImportStatus.REPLACED


def test_multi_valued_ctdc_fields_are_split(tmp_path: Path) -> None:
    path = tmp_path / "ctdc_2019-01-01.csv"
    path.write_text(
        "X,yearOfRegistration,gender,citizenship,isForcedLabour,isSexualExploit,meansOfControlThreats,RecruiterRelationship\n"
        "1,2018,Male,RO,1.0,0.0,1.0,Friend; Family member\n"
        "2,2018,Female,RO,,1,,\n"
    )
    run = import_ctdc(path)
    assert run.rows_kept == 2
    assert run.release == "2019-01-01"
    first = CtdcRecord.objects.get(run=run, line=2)
    assert first.forms == ["forced labour"]
    assert first.control_methods == ["Threats"]
    assert first.recruiter_relations == ["Friend", "Family member"]
    assert CtdcRecord.objects.get(line=3).recruiter_relations == []


def test_a_damaged_ctdc_archive_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ctdc.csv.gz"
    path.write_bytes(CTDC.read_bytes()[:50_000])
    with pytest.raises(ImportRefused):
        import_ctdc(path)
    assert not CtdcRecord.objects.exists()


def test_a_ctdc_file_with_bad_flags_skips_those_rows(tmp_path: Path) -> None:
    path = tmp_path / "ctdc.csv.gz"
    path.write_bytes(
        gzip.compress(b"X,yearOfRegistration,gender,citizenship,isForcedLabour\n1,2018,Male,RO,yes\n2,2018,Male,RO,1\n")
    )
    run = import_ctdc(path)
    assert run.rows_kept == 1
    assert run.skipped["reasons"] == {"bad value": 1}


# --- keeping every figure -------------------------------------------------------------------


def test_a_glotip_figure_given_twice_with_different_values_keeps_both_with_their_lines() -> None:
    run = import_glotip(GLOTIP)
    other_forms_2017 = GlotipValue.objects.filter(
        iso3="ROU",
        indicator="Detected trafficking victims",
        dimension="by form of exploitation",
        category="Other forms of exploitation",
        sex="Total",
        age="Total",
        year=2017,
    ).order_by("line")
    # The file holds 129 on line 13651 and 43 on line 13652: neither wins.
    assert [(f.value, f.line, f.conflicting) for f in other_forms_2017] == [(129, 13651, True), (43, 13652, True)]
    # 82 cells come more than once (129 extra rows): 49 of them with different values, 117
    # distinct figures, all kept; the 61 rows repeating a value already read are counted once.
    assert run.rows_conflicting == GlotipValue.objects.filter(conflicting=True).count() == 117
    assert run.rows_repeated == 61
    assert run.rows_kept == GlotipValue.objects.count() == 13_817 - 61
    assert run.rows_skipped == 0


def test_a_repeated_glotip_figure_is_counted_once_and_reported_by_line(tmp_path: Path) -> None:
    path = tmp_path / "glotip.csv"
    path.write_text(HEADER + _row("12") + _row("12") + _row("<5") + _row("30", sex="Male"))
    run = import_glotip(path)
    assert (run.rows_read, run.rows_kept, run.rows_repeated, run.rows_conflicting) == (4, 3, 1, 2)
    figures = GlotipValue.objects.filter(sex="Total").order_by("line")
    assert [(f.value, f.below, f.line, f.conflicting) for f in figures] == [(12, None, 2, True), (None, 5, 4, True)]
    assert {"line": 3, "reason": "repeated figure", "column": "txtVALUE", "other": "2"} in run.errors
    assert {"line": 4, "reason": "conflicting figure", "column": "txtVALUE", "other": "2"} in run.errors


def test_a_new_glotip_file_replaces_the_figures_it_gives_again_and_keeps_the_others(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(HEADER + _row("10", year="2018") + _row("20", year="2019"))
    second.write_text(HEADER + _row("25", year="2019"))
    import_glotip(first)
    import_glotip(second)
    assert dict(GlotipValue.objects.values_list("year", "value")) == {2018: 10, 2019: 25}


@pytest.mark.parametrize(
    ("source", "header"),
    [("glotip", HEADER), ("ctdc", "X,yearOfRegistration,gender,citizenship\n"), ("ctdc", "yearRegister,gender\n")],
)
def test_a_file_with_a_header_and_no_rows_is_refused(tmp_path: Path, source: str, header: str) -> None:
    path = tmp_path / "empty_2024-01-01.csv"
    path.write_text(header if source == "glotip" or "X" in header else ",".join(VP_COLUMNS) + "\n")
    with translation.override("en"), pytest.raises(ImportRefused, match="a header but no rows"):
        import_file(source, path)
    assert ImportRun.objects.get().status == ImportStatus.REFUSED
    assert not GlotipValue.objects.exists()
    assert not CtdcRecord.objects.exists()


def test_a_ctdc_file_cut_at_a_line_end_is_imported_and_its_count_shown_beside_the_published_one(
    tmp_path: Path,
) -> None:
    lines = gzip.decompress(CTDC.read_bytes()).splitlines(keepends=True)
    path = tmp_path / "ctdc_global_2017-11-27.csv"
    path.write_bytes(b"".join(lines[:30_001]))  # the header and 30,000 records, ending cleanly
    run = import_ctdc(path)
    # Reading cannot tell it from a whole file; the published count can.
    assert (run.status, run.rows_kept, run.published_rows) == (ImportStatus.DONE, 30_000, 47_102)


def test_a_ctdc_file_cut_inside_a_row_changes_nothing(tmp_path: Path) -> None:
    text = gzip.decompress(CTDC.read_bytes())
    path = tmp_path / "ctdc_global_2017-11-27.csv"
    path.write_bytes(text[: len(text) // 2])
    with pytest.raises(ImportRefused):
        import_ctdc(path)
    assert not CtdcRecord.objects.exists()


def test_each_ctdc_release_is_a_dataset_of_its_own(tmp_path: Path) -> None:
    header = "X,yearOfRegistration,gender,citizenship,isSexualExploit\n"
    older, newer = tmp_path / "ctdc_2017-11-27.csv", tmp_path / "ctdc_2020-06-01.csv"
    older.write_text(header + "1,2016,Female,RO,1\n2,2016,Female,MD,1\n")
    newer.write_text(header + "1,2016,Female,RO,1\n2,2016,Female,MD,1\n3,2019,Male,RO,1\n")
    first, second = import_ctdc(older), import_ctdc(newer)
    assert CtdcRecord.objects.filter(run=first).count() == 2
    assert CtdcRecord.objects.filter(run=second).count() == 3
    assert (first.release, second.release) == ("2017-11-27", "2020-06-01")


# --- the synthetic releases -----------------------------------------------------------------

VP_DICTIONARY = settings.SHARED_DIR / "data" / "ctdc" / "ctdc_vp_synthetic_dictionary_2022-12-01.xlsx"


def _tabstat() -> tuple[dict[str, Counter[str]], dict[str, int]]:
    """The published frequency of every value, and of missing, per variable (sheet TabStat)."""
    sheet = load_workbook(VP_DICTIONARY, read_only=True)["TabStat"]
    values: dict[str, Counter[str]] = {}
    missing: dict[str, int] = {}
    variable = ""
    for first, label, freq, *_rest in sheet.iter_rows(values_only=True):
        if first in VP_COLUMNS and freq is None:
            variable = first
            values[variable] = Counter()
        elif first == "Missing":
            missing[variable] = int(freq)
        elif label is not None and label != "Total" and isinstance(freq, int):
            values[variable][str(label)] = freq
    return values, missing


def _synthetic_vp_file(path: Path) -> int:
    """A victim-perpetrator file with exactly TabStat's frequencies, each column shuffled on
    its own: the real data file is not public in this repository."""
    values, missing = _tabstat()
    total = sum(values["gender"].values()) + missing["gender"]
    generator = random.Random(2022)
    columns = []
    for name in VP_COLUMNS:
        column = [value for value, count in values[name].items() for _ in range(count)]
        column += [""] * missing[name]
        assert len(column) == total, name
        generator.shuffle(column)
        columns.append(column)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(VP_COLUMNS)
        writer.writerows(zip(*columns, strict=True))
    return total


def test_a_victim_perpetrator_release_reproduces_the_published_frequencies_exactly(tmp_path: Path) -> None:
    path = tmp_path / "ctdc_vp_synthetic_2022-12-01.csv"
    total = _synthetic_vp_file(path)
    run = import_ctdc(path)
    assert (run.layout, run.release, run.rows_kept, run.published_rows) == ("ctdc_vp", "2022-12-01", total, 21_195)
    published, _missing = _tabstat()
    assert ctdc_frequencies(run) == published
    # The region-level breakdowns are kept as the release gives them.
    assert CtdcRecord.objects.filter(run=run, citizenship_region="Europe").count() == 5_887
    assert not CtdcRecord.objects.filter(run=run).exclude(citizenship="").exists()


def test_the_global_synthetic_layout_reads_iso3_countries_and_null_as_missing(tmp_path: Path) -> None:
    path = tmp_path / "ctdc_synthetic_2024-02-01.csv"
    path.write_text(
        "yearOfRegistration,gender,ageBroad,citizenship,CountryOfExploitation,traffickMonths,meansThreats,"
        "isForcedLabour,isSexualExploit,isOtherExploit,recruiterRelationFriend\n"
        "2021,Woman,18--20,ROU,ITA,0--12 (0-1 yr),1,,1,,1\n"
        "2019,NULL,NULL,NULL,NULL,NULL,,,,,\n"
    )
    run = import_ctdc(path)
    assert (run.layout, run.rows_kept) == ("ctdc_synthetic", 2)
    first, second = CtdcRecord.objects.filter(run=run).order_by("line")
    assert (first.citizenship, first.citizenship_region, first.exploitation_region) == ("ROU", "Europe", "Europe")
    assert (first.forms, first.control_methods, first.recruiter_relations) == (
        ["sexual exploitation"],
        ["Threats"],
        ["Friend"],
    )
    assert (second.gender, second.citizenship, second.forms) == ("", "", [])


def test_a_failed_import_of_a_release_leaves_its_earlier_dataset_whole(tmp_path: Path) -> None:
    first = import_ctdc(CTDC)
    damaged = tmp_path / "ctdc_global_2017-11-27.csv.gz"
    damaged.write_bytes(CTDC.read_bytes()[:-2_000])
    with pytest.raises(ImportRefused):
        import_ctdc(damaged)
    first.refresh_from_db()
    assert first.status == ImportStatus.DONE
    assert CtdcRecord.objects.filter(run=first).count() == CtdcRecord.objects.count() == 47_102


def test_an_import_left_running_by_a_dead_worker_starts_over_when_delivered_again(tmp_path: Path) -> None:
    from atis.statistics import imports, tasks

    run = ImportRun.objects.create(
        source=ImportRun.Source.GLOTIP, file_name="glotip.csv", stored_name="left.upload", status=ImportStatus.RUNNING
    )
    imports.stored_path(run).parent.mkdir(parents=True, exist_ok=True)
    imports.stored_path(run).write_text(HEADER + _row("698"))
    assert tasks.run_import(run.pk) == ImportStatus.DONE
    assert GlotipValue.objects.get().value == 698
    assert not imports.stored_path(run).exists()


def test_the_command_reports_conflicts_lines_and_the_published_count(tmp_path: Path) -> None:
    path = tmp_path / "glotip.csv"
    path.write_text(HEADER + _row("129") + _row("43") + _row("43"))
    out = io.StringIO()
    call_command("statistics_import", "glotip", str(path), stdout=out)
    text = out.getvalue()
    assert "3 rows read, 2 kept, 0 skipped." in text
    assert "2 figures conflict" in text and "1 repeated figures counted once" in text
    assert "line 4:" in text
    with pytest.raises(CommandError, match="antet"):
        empty = tmp_path / "empty.csv"
        empty.write_text(HEADER)
        call_command("statistics_import", "glotip", str(empty), stdout=io.StringIO())


def test_a_file_whose_every_row_is_bad_is_refused_with_the_reasons_by_line(tmp_path: Path) -> None:
    path = tmp_path / "glotip.csv"
    path.write_text(HEADER + _row("lots") + _row("12", year="20x9"))
    with pytest.raises(ImportRefused):
        import_glotip(path)
    run = ImportRun.objects.get()
    assert (run.status, run.rows_read, run.rows_kept) == (ImportStatus.REFUSED, 2, 0)
    assert [(error["line"], error["reason"]) for error in run.errors] == [(2, "bad value"), (3, "bad year")]
    assert not GlotipValue.objects.exists()
