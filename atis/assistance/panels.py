"""The assistance panel of the personal dashboard: free shelter places, for those who book them."""

from __future__ import annotations

from django.db.models import Sum
from django.http import HttpRequest
from django.utils.translation import gettext as _

from atis.assistance.selectors import shelters_with_free_places
from atis.core.dashboard import Panel, register_panel


@register_panel
def shelter_places(request: HttpRequest) -> Panel | None:
    if not request.user.has_perm("assistance.manage_shelter_places"):
        return None
    free = shelters_with_free_places(request.user, only_free=True)
    return Panel(
        title=_("Free shelter places"),
        template="assistance/panels/shelter_places.html",
        context={"shelters": free.count(), "places": free.aggregate(total=Sum("free_places"))["total"] or 0},
        order=40,
    )
