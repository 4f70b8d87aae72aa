from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from atis.lib.request_context import acting_as
from atis.statistics.imports import ImportRefused, error_message, import_file


class Command(BaseCommand):
    help = (
        "Imports a UNODC GLOTIP file (glotip) or a CTDC release (ctdc, .csv or .csv.gz: the 2017 "
        "global layout, the global synthetic layout or the victim-perpetrator synthetic layout). The "
        "file is streamed and written in one transaction: a damaged file, or one with a header and no "
        "rows, changes nothing; bad rows are skipped and reported by line. GLOTIP figures given twice "
        "with different values are all kept and flagged as conflicting. A CTDC release is a dataset: "
        "importing it again replaces it. A file cut at a line end cannot be detected: compare the "
        "count printed with the source's published count."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source", choices=["glotip", "ctdc"])
        parser.add_argument("path", type=Path)
        parser.add_argument("--release", default="", help="CTDC release label (default: the date in the file name)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            with acting_as(None, channel="command"), tqdm(unit="row", disable=None) as bar:
                run = import_file(
                    options["source"],
                    path,
                    release=options["release"],
                    progress=lambda rows, _share: bar.update(rows - bar.n),
                )
        except ImportRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{run.rows_read} rows read, {run.rows_kept} kept, {run.rows_skipped} skipped.")
        if run.rows_conflicting or run.rows_repeated:
            self.stdout.write(
                f"  {run.rows_conflicting} figures conflict with another value of the same key (all kept); "
                f"{run.rows_repeated} repeated figures counted once."
            )
        for reason, count in run.skipped.get("reasons", {}).items():
            self.stdout.write(f"  skipped ({reason}): {count}")
        if run.published_rows is not None:
            self.stdout.write(f"  the source publishes {run.published_rows} records for this release.")
        for problem in run.errors[:20]:
            self.stdout.write(f"  line {problem['line']}: {error_message(problem)}")
