"""HelpLine screens: the intake, the log, a contact with its escalations, the figures.

Views parse input, call one service and render. A refused write shows the form again with
the service's message beside the field it concerns; nothing is saved.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from openpyxl import Workbook

from atis.accounts.stepup import step_up_required
from atis.audit.services import audit_read, audit_record
from atis.codelists.models import CodeList
from atis.helpline import figures as stats
from atis.helpline import selectors, services
from atis.helpline.countries import country_name
from atis.helpline.forms import (
    CallerCheckForm,
    EscalateCaseForm,
    FollowUpForm,
    IntakeForm,
    JobOfferForm,
    NotifyForm,
    StatisticsFilterForm,
)
from atis.helpline.models import Contact, EscalationKind
from atis.helpline.permissions import contacts as policy
from atis.lib import charts
from atis.lib.access import requires
from atis.lib.exports import csv_response, safe_cell
from atis.lib.forms import add_service_errors, run_service
from atis.lib.ratelimits import export_rate_limited

VIEW = selectors.VIEW
LOG = selectors.LOG
STATISTICS = selectors.STATISTICS
PAGE_SIZE = 50
SUGGESTIONS_LIMIT = 5
AGENCIES_LIMIT = 10


def _intake_initial(request: HttpRequest) -> dict[str, Any]:
    return {
        "started_at": timezone.localtime().replace(second=0, microsecond=0),
        "channel": selectors.code_by(CodeList.HELPLINE_CHANNEL, "phone"),
        "contact_type": selectors.code_by(CodeList.HELPLINE_CONTACT_TYPE, "information"),
        "caller_role": selectors.code_by(CodeList.HELPLINE_CALLER_ROLE, "anonymous"),
    }


@requires(LOG)
def intake(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = IntakeForm(request.POST)
        if form.is_valid():
            try:
                contact = services.contact_log(actor=request.user, **form.service_arguments())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Contact %(reference)s saved.") % {"reference": contact.reference})
                if "save_open" in request.POST:
                    return redirect("helpline:detail", public_id=contact.public_id)
                return redirect("helpline:intake")
    else:
        form = IntakeForm(initial=_intake_initial(request))
    return render(
        request,
        "helpline/intake.html",
        {"form": form, "job_offer_form": JobOfferForm(), "recent": selectors.contact_list(request.user)[:5]},
        status=400 if form.is_bound else 200,
    )


@requires(VIEW)
@require_GET
def contact_list(request: HttpRequest) -> HttpResponse:
    escalated = {"yes": True, "no": False}.get(request.GET.get("escalated", ""))
    emergency = request.GET.get("emergency") == "1"
    contacts = selectors.contact_list(request.user, escalated=escalated, emergency=emergency).prefetch_related("topics")
    page = Paginator(contacts, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(
        action="helpline.contact.list",
        object_type="helpline.contact",
        details={"page": page.number, "references": [contact.reference for contact in page]},
    )
    return render(
        request,
        "helpline/list.html",
        {
            "page": page,
            "escalated": request.GET.get("escalated", ""),
            "emergency": emergency,
        },
    )


def _render_detail(request: HttpRequest, contact: Contact, bound: dict[str, Any] | None = None) -> HttpResponse:
    bound = bound or {}
    audit_read(contact)
    # What the page offers is what the policy lets this user do to this contact.
    can_log = policy.can(request.user, "log", contact)
    county_initial = {"county": contact.county}
    context: dict[str, Any] = {
        "contact": contact,
        "country": country_name(contact.destination_country) if contact.destination_country else "",
        "topics": list(contact.topics.all()),
        "escalations": list(contact.escalations.select_related("case", "authority", "centre", "created_by")),
        "follow_ups": list(contact.follow_ups.select_related("assignee", "done_by")),
        "job_offer_checks": list(contact.job_offer_checks.select_related("checked_by")),
        "earlier": list(selectors.earlier_contacts(request.user, lookup=contact.caller_lookup, before=contact)[:10]),
        "escalatable": contact.contact_type.code not in services.NOT_ESCALATABLE,
        "has_case": contact.escalations.filter(kind=EscalationKind.CASE).exists(),
    }
    if can_log:
        context["case_form"] = bound.get("case") or EscalateCaseForm(
            prefix="case", initial={**county_initial, "consent_given_on": timezone.localdate()}
        )
        context["notify_form"] = bound.get("notify") or NotifyForm(prefix="notify", initial=county_initial)
        context["follow_up_form"] = bound.get("follow_up") or FollowUpForm(prefix="follow_up")
    return render(request, "helpline/detail.html", context, status=400 if bound else 200)


@requires(VIEW)
@require_GET
def contact_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _render_detail(request, selectors.contact_for(request.user, public_id))


def _submit(request: HttpRequest, contact: Contact, key: str, form: Any, action: Any, done: str) -> HttpResponse:
    if run_service(form, action):
        messages.success(request, done)
        return redirect("helpline:detail", public_id=contact.public_id)
    return _render_detail(request, contact, {key: form})


@requires(LOG)
@require_POST
def escalate_case(request: HttpRequest, public_id: Any) -> HttpResponse:
    contact = selectors.contact_for(request.user, public_id)
    return _submit(
        request,
        contact,
        "case",
        EscalateCaseForm(request.POST, prefix="case"),
        lambda data: services.contact_escalate_to_case(actor=request.user, contact=contact, **data),
        _("The presumed victim was notified to the regional centre as a case."),
    )


@requires(LOG)
@require_POST
def notify_authorities(request: HttpRequest, public_id: Any) -> HttpResponse:
    contact = selectors.contact_for(request.user, public_id)
    return _submit(
        request,
        contact,
        "notify",
        NotifyForm(request.POST, prefix="notify"),
        lambda data: services.contact_notify_authorities(actor=request.user, contact=contact, **data),
        _("The notification was recorded. A follow-up reminds you to confirm it was received."),
    )


@requires(LOG)
@require_POST
def follow_up_add(request: HttpRequest, public_id: Any) -> HttpResponse:
    contact = selectors.contact_for(request.user, public_id)
    return _submit(
        request,
        contact,
        "follow_up",
        FollowUpForm(request.POST, prefix="follow_up"),
        lambda data: services.follow_up_add(actor=request.user, contact=contact, **data),
        _("Follow-up added."),
    )


@requires(LOG)
@require_POST
def follow_up_done(request: HttpRequest, public_id: Any) -> HttpResponse:
    follow_up = selectors.follow_up_for(request.user, public_id)
    try:
        services.follow_up_complete(actor=request.user, follow_up=follow_up)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Follow-up marked as done."))
    return redirect("helpline:detail", public_id=follow_up.contact.public_id)


# --- Panels of the intake screen (htmx fragments) ---------------------------------------


@requires(LOG)
@require_POST
def caller_check(request: HttpRequest) -> HttpResponse:
    """How many earlier contacts came from this number (POST: the number never enters a URL)."""
    form = CallerCheckForm(request.POST)
    number = form.data.get("caller_number", "").strip() if form.is_valid() else ""
    earlier: list[Contact] = []
    if len("".join(ch for ch in number if ch.isdigit())) >= services.MIN_NUMBER_DIGITS:
        earlier = list(selectors.earlier_contacts(request.user, lookup=selectors.caller_hash(number))[:5])
        audit_record(action="helpline.caller.lookup", object_type="helpline.contact", details={"matches": len(earlier)})
    return render(request, "helpline/_caller_check.html", {"earlier": earlier, "checked": bool(number)})


@requires(LOG)
@require_POST
def job_offer_check(request: HttpRequest) -> HttpResponse:
    """Check an offer's text; the result goes into the intake form, the text goes nowhere."""
    form = JobOfferForm(request.POST)
    assess = selectors.optional_function("atis.screening.job_offers", "assess_job_offer")
    assessment = None
    if assess is not None and form.is_valid():
        assessment = assess(form.cleaned_data["offer_text"])
    return render(
        request,
        "helpline/_job_offer_result.html",
        {
            "form": form,
            "available": assess is not None,
            "assessment": assessment,
            "sign_codes": ",".join(sign.code for sign in assessment.signs) if assessment else "",
        },
    )


