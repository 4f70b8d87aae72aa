"""Error pages that reveal nothing: no path echo, no detail, just what to do next."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def _page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    return HttpResponse(render_to_string(template, request=request), status=status)


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, "403.html", 403)


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponse(render_to_string("500.html"), status=500)


def too_many_requests(request: HttpRequest, exception: Any = None) -> HttpResponse:
    from atis.audit.services import audit_record

    audit_record(action="export.rate_limited", object_type="url", object_ref=request.path[:200], outcome="denied")
    return _page(request, "429.html", 429)
