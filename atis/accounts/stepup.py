"""Second factor asked again before sensitive actions (exports): ASVS L3 step-up."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse

STEP_UP_AT = "atis_step_up_at"
STEP_UP_SECONDS = 5 * 60

V = TypeVar("V", bound=Callable[..., HttpResponseBase])


def step_up_required(view: V) -> V:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        given_at = request.session.get(STEP_UP_AT)
        if given_at is None or time.time() - float(given_at) > STEP_UP_SECONDS:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:step_up')}?{query}")
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
