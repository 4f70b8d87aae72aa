"""Anti-automation: every export shares one budget per user (security.md), via django-ratelimit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_ratelimit.decorators import ratelimit


def _export_rate(group: str, request: Any) -> str:
    return str(settings.ATIS_EXPORT_RATE)


export_rate_limited = ratelimit(group="atis-exports", key="user", rate=_export_rate, block=True)
