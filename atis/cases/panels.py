"""The case panels of the personal dashboard: my cases, referrals waiting, deadlines."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from atis.cases.models import CaseStatus
from atis.cases.permissions import cases as policy
from atis.cases.selectors import cases_visible_to, referral_inbox, tasks_due
from atis.core.dashboard import Panel, register_panel

SHOWN = 8


@register_panel
def cases_i_manage(request: HttpRequest) -> Panel | None:
    if not policy.may(request.user, "edit"):
        return None
    managed = (
        cases_visible_to(request.user)
        .filter(case_manager_id=request.user.pk)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("county")
        .only("public_id", "reference", "status", "notified_on", "county__name")
        .order_by("-notified_on", "-id")
    )
    shown = list(managed[: SHOWN + 1])
    more = managed.count() - SHOWN if len(shown) > SHOWN else 0
    return Panel(
        title=_("Cases I manage"),
        template="cases/panels/managed.html",
        context={"cases": shown[:SHOWN], "more": more},
        order=30,
    )


@register_panel
def referrals_waiting(request: HttpRequest) -> Panel | None:
    if not request.user.has_perm("cases.answer_referral"):
        return None
    waiting = referral_inbox(request.user)
    count = waiting.count()
    return Panel(
        title=_("Referrals awaiting my organisation"),
        template="cases/panels/inbox.html",
        context={"count": count, "latest": list(waiting.order_by("-sent_at")[:5]) if count else []},
        kind="alert" if count else "work",
        order=25,
    )


@register_panel
def deadlines(request: HttpRequest) -> Panel | None:
    if not policy.may(request.user, "edit"):
        return None
    today = timezone.localdate()
    due_or_soon = tasks_due(request.user, today=today)
    due = list(due_or_soon[:20])
    overdue = due_or_soon.filter(due_on__lt=today).count()
    return Panel(
        title=_("Deadlines due or overdue"),
        template="cases/panels/deadlines.html",
        context={"tasks": due, "overdue": overdue, "today": today},
        kind="alert" if overdue else "work",
        order=22,
    )
