from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from atis.cases.models import Case, TraffickingStatus
from atis.lib.request_context import acting_as
from atis.statistics.models import CoverageMove
from atis.statistics.services import statistics_check, statistics_rebuild

SHOWN = 50


class Command(BaseCommand):
    help = (
        "Recomputes every statistical fact and count from the cases, from scratch. Needed only "
        "after a restore or a change of the code lists: the case services keep them current. "
        "With --check, changes nothing: compares what is kept with what a rebuild would publish, "
        "lists the differences and exits with status 1 when there are some."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Report the differences between the kept counts and a rebuild; change nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        total = Case.objects.filter(trafficking_status=TraffickingStatus.IDENTIFIED).count()
        with acting_as(None, channel="command"), tqdm(total=total, unit="case", disable=None) as bar:
            if not options["check"]:
                kept = statistics_rebuild(progress=bar.update)
                self.stdout.write(f"{kept} identified victims counted.")
                return
            differences = statistics_check(progress=bar.update)
        if not differences:
            self.stdout.write(f"The kept facts and counts equal a rebuild ({total} identified victims).")
            return
        pending = CoverageMove.objects.filter(finished_at__isnull=True).count()
        if pending:
            self.stdout.write(
                f"{pending} county move(s) are still being recounted: the centres' crossings of their "
                "victims differ from a rebuild until that is finished."
            )
        by_table: dict[str, int] = {}
        for difference in differences:
            by_table[difference.table] = by_table.get(difference.table, 0) + 1
        for difference in differences[:SHOWN]:
            key = " | ".join(str(part) for part in difference.key)
            self.stdout.write(f"{difference.table}: {key}: kept {difference.kept}, rebuilt {difference.rebuilt}")
        if len(differences) > SHOWN:
            self.stdout.write(f"… and {len(differences) - SHOWN} more.")
        summary = ", ".join(f"{table}: {count}" for table, count in sorted(by_table.items()))
        raise CommandError(
            f"The kept statistics differ from a rebuild in {len(differences)} row(s) ({summary}). "
            "Nothing was changed; run statistics_rebuild to publish the rebuilt figures."
        )