@requires(LOG)
@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    """Knowledge-base articles for the contact's topics and country, if atis.knowledge offers them."""
    suggest = selectors.optional_function("atis.knowledge.selectors", "articles_suggested_for")
    articles: list[Any] = []
    if suggest is not None:
        topics = [code for code in request.GET.getlist("topics") if code.isidentifier()][:10]
        country = request.GET.get("destination_country", "").upper()[:2] or None
        articles = list(suggest(request.user, topic_codes=topics, country_code=country, limit=SUGGESTIONS_LIMIT))
    return render(request, "helpline/_suggestions.html", {"articles": articles, "available": suggest is not None})


@requires(LOG)
@require_GET
def agencies(request: HttpRequest) -> HttpResponse:
    """Recruitment agencies by name or licence, if atis.agencies offers the search."""
    search = selectors.optional_function("atis.agencies.selectors", "agencies_search")
    query = request.GET.get("agency_query", "").strip()[:100]
    found: list[Any] = []
    if search is not None and len(query) >= 2:
        found = list(search(request.user, query, limit=AGENCIES_LIMIT))
    return render(
        request, "helpline/_agencies.html", {"agencies": found, "available": search is not None, "query": query}
    )


# --- Statistics ---------------------------------------------------------------------------


def _figures(request: HttpRequest) -> tuple[StatisticsFilterForm, stats.HelplineFigures]:
    default_from, default_to = stats.default_period()
    form = StatisticsFilterForm(request.GET or None)
    date_from, date_to = default_from, default_to
    if form.is_bound and form.is_valid():
        date_from = form.cleaned_data.get("date_from") or default_from
        date_to = form.cleaned_data.get("date_to") or default_to
    figures = stats.helpline_figures(request.user, date_from=date_from, date_to=date_to)
    return form, figures


