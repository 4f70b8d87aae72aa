"""Templates ask the domain's policy (atis.lib.policy), never `perms.` or a flag worked out in the view.

{% policy_may "campaigns" "create" as may_create %}
{% policy_can "cooperation" "manage" agreement as may_manage %}
"""

from __future__ import annotations

from typing import Any

from django import template

from atis.lib.policy import REGISTRY

register = template.Library()


def _user(context: Any) -> Any:
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.simple_tag(takes_context=True)
def policy_may(context: Any, domain: str, action: str) -> bool:
    return REGISTRY[domain].may(_user(context), action)


@register.simple_tag(takes_context=True)
def policy_can(context: Any, domain: str, action: str, obj: Any) -> bool:
    return REGISTRY[domain].can(_user(context), action, obj)
