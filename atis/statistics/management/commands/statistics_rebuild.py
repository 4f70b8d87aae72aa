from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from atis.cases.models import Case, TraffickingStatus
from atis.lib.request_context import acting_as
from atis.statistics.services import statistics_rebuild


class Command(BaseCommand):
    help = (
        "Recomputes every statistical fact and count from the cases, from scratch. Needed only "
        "after a restore or a change of the code lists: the case services keep them current."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total = Case.objects.filter(trafficking_status=TraffickingStatus.IDENTIFIED).count()
        with acting_as(None, channel="command"), tqdm(total=total, unit="case", disable=None) as bar:
            kept = statistics_rebuild(progress=bar.update)
        self.stdout.write(f"{kept} identified victims counted.")
