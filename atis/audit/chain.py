"""How an audit entry is chained to the previous one: its canonical form and its HMAC.

Apart from the services that append entries, so the selectors that verify the chain read it
without importing the module that writes it.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json

from django.conf import settings

from atis.audit.models import AuditEntry

GENESIS_HASH = "0" * 64


def _canonical(entry: AuditEntry) -> bytes:
    at = entry.at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    payload = [
        entry.sequence,
        at,
        entry.actor_id,
        entry.actor_label,
        entry.role,
        entry.organisation_label,
        entry.action,
        entry.object_type,
        entry.object_ref,
        entry.object_label,
        entry.ip,
        entry.request_id,
        entry.channel,
        entry.outcome,
        entry.details,
        entry.previous_hash,
    ]
    if entry.case_ref:
        # Appended only when set, so entries written before the column existed keep their hash.
        payload.append(["case", entry.case_ref])
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: AuditEntry) -> str:
    return hmac.new(settings.ATIS_AUDIT_KEY.encode(), _canonical(entry), hashlib.sha256).hexdigest()
