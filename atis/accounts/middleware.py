from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

SIGNED_IN_AT = "atis_signed_in_at"


class SessionLifetimeMiddleware:
    """Ends a session 12 hours after sign-in, however active it was (the idle limit is the
    session cookie's own age, renewed on every request)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            now = time.time()
            if signed_in_at is None:
                request.session[SIGNED_IN_AT] = now
            elif now - float(signed_in_at) > settings.ATIS_SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended after 12 hours. Please sign in again."))
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)
