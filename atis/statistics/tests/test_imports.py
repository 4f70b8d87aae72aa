"""Imports of UNODC GLOTIP and CTDC files: good files, damaged files, running twice."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from django.conf import settings

from atis.statistics.imports import ImportRefused, import_ctdc, import_glotip, parse_flag, parse_glotip_value
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
