from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from atis.agencies import importing, services
from atis.agencies.models import ImportMode, ImportStatus


class Command(BaseCommand):
    help = (
        "Import the registry of recruitment agencies from a CSV or XLSX file, on behalf of a user who may "
        "import it (the audit log names them). All or nothing by default: one bad row and nothing changes; "
        "--valid-rows imports the valid rows and reports the others. Agencies are matched by fiscal code."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="User name of the person importing.")
        parser.add_argument("--valid-rows", action="store_true", help="Import the valid rows even if others fail.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > importing.MAX_BYTES:
            raise CommandError(f"The file is larger than {importing.MAX_BYTES // (1024 * 1024)} MB.")
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['user']!r}.")
        mode = ImportMode.VALID_ROWS if options["valid_rows"] else ImportMode.ALL_OR_NOTHING
        try:
            job = services.agency_import_create(actor=user, file_name=path.name, content=path.read_bytes(), mode=mode)
        except PermissionDenied:
            raise CommandError(f"{user.get_username()} may not import the agency registry.") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with tqdm(unit="row", desc="Agencies", file=sys.stderr, disable=options["no_progress"]) as bar:

            def advance(rows: int) -> None:
                bar.update(rows)

            job = services.agency_import_run(job_id=job.pk, progress=advance)
        for problem in job.errors[:50]:
            column = importing.column_label(problem.get("column", ""))
            self.stderr.write(f"row {problem.get('row') or '-'}, {column}: {importing.error_message(problem)}")
        if len(job.errors) > 50:
            self.stderr.write(f"... and {len(job.errors) - 50} more.")
        self.stdout.write(
            f"Import {job.get_status_display()}: {job.total_rows} rows, {job.created_count} added, "
            f"{job.updated_count} updated, {job.unchanged_count} unchanged, {job.error_count} rows with errors."
        )
        if job.status != ImportStatus.DONE:
            raise CommandError("Nothing was changed.")
