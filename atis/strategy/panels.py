"""Dashboard reminders: strategy reports due and overdue, and reports awaiting review."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from atis.core.dashboard import Panel, register_panel
from atis.strategy import selectors


@register_panel
def strategy_reports(request: HttpRequest) -> Panel | None:
    user = request.user
    if not user.has_perm(selectors.VIEW):
        return None
    reminders = selectors.reminders_for(user)
    awaiting = selectors.awaiting_review(user).count()
    if not reminders and not awaiting:
        return None
    overdue = [reminder for reminder in reminders if reminder.overdue]
    return Panel(
        title=_("Strategy reports"),
        template="strategy/panels/reports.html",
        context={
            "due": len(reminders) - len(overdue),
            "overdue": len(overdue),
            "awaiting": awaiting,
            "rounds": sorted({reminder.round for reminder in reminders}, key=lambda r: r.due_on),
        },
        kind="alert" if overdue else "work",
        order=50,
    )
