"""The client's address, the same for the audit log, the lockout (axes) and every rate limit.

Behind reverse proxies REMOTE_ADDR is the nearest proxy's address. Each proxy appends the
address it received the request from to X-Forwarded-For, so with `ATIS_PROXY_COUNT` proxies
the client is the entry that many places from the right. Entries further left were written
by the client itself and are never trusted: a client prepending fake addresses does not
change its own. A header shorter than the chain of proxies means the request did not come
through them all (or a proxy was left out of the count): the connection's address is kept.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: Any) -> str:
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = int(getattr(settings, "ATIS_PROXY_COUNT", 0))
    if proxies <= 0:
        return remote
    forwarded = [part for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    return _address(forwarded[-proxies]) or remote
