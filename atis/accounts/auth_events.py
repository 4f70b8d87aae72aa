"""Audit of lockouts, which django-axes reports only through its signal."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.dispatch import receiver

from atis.audit.services import audit_record


@receiver(user_locked_out, dispatch_uid="atis_audit_lockout")
def audit_lockout(sender: Any, request: Any, username: str | None = None, **kwargs: Any) -> None:
    from atis.accounts.models import User

    known = User.objects.filter(username=username).values_list("username", flat=True).first() if username else None
    audit_record(
        action="login.locked_out",
        object_type="accounts.user",
        object_label=known or "unknown account",
        outcome="denied",
    )
