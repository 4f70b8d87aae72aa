"""Second factor asked again before sensitive actions (exports): ASVS L3 step-up.

Identity reads and exports also share a budget per user (ATIS_READ_BUDGET in
ATIS_READ_BUDGET_SECONDS, in the cache like the other rate limits): past it the code is
asked again, whatever the last step-up, and the auditors get an entry of its own kind
(`read_budget.exceeded`) until a notification centre can warn them. Giving the code renews
the budget, so a person at work is slowed once, while a script without the code stops.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse

from atis.audit.models import Outcome
from atis.audit.services import audit_record

STEP_UP_AT = "atis_step_up_at"
STEP_UP_SECONDS = 5 * 60

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def _budget_key(user_pk: Any) -> str:
    return f"atis:read-budget:{user_pk}"


def read_budget_spend(request: HttpRequest) -> bool:
    """Count one identity read or export of the signed-in user; False once past the budget."""
    limit = int(getattr(settings, "ATIS_READ_BUDGET", 60))
    window = int(getattr(settings, "ATIS_READ_BUDGET_SECONDS", 600))
    key = _budget_key(request.user.pk)
    # A fixed window from the first read: add() starts it, incr() keeps its expiry.
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between the two calls
        cache.set(key, 1, timeout=window)
        count = 1
    if count == limit + 1:
        audit_record(
            action="read_budget.exceeded",
            obj=request.user,  # type: ignore[arg-type]
            outcome=Outcome.DENIED,
            details={"limit": limit, "seconds": window, "path": request.path[:200]},
        )
    return count <= limit


def read_budget_renew(user: Any) -> None:
    """The second factor given again opens a new budget."""
    cache.delete(_budget_key(user.pk))


def _ask_for_the_code(request: HttpRequest) -> HttpResponseBase:
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('accounts:step_up')}?{query}")


def step_up_required(view: V) -> V:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        given_at = request.session.get(STEP_UP_AT)
        if given_at is None or time.time() - float(given_at) > STEP_UP_SECONDS:
            return _ask_for_the_code(request)
        # Exports spend the identity-read budget too.
        if not read_budget_spend(request):
            return _ask_for_the_code(request)
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def read_budget_required(view: V) -> V:
    """For a page that shows a person's identity: it spends the user's read budget."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not read_budget_spend(request):
            return _ask_for_the_code(request)
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
