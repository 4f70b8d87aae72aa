from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from atis.accounts.stepup import step_up_required
from atis.audit.forms import AuditFilterForm
from atis.audit.models import AuditEntry
from atis.audit.selectors import audit_entries
from atis.audit.services import audit_record
from atis.lib.access import requires
from atis.lib.exports import csv_response
from atis.lib.ratelimits import export_rate_limited

EXPORT_COLUMNS = [
    "sequence",
    "at",
    "actor_label",
    "role",
    "organisation_label",
    "action",
    "object_type",
    "object_ref",
    "object_label",
    "ip",
    "request_id",
    "channel",
    "outcome",
]


def _filtered(request: HttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, audit_entries(**{key: value for key, value in filters.items() if value})


@requires("audit.view_auditentry")
def audit_list(request: HttpRequest) -> HttpResponse:
    form, entries = _filtered(request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/list.html", {"form": form, "page": page, "query": query.urlencode()})


@requires("audit.view_auditentry", "audit.export_auditentry")
@step_up_required
@export_rate_limited
def audit_export(request: HttpRequest) -> HttpResponseBase:
    _form, entries = _filtered(request)
    audit_record(action="audit.export", object_type="audit.auditentry", details={"filters": request.GET.urlencode()})
    rows = ([getattr(entry, column) for column in EXPORT_COLUMNS] for entry in entries.iterator())
    return csv_response("atis-audit.csv", EXPORT_COLUMNS, rows)
