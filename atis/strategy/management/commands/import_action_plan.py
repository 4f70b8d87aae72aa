import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from atis.lib.request_context import acting_as
from atis.strategy import xlsx
from atis.strategy.models import Strategy


class Command(BaseCommand):
    help = (
        "Imports an action plan workbook (the template of atis) into a draft strategy, replacing its "
        "plan. All or nothing: on any error nothing is saved and every error is printed with its row "
        "and column. The user named with --as must be a national coordinator; the import is audited "
        "in their name."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("strategy", help="Public id (UUID) of the draft strategy.")
        parser.add_argument("file", type=Path, help="The .xlsx file.")
        parser.add_argument("--as", dest="username", required=True, help="User name of the coordinator.")
        parser.add_argument("--no-progress", action="store_true", help="Do not show the progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = get_user_model().objects.filter(username=options["username"], is_active=True).first()
        if actor is None:
            raise CommandError("No active user with that name.")
        strategy = Strategy.objects.filter(public_id=options["strategy"]).first()
        if strategy is None:
            raise CommandError("No strategy with that id.")
        path: Path = options["file"]
        if not path.is_file() or path.stat().st_size > xlsx.MAX_FILE_BYTES:
            raise CommandError("The file is missing or larger than 5 MB.")
        with (
            acting_as(actor),
            path.open("rb") as handle,
            tqdm(unit="row", desc="Rows checked", file=sys.stderr, disable=options["no_progress"]) as bar,
        ):
            try:
                summary = xlsx.import_plan(actor=actor, strategy=strategy, handle=handle, progress=bar.update)
            except xlsx.ImportRejected as rejected:
                for error in rejected.errors:
                    self.stderr.write(f"row {error.row or '-'} · {error.column or '-'}: {error.message}")
                raise CommandError(f"{len(rejected.errors)} errors; nothing was saved.") from None
            except PermissionDenied:
                raise CommandError("This user may not import action plans.") from None
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Imported {summary.activities} activities with {summary.indicators} indicators "
            f"under {summary.general_objectives} general and {summary.specific_objectives} specific objectives."
        )
