import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from atis.audit.models import AuditEntry
from atis.audit.selectors import audit_chain_breaks


class Command(BaseCommand):
    help = (
        "Checks the audit log's hash chain from the first entry: an entry altered, removed or "
        "inserted outside atis breaks it. Exits with status 1 and lists the breaks when it fails."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total = AuditEntry.objects.count()
        entries = tqdm(
            AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000),
            total=total,
            unit="entry",
            disable=options["verbosity"] == 0,
            file=sys.stderr,
        )
        breaks = list(audit_chain_breaks(entries))
        if breaks:
            for found in breaks[:50]:
                self.stderr.write(f"entry #{found.sequence}: {found.reason}")
            raise CommandError(f"The audit log has been tampered with: {len(breaks)} break(s) in {total} entries.")
        self.stdout.write(f"The audit log is intact: {total} entries checked.")
