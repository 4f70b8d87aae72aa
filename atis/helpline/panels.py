"""The HelpLine panel of the personal dashboard: follow-ups due for the operator."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from atis.core.dashboard import Panel, register_panel
from atis.helpline.selectors import LOG, follow_ups_due

SHOWN = 8


@register_panel
def helpline_follow_ups(request: HttpRequest) -> Panel | None:
    if not request.user.has_perm(LOG):
        return None
    due = follow_ups_due(request.user)
    shown = list(due[: SHOWN + 1])
    return Panel(
        title=_("HelpLine follow-ups due"),
        template="helpline/panels/follow_ups.html",
        context={"follow_ups": shown[:SHOWN], "more": len(shown) > SHOWN, "now": timezone.now()},
        order=20,
    )
