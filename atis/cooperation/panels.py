"""Dashboard panels: agreements about to expire, and overdue county-team decisions for their owners."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from atis.cooperation import selectors
from atis.core.dashboard import Panel, register_panel


@register_panel
def agreements_expiring(request: HttpRequest) -> Panel | None:
    if not request.user.has_perm(selectors.READ_AGREEMENTS):
        return None
    expiring = list(selectors.agreements_expiring(request.user)[:10])
    if not expiring:
        return None
    return Panel(
        title=_("Agreements expiring soon"),
        template="cooperation/panels/expiring.html",
        context={"agreements": expiring, "days": selectors.EXPIRY_ALERT_DAYS},
        kind="alert",
        order=50,
    )


@register_panel
def decisions_overdue(request: HttpRequest) -> Panel | None:
    if not request.user.has_perm(selectors.READ_TEAMS):
        return None
    overdue = list(selectors.decisions_overdue_for_owner(request.user)[:10])
    if not overdue:
        return None
    return Panel(
        title=_("Overdue county team decisions"),
        template="cooperation/panels/decisions.html",
        context={"decisions": overdue},
        kind="alert",
        order=55,
    )
