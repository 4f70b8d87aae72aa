"""The agency registry: look-up (operators, case managers, coordination) and import
(coordination), with the import's progress and row-by-row report.

Views parse input, call one service or selector and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from atis.agencies import importing, selectors, services
from atis.agencies.forms import AgencySearchForm, ImportForm
from atis.agencies.tasks import run_import
from atis.lib.access import requires
from atis.lib.forms import add_service_errors

VIEW = selectors.VIEW
IMPORT = services.IMPORT
PAGE_SIZE = 25


@requires(VIEW)
def agency_list(request: HttpRequest) -> HttpResponse:
    form = AgencySearchForm(request.GET or None)
    query, status, county_id = "", "", None
    if form.is_valid():
        query, status = form.cleaned_data["q"], form.cleaned_data["status"]
        county = form.cleaned_data["county"]
        county_id = county.pk if county else None
    agencies = selectors.agencies_list(request.user, query=query, status=status, county_id=county_id)
    page = Paginator(agencies, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": urlencode([(key, str(value)) for key, value in request.GET.items() if key != "page" and value]),
        "searched": bool(query.strip()),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "agencies/_results.html", context)
    return render(request, "agencies/list.html", context)


@requires(VIEW)
def agency_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    agency = selectors.agency_for(request.user, public_id)
    return render(request, "agencies/detail.html", {"agency": agency})


@requires(IMPORT)
def import_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > importing.MAX_BYTES:
            form.add_error(
                "file",
                str(importing.MESSAGES["file_too_large"])
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(importing.MAX_BYTES)},
            )
        else:
            try:
                job = services.agency_import_create(
                    actor=request.user, file_name=upload.name, content=upload.read(), mode=form.cleaned_data["mode"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # After commit: a worker must find the upload in the database.
                transaction.on_commit(lambda: run_import.delay(job.pk))
                messages.info(request, _("The file was received; the import is running."))
                return redirect("agencies:import_detail", public_id=job.public_id)
    recent = selectors.imports_visible_to(request.user)[:10]
    return render(request, "agencies/import.html", {"form": form, "recent": recent})


@requires(IMPORT)
def import_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    job = selectors.import_for(request.user, public_id)
    errors = [
        {
            "row": error.get("row") or "—",
            "column": importing.column_label(error.get("column", "")),
            "message": importing.error_message(error),
        }
        for error in job.errors
    ]
    context = {
        "job": job,
        "errors": errors,
        "more_errors": job.error_count > 0 and len(job.errors) >= services.MAX_STORED_ERRORS,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "agencies/_import_status.html", context)
    return render(request, "agencies/import_detail.html", context)


@requires(IMPORT)
def import_sample(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(importing.sample_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="agencies-sample.csv"'
    return response
