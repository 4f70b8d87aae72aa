"""Every change to the agency registry: permission, rules and audit entry together.

Imports: a file is uploaded (`agency_import_create`), then processed (`agency_import_run`,
by the Celery task `agencies.run_import`, or in the foreground by `manage.py
import_agencies`). Processing checks every row first. The default mode is all or nothing:
one bad row and nothing is written, the report lists every problem so the file can be fixed
and sent again. The user may instead choose to import the valid rows; the others are
reported and the registry keeps what it had for them. Writing is one transaction either
way, so an interrupted import leaves the registry as it was. Rows are matched to agencies by
fiscal code: a known code updates the agency, a new one adds it; agencies absent from the
file are left alone (a registry file may cover part of the country).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atis.agencies import importing
from atis.agencies.models import Agency, AgencyImport, ImportMode, ImportStatus
from atis.agencies.permissions import IMPORT
from atis.audit.services import audit_record

logger = logging.getLogger(__name__)

# How often the progress is saved where the web page can see it.
PROGRESS_EVERY = 200
MAX_STORED_ERRORS = 2000
_FIELDS = (
    "name",
    "name_normalised",
    "licence_number",
    "licence_issued_on",
    "licence_valid_until",
    "status",
    "county",
    "locality",
    "address",
    "website",
    "notes",
)


def _require_importer(actor: Any) -> None:
    if not actor.has_perm(IMPORT):
        raise PermissionDenied


def agency_import_create(*, actor: Any, file_name: str, content: bytes, mode: str) -> AgencyImport:
    """Accept an uploaded file for import: its type is judged by content, its size bounded."""
    _require_importer(actor)
    file_type = importing.detect_type(content)
    if mode not in ImportMode.values:
        mode = ImportMode.ALL_OR_NOTHING
    job = AgencyImport.objects.create(
        file_name=(file_name or "registry")[:200],
        file_type=file_type,
        content=content,
        mode=mode,
        uploaded_by=actor,
    )
    audit_record(actor=actor, action="agencies.import_upload", obj=job, details={"mode": mode, "bytes": len(content)})
    return job


def _finish(job: AgencyImport, status: str, **fields: Any) -> AgencyImport:
    job.status = status
    job.finished_at = timezone.now()
    # The file is not needed any more; the report stays.
    job.content = b""
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()
    return job


def agency_import_run(*, job_id: int, progress: Callable[[int], None] | None = None) -> AgencyImport:
    """Check every row of an uploaded file, then write the agencies (see the module's rules)."""
    job = AgencyImport.objects.select_related("uploaded_by").get(pk=job_id)
    if job.status != ImportStatus.PENDING:
        return job
    actor = job.uploaded_by
    if not actor.is_active or not actor.has_perm(IMPORT):
        return _finish(job, ImportStatus.FAILED)
    job.status = ImportStatus.RUNNING
    job.save(update_fields=["status"])
    try:
        rows = importing.read_rows(bytes(job.content), job.file_type)
    except importing.FileProblem as problem:
        audit_record(actor=actor, action="agencies.import_rejected", obj=job, details={"reason": problem.code})
        return _finish(job, ImportStatus.REJECTED, errors=[problem.as_error()], error_count=1)
    job.total_rows = len(rows)
    job.save(update_fields=["total_rows"])

    counties = importing.county_lookup()
    valid: list[tuple[int, dict[str, Any]]] = []
    errors: list[dict[str, Any]] = []
    bad_rows = 0
    first_row_of: dict[str, int] = {}
    for done, row in enumerate(rows, start=1):
        cleaned, row_errors = importing.check_row(row, counties)
        if cleaned is not None:
            code = cleaned["fiscal_code"]
            if code in first_row_of:
                row_errors = [
                    {
                        "row": row.row,
                        "column": "fiscal_code",
                        "code": "duplicate",
                        "params": {"value": code, "first": first_row_of[code]},
                    }
                ]
            else:
                first_row_of[code] = row.row
                valid.append((row.row, cleaned))
        if row_errors:
            bad_rows += 1
            errors.extend(row_errors)
        if progress is not None:
            progress(1)
        if done % PROGRESS_EVERY == 0:
            AgencyImport.objects.filter(pk=job.pk).update(processed_rows=done)
    job.processed_rows = len(rows)
    job.error_count = bad_rows
    job.errors = errors[:MAX_STORED_ERRORS]
    if errors and job.mode == ImportMode.ALL_OR_NOTHING:
        audit_record(actor=actor, action="agencies.import_rejected", obj=job, details={"rows_with_errors": bad_rows})
        return _finish(job, ImportStatus.REJECTED)
    try:
        created, updated, unchanged = _write(actor, job, valid)
    except Exception:
        logger.exception("Agency import %s failed while writing; nothing was changed.", job.public_id)
        return _finish(job, ImportStatus.FAILED)
    return _finish(job, ImportStatus.DONE, created_count=created, updated_count=updated, unchanged_count=unchanged)


@transaction.atomic
def _write(actor: Any, job: AgencyImport, valid: list[tuple[int, dict[str, Any]]]) -> tuple[int, int, int]:
    now = timezone.now()
    source = _("Import of %(file)s") % {"file": job.file_name}
    codes = [values["fiscal_code"] for _row, values in valid]
    existing: dict[str, Agency] = {}
    for start in range(0, len(codes), 500):
        for agency in Agency.objects.select_for_update().filter(fiscal_code__in=codes[start : start + 500]):
            existing[agency.fiscal_code] = agency
    created = updated = 0
    unchanged_ids = []
    for _row, values in valid:
        known = existing.get(values["fiscal_code"])
        if known is None:
            agency = Agency(fiscal_code=values["fiscal_code"], source=source[:200], imported_at=now)
            for name in _FIELDS:
                setattr(agency, name, values[name])
            agency.full_clean(exclude=["county"], validate_unique=False, validate_constraints=False)
            agency.save()
            created += 1
            audit_record(
                actor=actor, action="agencies.agency_create", obj=agency, details={"import": str(job.public_id)}
            )
            continue
        agency = known
        changed = [name for name in _FIELDS if getattr(agency, name) != values[name]]
        if not changed:
            unchanged_ids.append(agency.pk)
            continue
        for name in changed:
            setattr(agency, name, values[name])
        agency.source, agency.imported_at = source[:200], now
        agency.save()
        updated += 1
        audit_record(
            actor=actor,
            action="agencies.agency_update",
            obj=agency,
            details={"import": str(job.public_id), "changed": sorted(changed)},
        )
    # Confirmed by this file without change: only the date of the last check moves.
    for start in range(0, len(unchanged_ids), 500):
        Agency.objects.filter(pk__in=unchanged_ids[start : start + 500]).update(imported_at=now, source=source[:200])
    audit_record(
        actor=actor,
        action="agencies.import_done",
        obj=job,
        details={"created": created, "updated": updated, "unchanged": len(unchanged_ids), "mode": job.mode},
    )
    return created, updated, len(unchanged_ids)
