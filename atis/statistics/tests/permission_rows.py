"""The statistics URLs in the permission matrix (see atis.core.tests.matrix).

Aggregates only: analysts (national and regional) and the national coordinator; every other
role is refused, whatever cases it may work on.
"""

from __future__ import annotations

from typing import Any

from atis.core.tests.matrix import FORBIDDEN, NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Row, only

READERS = {"coordinator", "analyst", "analyst_iasi"}

_OWN_REPORT = {**only(READERS, yes=NOT_FOUND), "coordinator": OK}

ROWS: dict[str, Row] = {
    "statistics:dashboard": (None, only(READERS, yes=OK), REDIRECT),
    "statistics:export": ("statistics_csv", only(READERS, yes=OK), REDIRECT),
    "statistics:comparison": (None, only(READERS, yes=OK), REDIRECT),
    "statistics:reports": (None, only(READERS, yes=OK), REDIRECT),
    "statistics:international": ("statistics_glotip", only(READERS, yes=OK), REDIRECT),
    # The background annual report: built for its requester's scope, so theirs alone (the
    # coordinator's here; other readers get a 404). Writes are POST only.
    "statistics:annual_report_generate": (None, only(READERS, yes=NOT_ALLOWED), REDIRECT),
    "statistics:annual_report_status": ("annual_report", _OWN_REPORT, REDIRECT),
    "statistics:annual_report_file": ("annual_report_pdf", _OWN_REPORT, REDIRECT),
    "statistics:annual_report_publish": ("annual_report", only({"coordinator"}, yes=NOT_ALLOWED), REDIRECT),
    # Imports of international data: the coordinator and analysts; an import's
    # report is national data, the same for every importer.
    "statistics:import": (None, only({"coordinator", "analyst", "analyst_iasi"}), REDIRECT),
    "statistics:import_detail": ("statistics_import", only({"coordinator", "analyst", "analyst_iasi"}), REDIRECT),
    # Microdata: the coordinator only, and only after giving the second factor again.
    "statistics:microdata": (None, only({"coordinator"}, yes=REDIRECT, no=FORBIDDEN), REDIRECT),
}


def url_kwargs(personas: Any) -> dict[str, dict[str, Any]]:
    from atis.statistics.models import AnnualReport, ImportRun, ImportStatus, ReportStatus

    # A finished report without building one: the matrix checks access, not the PDF.
    report = AnnualReport.objects.create(
        year=2025,
        language="ro",
        status=ReportStatus.DONE,
        progress=100,
        pdf=b"%PDF-1.7",
        xlsx=b"PK",
        requested_by=personas["coordinator"].user,
    )
    run = ImportRun.objects.create(source=ImportRun.Source.GLOTIP, file_name="glotip.csv", status=ImportStatus.DONE)
    return {
        "statistics_import": {"public_id": run.public_id},
        "annual_report": {"public_id": report.public_id},
        "annual_report_pdf": {"public_id": report.public_id, "file_format": "pdf"},
        "statistics_csv": {"file_format": "csv"},
        "statistics_glotip": {"standard": "glotip"},
    }
