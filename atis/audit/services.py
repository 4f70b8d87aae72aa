"""Writing the audit log.

Each entry carries an HMAC (keyed with ATIS_AUDIT_KEY, kept outside the database) over its
own content and the previous entry's hash. Changing, removing or inserting an entry breaks
the chain at that point, and without the key nobody can forge a consistent chain again.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from atis.audit.chain import GENESIS_HASH, entry_hash
from atis.audit.models import AuditEntry, Outcome
from atis.lib import request_context

# Any constant will do: it names the lock that serialises appends on PostgreSQL.
_CHAIN_LOCK_ID = 7_204_117


def hold_the_audit_chain() -> None:
    """Take, until the transaction ends, the lock that lets one transaction at a time append.

    Also taken by writes that must not run side by side (the statistics counts): sharing the
    one lock, rather than a second, means no two transactions can wait for each other across
    two locks. SQLite already lets one writer at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_ID])


def _actor_fields(user: Any) -> dict[str, Any]:
    if user is None or not getattr(user, "is_authenticated", False):
        return {"actor_id": None, "actor_label": "", "role": "", "organisation_label": ""}
    from atis.accounts.selectors import active_membership

    membership = active_membership(user)
    return {
        "actor_id": user.pk,
        "actor_label": user.get_username(),
        "role": membership.role.name if membership else "",
        "organisation_label": str(membership.organisation)[:200] if membership else "",
    }


def case_ref_of(obj: Model | None) -> str | None:
    """The public id of the case file an object belongs to, if it belongs to one.

    Read by duck typing (a case, or anything with a `case`: referral, plan, screening,
    proceeding, escalation) so the audit app needs no import of the domains above it.
    """
    if obj is None:
        return None
    if obj._meta.label_lower == "cases.case":
        return str(getattr(obj, "public_id", ""))
    if "case" in {field.name for field in obj._meta.get_fields()}:
        case = getattr(obj, "case", None)
        public_id = getattr(case, "public_id", None)
        return str(public_id) if public_id else None
    return None


def audit_record(
    *,
    action: str,
    obj: Model | None = None,
    case: Model | None = None,
    object_type: str = "",
    object_ref: str = "",
    object_label: str = "",
    outcome: str = Outcome.SUCCESS,
    details: dict[str, Any] | None = None,
    actor: Any = None,
) -> AuditEntry:
    """Append one entry, inside the caller's transaction when there is one.

    Object labels must never carry a victim's identity: pass the pseudonymous reference.
    `case` names the case file the entry belongs to when `obj` does not lead to it (a person).
    """
    context = request_context.current()
    case_ref = case_ref_of(case) if case is not None else case_ref_of(obj)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_ref = object_ref or str(getattr(obj, "public_id", None) or obj.pk)
        object_label = object_label or str(getattr(obj, "audit_label", "") or "")
    with transaction.atomic():
        hold_the_audit_chain()
        last = AuditEntry.objects.order_by("-sequence").values("sequence", "entry_hash").first()
        entry = AuditEntry(
            sequence=(last["sequence"] + 1) if last else 1,
            at=timezone.now(),
            **_actor_fields(actor if actor is not None else context.user),
            action=action,
            object_type=object_type[:64],
            object_ref=object_ref[:200],
            object_label=object_label[:200],
            case_ref=case_ref,
            ip=context.ip,
            request_id=context.request_id,
            channel=context.channel,
            outcome=outcome,
            details=details or {},
            previous_hash=last["entry_hash"] if last else GENESIS_HASH,
        )
        entry.entry_hash = entry_hash(entry)
        entry.save(force_insert=True)
    return entry


def audit_read(obj: Model, *, section: str = "", case: Model | None = None) -> AuditEntry:
    """Record that the current user opened a protected record (reads are audited too)."""
    return audit_record(action="read", obj=obj, case=case, details={"section": section} if section else None)


def audit_access_denied(request: HttpRequest, reason: str) -> AuditEntry:
    """A view refused (registered into `atis.lib.access.access_denied` by the audit app)."""
    return audit_record(
        action="access.denied",
        object_type="url",
        object_ref=request.path[:200],
        object_label=request.resolver_match.view_name if request.resolver_match else "",
        outcome="denied",
        details={"reason": reason, "method": request.method},
    )
