"""The screening panel of the personal dashboard: the job-offer check, call-backs waiting and
the indicator catalogue, for those allowed to use them (atis has no menu entry of its own for
them yet)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from atis.core.dashboard import Panel, register_panel
from atis.screening.selectors import callbacks_waiting


@register_panel
def job_offers(request: HttpRequest) -> Panel | None:
    user = request.user
    if not (user.has_perm("screening.check_job_offer") or user.has_perm("screening.manage_indicators")):
        return None
    return Panel(
        title=_("Job offers and indicators"),
        template="screening/panels/job_offers.html",
        context={
            "can_check": user.has_perm("screening.check_job_offer"),
            "can_edit": user.has_perm("screening.manage_indicators"),
            "callbacks": callbacks_waiting(user).count() if user.has_perm("screening.handle_callbacks") else None,
        },
        order=60,
    )
