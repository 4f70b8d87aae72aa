"""Templates ask the case policy, never `perms.`: `{% if user|may_case:"notify" %}`."""

from __future__ import annotations

from typing import Any

from django import template

from atis.cases.permissions import cases

register = template.Library()


@register.filter
def may_case(user: Any, action: str) -> bool:
    """The role allows this act on a case somewhere (for one case, use the page's `allowed`)."""
    return cases.may(user, action)
