"""Refusals on a record are audited: which record was tried, by whom, and why it was refused.

A policy (`atis.<domain>.permissions`) or `get_in_scope_or_404` raises `OutOfScope` (404) or
`Refused` (403) carrying the reference tried. The user sees the plain error page, which names
nothing; the audit entry is written here, after the view's transaction has been rolled back,
so the refusal is kept even though the change was not.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from atis.audit.models import Outcome
from atis.audit.services import audit_record
from atis.lib.scope import OutOfScope, Refused


class RefusalAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, OutOfScope):
            status = 404
        elif isinstance(exception, Refused):
            status = 403
        else:
            return None
        audit_record(
            action="access.denied",
            object_type=exception.object_type,
            object_ref=exception.object_ref,
            object_label=exception.object_label,
            outcome=Outcome.DENIED,
            details={
                "reason": exception.reason,
                "status": status,
                "method": request.method,
                "view": request.resolver_match.view_name if request.resolver_match else "",
            },
        )
        return None
