"""Importing the registry: the row-by-row report, all or nothing, updates by fiscal code."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from atis.agencies import importing, services
from atis.agencies.models import Agency, ImportMode, ImportStatus
from atis.agencies.tests.helpers import code, csv_bytes, good_row, xlsx_bytes
from atis.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _run(user, content: bytes, mode: str = ImportMode.ALL_OR_NOTHING):  # type: ignore[no-untyped-def]
    job = services.agency_import_create(actor=user, file_name="registru.csv", content=content, mode=mode)
    return services.agency_import_run(job_id=job.pk)


def _bad_rows() -> list[list[object]]:
    bad_cui = good_row(2)
    bad_cui[1] = "RO12345678"
    bad_date = good_row(3)
    bad_date[4] = "31.02.2027"
    bad_status = good_row(4)
    bad_status[5] = "aproape"
    return [good_row(1), bad_cui, bad_date, bad_status, good_row(5), good_row(1, name="Duplicat SRL")]


def test_a_file_with_bad_rows_changes_nothing_and_says_why(personas) -> None:  # type: ignore[no-untyped-def]
    job = _run(personas["coordinator"].user, csv_bytes(_bad_rows()))
    assert job.status == ImportStatus.REJECTED
    assert not Agency.objects.exists()
    assert job.error_count == 4
    report = {(error["row"], error["column"]): error["code"] for error in job.errors}
    assert report == {
        (3, "fiscal_code"): "cui_checksum",
        (4, "licence_valid_until"): "date",
        (5, "status"): "status",
        (7, "fiscal_code"): "duplicate",
    }
    with translation.override("ro"):
        messages = [importing.error_message(error) for error in job.errors]
    assert "„RO12345678” nu este un cod fiscal valid: cifra de control este greșită." in messages
    assert f"Codul fiscal {code(1)} apare deja pe rândul 2." in messages
    with translation.override("en"):
        assert "is not a valid fiscal code" in importing.error_message(job.errors[0])
    assert job.content == b""


def test_valid_rows_mode_imports_the_good_rows_and_reports_the_others(personas) -> None:  # type: ignore[no-untyped-def]
    job = _run(personas["coordinator"].user, csv_bytes(_bad_rows()), ImportMode.VALID_ROWS)
    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.error_count) == (2, 4)
    assert sorted(Agency.objects.values_list("fiscal_code", flat=True)) == [code(1), code(5)]
    agency = Agency.objects.get(fiscal_code=code(1))
    assert agency.status == "active"
    assert agency.county.mnemonic == "IS"  # type: ignore[union-attr]
    assert agency.licence_valid_until == datetime.date(2027, 3, 1)
    assert agency.name_normalised == "agentia munca sigura 1 srl"


def test_a_second_import_updates_by_fiscal_code_and_audits_each_change(personas) -> None:  # type: ignore[no-untyped-def]
    user = personas["coordinator"].user
    _run(user, csv_bytes([good_row(1), good_row(2)]))
    changed = good_row(2)
    changed[5] = "suspendată"
    job = _run(user, xlsx_bytes([good_row(1), changed, good_row(3)]))
    assert (job.created_count, job.updated_count, job.unchanged_count) == (1, 1, 1)
    assert Agency.objects.get(fiscal_code=code(2)).status == "suspended"
    assert AuditEntry.objects.filter(action="agencies.agency_create").count() == 3
    update = AuditEntry.objects.get(action="agencies.agency_update")
    assert update.details["changed"] == ["status"]


def test_a_file_that_is_not_a_spreadsheet_is_refused(personas) -> None:  # type: ignore[no-untyped-def]
    user = personas["coordinator"].user
    with pytest.raises(ValidationError):
        services.agency_import_create(
            actor=user, file_name="x.csv", content=b"%PDF-1.4\n%\xe2\xe3", mode="all_or_nothing"
        )
    with pytest.raises(ValidationError):
        services.agency_import_create(
            actor=user, file_name="big.csv", content=b"a" * (importing.MAX_BYTES + 1), mode="all_or_nothing"
        )


def test_a_file_without_the_required_columns_is_rejected_whole(personas) -> None:  # type: ignore[no-untyped-def]
    job = _run(personas["coordinator"].user, csv_bytes([["x", "y"]], header=["Denumire", "Telefon"]))
    assert job.status == ImportStatus.REJECTED
    assert job.errors[0]["code"] == "missing_columns"


def test_only_importers_import(personas) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        _run(personas["operator"].user, csv_bytes([good_row(1)]))


def test_the_command_imports_with_a_progress_bar(personas, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "registru.xlsx"
    path.write_bytes(xlsx_bytes([good_row(1), good_row(2)]))
    call_command("import_agencies", str(path), user="coordinator")
    assert Agency.objects.count() == 2
    assert "2 added" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(_bad_rows()))
    with pytest.raises(CommandError):
        call_command("import_agencies", str(bad), user="coordinator", no_progress=True)
    assert Agency.objects.count() == 2
