from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from atis.accounts.models import Authenticator, User
from atis.accounts.selectors import active_membership, role_of, scope_of
from atis.audit.models import AuditEntry, Outcome
from atis.core.dashboard import Panel, register_panel


@register_panel
def my_account(request: HttpRequest) -> Panel | None:
    return Panel(
        title=_("My account"),
        template="core/panels/my_account.html",
        context={
            "membership": active_membership(request.user),
            "role": role_of(request.user),
            "scope": scope_of(request.user),
        },
        order=10,
    )


@register_panel
def accounts_without_second_factor(request: HttpRequest) -> Panel | None:
    if not request.user.has_perm("accounts.manage_users"):
        return None
    enrolled = Authenticator.objects.filter(confirmed=True).values("user_id")
    pending = User.objects.filter(is_active=True).exclude(pk__in=enrolled).order_by("username")
    if not pending.exists():
        return None
    return Panel(
        title=_("Accounts that have not set up the second factor"),
        template="core/panels/users_pending.html",
        context={"users": pending[:10], "count": pending.count()},
        kind="alert",
        order=20,
    )


@register_panel
def recent_denials(request: HttpRequest) -> Panel | None:
    if not request.user.has_perm("audit.view_auditentry"):
        return None
    since = timezone.now() - datetime.timedelta(days=1)
    denied = AuditEntry.objects.filter(at__gte=since).exclude(outcome=Outcome.SUCCESS)
    return Panel(
        title=_("Failed sign-ins and refused access, last 24 hours"),
        template="core/panels/denials.html",
        context={"count": denied.count(), "latest": denied.order_by("-sequence")[:5]},
        kind="alert",
        order=20,
    )
