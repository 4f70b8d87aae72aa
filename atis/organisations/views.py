from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from atis.geo.models import County
from atis.lib.access import requires
from atis.lib.forms import add_service_errors
from atis.lib.scope import get_in_scope_or_404
from atis.organisations import selectors, services
from atis.organisations.changes import recounts_pending
from atis.organisations.forms import CoverageForm, OrganisationForm
from atis.organisations.models import Organisation, OrganisationKind

VIEW = "organisations.view_organisation"
MANAGE = "organisations.manage_organisations"


@requires(VIEW)
def organisation_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    county = request.GET.get("county", "")
    organisations = selectors.organisations_search(
        selectors.organisations_visible_to(request.user),
        search=search,
        kind=kind if kind in OrganisationKind.values else "",
        county_id=int(county) if county.isdigit() else None,
    )
    page = Paginator(organisations, 25).get_page(request.GET.get("page"))
    template = "organisations/_rows.html" if request.htmx else "organisations/list.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "page": page,
            "search": search,
            "kind": kind,
            "county": county,
            "kinds": OrganisationKind.choices,
            "counties": County.objects.all(),
        },
    )


@requires(VIEW)
def organisation_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    organisation = get_in_scope_or_404(selectors.organisations_visible_to(request.user), public_id=public_id)
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "covered": organisation.covered_counties.select_related("county"),
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


@requires(MANAGE)
def organisation_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@requires(MANAGE)
def organisation_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    organisation = get_in_scope_or_404(selectors.organisations_visible_to(request.user), public_id=public_id)
    return _edit(request, organisation)


def _edit(request: HttpRequest, organisation: Organisation | None) -> HttpResponse:
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.organisation_save(
                actor=request.user,
                organisation=organisation,
                **form.cleaned_data,  # type: ignore[arg-type]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect("organisations:detail", public_id=saved.public_id)
    return render(request, "organisations/form.html", {"form": form, "organisation": organisation})


@requires(MANAGE)
def coverage_edit(request: HttpRequest) -> HttpResponse:
    table = selectors.centre_coverage_table()
    form = CoverageForm(request.POST or None, counties=table)
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.centre_coverage_set(actor=request.user, assignments=form.assignments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("County coverage saved: %(count)d counties changed.") % {"count": moved})
            return redirect("organisations:coverage")
    # Asked of the apps that follow coverage changes (statistics), without importing them.
    context = {"form": form, "recounts": [recount for answer in recounts_pending() for recount in answer]}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "organisations/_recounts.html", context)
    return render(request, "organisations/coverage.html", context)
