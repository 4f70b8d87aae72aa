"""The campaigns panel of the personal dashboard: running campaigns and drafts awaiting approval."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from atis.campaigns.models import CampaignStatus
from atis.campaigns.selectors import campaigns_visible_to
from atis.core.dashboard import Panel, register_panel


@register_panel
def campaigns(request: HttpRequest) -> Panel | None:
    if not request.user.has_perm("campaigns.view_campaign"):
        return None
    visible = campaigns_visible_to(request.user)
    return Panel(
        title=_("Prevention campaigns"),
        template="campaigns/panels/campaigns.html",
        context={
            "running": visible.filter(status=CampaignStatus.RUNNING).count(),
            "drafts": visible.filter(status=CampaignStatus.DRAFT).count(),
            "can_approve": request.user.has_perm("campaigns.approve_campaign"),
        },
        order=60,
    )
