"""Every view declares who may reach it; a view that declares nothing is refused.

The declaration travels on the view function (``view.atis_access``) so AccessMiddleware
can enforce it before the view runs, and the URL-conf test can list views that lack one.
Rules, from most to least open:

- ``public``: anyone, signed in or not (portal, login page, health check).
- ``password_only``: signed in with a password, second factor not yet given (the
  second-factor pages and logout). Nothing protected may be declared so.
- ``staff``: signed in with both factors, any role.
- ``requires("app.perm", ...)``: both factors and every named permission.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.template.loader import render_to_string
from rest_framework.permissions import BasePermission

from atis.lib import request_context
from atis.lib.hooks import Hook

logger = logging.getLogger(__name__)

V = TypeVar("V", bound=Callable[..., Any])


@dataclass(frozen=True)
class AccessRule:
    level: str  # "public" | "password_only" | "staff" | "permissions"
    permissions: tuple[str, ...] = ()


def _declare(rule: AccessRule) -> Callable[[V], V]:
    def decorate(view: V) -> V:
        view.atis_access = rule  # type: ignore[attr-defined]
        return view

    return decorate


public = _declare(AccessRule("public"))
password_only = _declare(AccessRule("password_only"))
staff = _declare(AccessRule("staff"))


def requires(*permissions: str) -> Callable[[V], V]:
    if not permissions:
        raise ValueError("requires() needs at least one permission; use staff for any role.")
    return _declare(AccessRule("permissions", tuple(permissions)))


def rule_of(view: Callable[..., Any]) -> AccessRule | None:
    rule = getattr(view, "atis_access", None)
    if rule is None:
        # DRF and class-based views: the declaration may sit on the class.
        view_class = getattr(view, "cls", None) or getattr(view, "view_class", None)
        rule = getattr(view_class, "atis_access", None)
    return rule


def is_verified(user: Any) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_verified", lambda: False)())


# Every refusal of a view is audited: the audit app registers its recorder here (its
# AppConfig.ready), so this helper module imports no app (atis.lib.hooks).
access_denied: Hook[[HttpRequest, str], object] = Hook("lib.access_denied")


def _record_denial(request: HttpRequest, reason: str) -> None:
    access_denied(request, reason)


class AccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if hasattr(request, "user"):
            request_context.set_user(request.user)
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        rule = rule_of(view)
        if rule is None:
            logger.error("View %s declares no access rule; refused.", getattr(view, "__name__", view))
            raise Http404
        if rule.level == "public":
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if rule.level == "password_only":
            return None
        if not is_verified(user):
            return redirect("accounts:otp_verify")
        if rule.level == "staff":
            return None
        if not user.has_perms(rule.permissions):
            _record_denial(request, "missing permission")
            return HttpResponseForbidden(render_to_string("403.html", request=request))
        return None


class VerifiedStaffOnly(BasePermission):
    """API default: both factors given; views narrow it with their own declaration."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return is_verified(request.user)
