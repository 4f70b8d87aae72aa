"""Who is acting, from where, under which request id: read by the audit log.

Set by RequestContextMiddleware for web requests; commands and tasks set it with
`acting_as()` so their audit entries say who ran them.
"""

from __future__ import annotations

import contextlib
import contextvars
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None = None
    user: Any = None
    channel: str = "web"


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("atis_request_context", default=None)


def current() -> RequestContext:
    context = _current.get()
    if context is None:
        return RequestContext(request_id=uuid.uuid4().hex, channel="system")
    return context


def set_context(context: RequestContext) -> contextvars.Token[RequestContext | None]:
    return _current.set(context)


def reset_context(token: contextvars.Token[RequestContext | None]) -> None:
    _current.reset(token)


def set_user(user: Any) -> None:
    """Record the authenticated user once the authentication middleware has run."""
    context = _current.get()
    if context is not None:
        _current.set(replace(context, user=user))


@contextlib.contextmanager
def acting_as(user: Any, *, channel: str = "command") -> Iterator[RequestContext]:
    context = RequestContext(request_id=uuid.uuid4().hex, user=user, channel=channel)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)