@requires(STATISTICS)
@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    form, figures = _figures(request)
    chart_specs = {
        f"chart-{table.key}": charts.bar_chart(
            table.title,
            [label for label, _count in table.shown],
            [count for _label, count in table.shown],
            horizontal=True,
        )
        for table in figures.tables
    }
    chart_specs["chart-month"] = charts.line_chart(
        _("Contacts by month"),
        [month for month, _count in figures.months],
        # A hidden month is a gap in the line, never its figure.
        [count if isinstance(count, int) else None for _month, count in figures.months],
    )
    return render(
        request,
        "helpline/statistics.html",
        {"form": form, "figures": figures, "charts": chart_specs},
    )


@requires(STATISTICS)
@step_up_required
@export_rate_limited
def statistics_export(request: HttpRequest) -> HttpResponseBase:
    _form, figures = _figures(request)
    rows = stats.export_rows(figures)
    header = [_("Table"), _("Category"), _("Contacts")]
    # The format actually sent: the same test decides the answer below and the audit entry.
    sent = "csv" if request.GET.get("format") == "csv" else "xlsx"
    audit_record(
        action="helpline.statistics.export",
        object_type="helpline.statistics",
        details={"from": figures.date_from.isoformat(), "to": figures.date_to.isoformat(), "format": sent},
    )
    name = f"helpline-{figures.date_from:%Y%m%d}-{figures.date_to:%Y%m%d}"
    if sent == "csv":
        return csv_response(f"{name}.csv", header, rows)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "HelpLine"
    sheet.append([safe_cell(cell) for cell in header])
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
