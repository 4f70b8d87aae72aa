from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from atis.lib.request_context import acting_as
from atis.statistics.imports import ImportRefused, import_ctdc, import_glotip


class Command(BaseCommand):
    help = (
        "Imports a UNODC GLOTIP file (glotip) or a CTDC dataset (ctdc, .csv or .csv.gz). The whole "
        "file is read first: a damaged file changes nothing; bad rows are skipped and counted by "
        "reason. Running it again with the same file changes nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source", choices=["glotip", "ctdc"])
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        importer = import_glotip if options["source"] == "glotip" else import_ctdc
        try:
            with acting_as(None, channel="command"), tqdm(unit="row", disable=None) as bar:
                run = importer(path, progress=bar.update)
        except ImportRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{run.rows_read} rows read, {run.rows_kept} kept, {run.rows_skipped} skipped.")
        for reason, count in run.skipped.get("reasons", {}).items():
            self.stdout.write(f"  skipped ({reason}): {count}")
