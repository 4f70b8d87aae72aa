from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from atis.audit.chain import GENESIS_HASH, entry_hash
from atis.audit.models import AuditEntry


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    reason: str


def audit_entries(
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_ref: str = "",
    outcome: str = "",
    request_id: str = "",
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.all()
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    if actor:
        entries = entries.filter(actor_label__iexact=actor)
    if action:
        entries = entries.filter(action__startswith=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_ref:
        # The auditor types what the table shows (a case's reference, the label) or the id;
        # a case's reference also finds every entry of its file (referrals, person, assistance).
        files = list(
            AuditEntry.objects.filter(object_label=object_ref, object_type="cases.case")
            .values_list("object_ref", flat=True)
            .distinct()[:20]
        )
        entries = entries.filter(Q(object_ref=object_ref) | Q(object_label=object_ref) | Q(case_ref__in=files))
    if outcome:
        entries = entries.filter(outcome=outcome)
    if request_id:
        entries = entries.filter(request_id=request_id)
    return entries.order_by("-sequence")


def audit_chain_breaks(entries: Iterable[AuditEntry] | None = None) -> Iterator[ChainBreak]:
    """Walk the chain from the first entry and yield every place where it does not hold."""
    previous_hash = GENESIS_HASH
    expected_sequence = 1
    source = entries if entries is not None else AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000)
    for entry in source:
        if entry.sequence != expected_sequence:
            yield ChainBreak(entry.sequence, f"expected entry #{expected_sequence}: entries are missing")
        if entry.previous_hash != previous_hash:
            yield ChainBreak(entry.sequence, "does not follow the previous entry")
        if entry.entry_hash != entry_hash(entry):
            yield ChainBreak(entry.sequence, "content does not match its hash: the entry was altered")
        previous_hash = entry.entry_hash
        expected_sequence = entry.sequence + 1
