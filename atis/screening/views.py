"""Screening of a case with the indicator lists, the catalogue editor and the job-offer check.

Views parse input, call one service and render. Every read of a case's screenings is audited;
the public job-offer check stores nothing unless the person asks to be called back.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from atis.audit.services import audit_read
from atis.lib.access import public, requires
from atis.lib.forms import add_service_errors
from atis.lib.scope import get_in_scope_or_404
from atis.screening import job_offers, selectors, services
from atis.screening.forms import (
    IndicatorCreateForm,
    IndicatorForm,
    JobOfferForm,
    PrefillForm,
    PublicJobOfferForm,
    QuestionnaireForm,
    StartForm,
)
from atis.screening.models import Indicator
from atis.screening.rules import IndicatorList

RUN = services.RUN
MANAGE = services.MANAGE_INDICATORS
CHECK = "screening.check_job_offer"
CALLBACKS = services.HANDLE_CALLBACKS


# --- Screening a case -------------------------------------------------------------------------


@requires(RUN)
def case_screenings(request: HttpRequest, public_id: str) -> HttpResponse:
    case = selectors.screening_case_for(request.user, public_id)
    audit_read(case, section="screening")
    return render(
        request,
        "screening/case.html",
        {"case": case, "screenings": selectors.screenings_of(case), "start_form": StartForm()},
    )


@requires(RUN)
def screening_new(request: HttpRequest, public_id: str) -> HttpResponse:
    case = selectors.screening_case_for(request.user, public_id)
    indicator_list = request.GET.get("list") or request.POST.get("list") or ""
    if indicator_list not in IndicatorList.values:
        raise Http404
    indicators = selectors.active_indicators(indicator_list)
    form = QuestionnaireForm(request.POST or None, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        answers = [
            services.AnswerInput(
                indicator=indicator,
                answer=form.cleaned_data[f"answer_{indicator.pk}"],
                note=form.cleaned_data[f"note_{indicator.pk}"],
            )
            for indicator in form.indicators
        ]
        try:
            screening = services.screening_record(
                actor=request.user,
                case=case,
                indicator_list=indicator_list,
                answers=answers,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The screening was saved with the case."))
            return redirect("screening:detail", public_id=screening.public_id)
    audit_read(case, section="screening")
    return render(
        request,
        "screening/questionnaire.html",
        {
            "case": case,
            "form": form,
            "indicator_list": indicator_list,
            "list_label": IndicatorList(indicator_list).label,
        },
    )


def _detail_context(request: HttpRequest, screening: Any, prefill_form: PrefillForm | None = None) -> dict[str, Any]:
    report = selectors.screening_report(screening)
    proposals = services.screening_proposals(screening)
    can_prefill = request.user.has_perm("cases.edit_case") and any(proposals.values())
    others = selectors.screenings_of(screening.case).exclude(pk=screening.pk)
    return {
        "case": screening.case,
        "screening": screening,
        "report": report,
        "list_label": IndicatorList(screening.list).label,
        "can_prefill": can_prefill,
        "prefill_form": prefill_form or (PrefillForm(proposals=proposals) if can_prefill else None),
        "others": others,
    }


@requires(RUN)
def screening_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    screening = selectors.screening_for(request.user, public_id)
    audit_read(screening.case, section="screening")
    return render(request, "screening/detail.html", _detail_context(request, screening))


@requires(RUN, "cases.edit_case")
@require_POST
def screening_prefill(request: HttpRequest, public_id: str) -> HttpResponse:
    screening = selectors.screening_for(request.user, public_id)
    form = PrefillForm(request.POST, proposals=services.screening_proposals(screening))
    if form.is_valid():
        try:
            services.screening_prefill_case(
                actor=request.user,
                screening=screening,
                control_methods=form.cleaned_data["control_methods"],
                exploitation_forms=form.cleaned_data["exploitation_forms"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except services.case_services.ConflictError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The chosen values were added to the case."))
            return redirect("screening:detail", public_id=screening.public_id)
    audit_read(screening.case, section="screening")
    return render(request, "screening/detail.html", _detail_context(request, screening, form))


@requires(RUN)
def screening_compare(request: HttpRequest, public_id: str, other_id: str) -> HttpResponse:
    first = selectors.screening_for(request.user, public_id)
    second = selectors.screening_for(request.user, other_id)
    comparison = selectors.screenings_compare(first, second)
    audit_read(first.case, section="screening")
    return render(request, "screening/compare.html", {"case": first.case, "comparison": comparison})


# --- The indicator catalogue ------------------------------------------------------------------


@requires(MANAGE)
def indicator_list(request: HttpRequest) -> HttpResponse:
    selected = request.GET.get("list", IndicatorList.ADULT_LABOUR)
    if selected not in IndicatorList.values:
        selected = IndicatorList.ADULT_LABOUR
    return render(
        request,
        "screening/indicators.html",
        {"lists": IndicatorList.choices, "selected": selected, "indicators": selectors.indicators_of(selected)},
    )


@requires(MANAGE)
def indicator_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    indicator = get_in_scope_or_404(Indicator.objects.all(), public_id=public_id)
    # Bound to a copy: the service reads the stored values for the history's "before".
    form = IndicatorForm(request.POST or None, instance=Indicator.objects.get(pk=indicator.pk))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
        try:
            services.indicator_update(
                actor=request.user, indicator=indicator, data=data, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The indicator was saved; the change is in its history."))
            return redirect(f"{reverse('screening:indicators')}?list={indicator.list}")
    return render(request, "screening/indicator_form.html", {"form": form, "indicator": indicator})


@requires(MANAGE)
def indicator_create(request: HttpRequest) -> HttpResponse:
    form = IndicatorCreateForm(request.POST or None, initial={"list": request.GET.get("list")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["indicator_list"] = data.pop("list")
        try:
            indicator = services.indicator_create(actor=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The indicator was added."))
            return redirect(f"{reverse('screening:indicators')}?list={indicator.list}")
    return render(request, "screening/indicator_form.html", {"form": form, "indicator": None})


@requires(MANAGE)
def indicator_history(request: HttpRequest) -> HttpResponse:
    indicator = None
    if request.GET.get("indicator"):
        indicator = get_in_scope_or_404(Indicator.objects.all(), public_id=request.GET["indicator"])
    page = Paginator(selectors.indicator_changes(indicator), 50).get_page(request.GET.get("page"))
    return render(request, "screening/indicator_history.html", {"indicator": indicator, "page": page})


# --- The job-offer check ----------------------------------------------------------------------


def _public_rate(group: str, request: HttpRequest) -> str:
    return str(getattr(settings, "ATIS_JOB_OFFER_PUBLIC_RATE", "30/h"))


@public
def job_offer_public(request: HttpRequest) -> HttpResponse:
    """Anyone may check an offer without an account. Nothing is stored, not even in the audit
    log, unless the person asks to be called back; checks are limited per address."""
    form = PublicJobOfferForm(request.POST or None)
    assessment = None
    callback_saved = False
    if request.method == "POST":
        if is_ratelimited(request, group="atis-job-offer", key="ip", rate=_public_rate, method="POST", increment=True):
            return HttpResponse(render_to_string("screening/429.html", request=request), status=429)
        if form.is_valid():
            assessment = job_offers.assess_job_offer(form.cleaned_data["text"], form.answers())
            if form.cleaned_data["call_back"]:
                try:
                    services.callback_request(
                        phone=form.cleaned_data["phone"],
                        consent=form.cleaned_data["consent"],
                        language=get_language() or "ro",
                        assessment=assessment,
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    callback_saved = True
    return render(
        request,
        "screening/job_offer.html",
        {"form": form, "assessment": assessment, "public": True, "callback_saved": callback_saved},
    )


@requires(CHECK)
def job_offer_operator(request: HttpRequest) -> HttpResponse:
    """The same check for HelpLine operators and case managers; the HelpLine records the
    result on its contact (atis.helpline), this screen stores nothing."""
    form = JobOfferForm(request.POST or None)
    assessment = None
    if request.method == "POST" and form.is_valid():
        assessment = job_offers.assess_job_offer(form.cleaned_data["text"], form.answers())
    return render(request, "screening/job_offer.html", {"form": form, "assessment": assessment, "public": False})


@requires(CALLBACKS)
def callback_list(request: HttpRequest) -> HttpResponse:
    waiting = list(selectors.callbacks_waiting(request.user)[:100])
    for callback in waiting:
        audit_read(callback)
    return render(request, "screening/callbacks.html", {"callbacks": waiting})


@requires(CALLBACKS)
@require_POST
def callback_done(request: HttpRequest, public_id: str) -> HttpResponse:
    callback = get_in_scope_or_404(selectors.callbacks_waiting(request.user), public_id=public_id)
    try:
        services.callback_mark_handled(actor=request.user, callback=callback)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Marked as called back."))
    return redirect("screening:callbacks")
