"""Campaign screens: the list, a campaign and its activities, the phone-sized activity form,
totals against targets, the risk view by county, the evaluation and its reports, and the
public list the portal links to.

Views parse input, call one service and render; every write answers with a redirect
(post/redirect/get) and a refused write shows the form again with the service's message.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atis.audit.services import audit_record
from atis.campaigns import charts, reports, selectors, services
from atis.campaigns.forms import ActivityForm, CampaignForm, EvaluationForm, PhotoForm
from atis.campaigns.models import Campaign, CampaignStatus, Evaluation
from atis.lib.access import public, requires
from atis.lib.forms import add_service_errors
from atis.lib.ratelimits import export_rate_limited
from atis.library.selectors import documents_visible_to

VIEW = selectors.VIEW
FIGURES = selectors.FIGURES
MANAGE = services.MANAGE
APPROVE = services.APPROVE


# --- Campaigns ----------------------------------------------------------------------------


@requires(VIEW)
def campaign_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    county = request.GET.get("county", "")
    campaigns = selectors.campaign_list(
        request.user, status=status, county_id=int(county) if county.isdigit() else None
    )
    return render(
        request,
        "campaigns/list.html",
        {
            "campaigns": campaigns[:200],
            "statuses": CampaignStatus.choices,
            "status": status,
            "can_create": request.user.has_perm(MANAGE),
        },
    )


def _save_campaign(request: HttpRequest, form: CampaignForm, campaign: Campaign | None) -> Campaign | None:
    if not form.is_valid():
        return None
    try:
        if campaign is None:
            return services.campaign_create(actor=request.user, data=form.data_object())
        return services.campaign_update(
            actor=request.user,
            campaign=campaign,
            data=form.data_object(),
            version=form.cleaned_data.get("version") or 0,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@requires(MANAGE)
def campaign_create(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST":
        campaign = _save_campaign(request, form, None)
        if campaign is not None:
            messages.success(request, _("The campaign was saved as a draft."))
            return redirect("campaigns:detail", public_id=campaign.public_id)
    return render(request, "campaigns/form.html", {"form": form, "campaign": None})


@requires(MANAGE)
def campaign_edit(request: HttpRequest, public_id: Any) -> HttpResponse:
    campaign = selectors.campaign_for(request.user, public_id)
    if not services.may_edit(request.user, campaign):
        raise PermissionDenied
    if campaign.status != CampaignStatus.DRAFT:
        messages.warning(request, _("Only a draft campaign can be changed."))
        return redirect("campaigns:detail", public_id=campaign.public_id)
    form = CampaignForm(request.POST or None, initial=CampaignForm.initial_from(campaign), user=request.user)
    if request.method == "POST":
        saved = _save_campaign(request, form, campaign)
        if saved is not None:
            messages.success(request, _("The campaign was updated."))
            return redirect("campaigns:detail", public_id=saved.public_id)
    return render(request, "campaigns/form.html", {"form": form, "campaign": campaign})


@requires(VIEW)
def campaign_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    campaign = selectors.campaign_for(request.user, public_id)
    totals = selectors.campaign_totals(campaign)
    activities = campaign.activities.select_related("county", "locality", "activity_type", "channel")[:100]
    can_edit = services.may_edit(request.user, campaign)
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "totals": totals,
            "activities": activities,
            "can_edit": can_edit,
            "can_approve": request.user.has_perm(APPROVE),
            "indicator_bars": charts.indicator_bars(totals.indicators),
            "exploitation_forms": campaign.exploitation_forms.all(),
            "target_groups": campaign.target_groups.all(),
            "channels": campaign.channels.all(),
            "counties": campaign.counties.all(),
            "partners": campaign.partners.all(),
            "materials": documents_visible_to(request.user).filter(campaigns=campaign).order_by("-year"),
        },
    )


def _transition(request: HttpRequest, public_id: Any, action: Any, done: str) -> HttpResponse:
    campaign = selectors.campaign_for(request.user, public_id)
    try:
        action(actor=request.user, campaign=campaign)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("campaigns:detail", public_id=campaign.public_id)


@requires(APPROVE)
@require_POST
def campaign_approve(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _transition(request, public_id, services.campaign_approve, _("The campaign was approved."))


@requires(APPROVE)
@require_POST
def campaign_return(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _transition(
        request, public_id, services.campaign_return_to_draft, _("The campaign was sent back as a draft.")
    )


@requires(MANAGE)
@require_POST
def campaign_start(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _transition(request, public_id, services.campaign_start, _("The campaign is running."))


# --- Activities ---------------------------------------------------------------------------


@requires(MANAGE)
def activity_add(request: HttpRequest, public_id: Any) -> HttpResponse:
    campaign = selectors.campaign_for(request.user, public_id)
    if not services.may_edit(request.user, campaign):
        raise PermissionDenied
    groups = list(campaign.target_groups.order_by("order"))
    today = timezone.localdate()
    initial: dict[str, Any] = {"held_on": min(today, campaign.ends_on), "materials_distributed": 0, "media_reach": 0}
    counties = list(campaign.counties.all()[:2])
    if len(counties) == 1:
        initial["county"] = counties[0]
    form = ActivityForm(request.POST or None, groups=groups, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_record(actor=request.user, campaign=campaign, data=form.data_object())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activity was recorded."))
            return redirect("campaigns:activity_detail", public_id=activity.public_id)
    return render(request, "campaigns/activity_form.html", {"form": form, "campaign": campaign})


@requires(VIEW)
def activity_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    activity = selectors.activity_for(request.user, public_id)
    can_edit = services.may_edit(request.user, activity.campaign) and activity.campaign.status == CampaignStatus.RUNNING
    return render(
        request,
        "campaigns/activity_detail.html",
        {
            "activity": activity,
            "campaign": activity.campaign,
            "participations": activity.participations.select_related("target_group"),
            "partners": activity.partners.all(),
            "photos": activity.photos.all(),
            "can_edit": can_edit,
            "photo_form": PhotoForm() if can_edit else None,
        },
    )


@requires(MANAGE)
@require_POST
def activity_delete(request: HttpRequest, public_id: Any) -> HttpResponse:
    activity = selectors.activity_for(request.user, public_id)
    campaign = activity.campaign
    try:
        services.activity_delete(actor=request.user, activity=activity)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("campaigns:activity_detail", public_id=activity.public_id)
    messages.success(request, _("The activity was deleted."))
    return redirect("campaigns:detail", public_id=campaign.public_id)


@requires(MANAGE)
@require_POST
def photo_add(request: HttpRequest, public_id: Any) -> HttpResponse:
    activity = selectors.activity_for(request.user, public_id)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.photo_add(actor=request.user, activity=activity, upload=form.cleaned_data["photo"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The photo was added."))
    else:
        for field_errors in form.errors.values():
            for text in field_errors:
                messages.error(request, str(text))
    return redirect("campaigns:activity_detail", public_id=activity.public_id)


@requires(VIEW)
def photo(request: HttpRequest, public_id: Any) -> FileResponse:
    found = selectors.photo_for(request.user, public_id)
    try:
        handle = services.photo_path(found.storage_name).open("rb")
    except (OSError, ValueError):
        raise Http404 from None
    extension = ".png" if found.content_type == "image/png" else ".jpg"
    response = FileResponse(handle, content_type=found.content_type)
    response["Content-Disposition"] = f'attachment; filename="photo-{found.public_id}{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@requires(MANAGE)
def localities(request: HttpRequest) -> HttpResponse:
    """The <option>s of a county's localities, for the htmx county → locality select."""
    chosen = next(
        (str(value) for key, value in request.GET.items() if (key == "county" or key.endswith("-county")) and value),
        "",
    )
    found = selectors.localities_of(int(chosen)) if chosen.isdigit() else []
    return render(request, "campaigns/_locality_options.html", {"localities": found})


# --- Figures ------------------------------------------------------------------------------


@requires(FIGURES)
def totals(request: HttpRequest) -> HttpResponse:
    year_raw = request.GET.get("year", "")
    year = int(year_raw) if year_raw.isdigit() and 2000 <= int(year_raw) <= 2100 else None
    rows = selectors.totals_overview(request.user, year=year)
    activities = selectors.activities_for_figures(request.user).exclude(campaign__status=CampaignStatus.DRAFT)
    if year:
        activities = activities.filter(held_on__year=year)
    by_county = selectors.reach_by_county(activities)
    by_group = selectors.reach_by_group(activities)
    county_rows = charts.county_rows(by_county)
    return render(
        request,
        "campaigns/totals.html",
        {
            "rows": rows,
            "year": year,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
            "county_rows": [row for row in county_rows if row[1].events],
            "by_group": by_group,
            "map_chart": charts.county_map(county_rows, title=_("Activities by county")),
        },
    )


@requires(FIGURES)
def risk(request: HttpRequest) -> HttpResponse:
    view = selectors.risk_view(request.user)
    audit_record(action="campaign.risk_view", object_type="campaigns.riskview", details={"exact": view.exact})
    return render(
        request,
        "campaigns/risk.html",
        {"view": view},
    )


def _evaluation_context(request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
    totals = selectors.campaign_totals(campaign)
    periods = selectors.contacts_before_during_after(campaign)
    evaluation = Evaluation.objects.filter(campaign=campaign).select_related("evaluated_by").first()
    return {
        "campaign": campaign,
        "totals": totals,
        "periods": periods,
        "evaluation": evaluation,
        "survey_pre": selectors.survey_percent(evaluation.survey_pre_respondents, evaluation.survey_pre_aware)
        if evaluation
        else None,
        "survey_post": selectors.survey_percent(evaluation.survey_post_respondents, evaluation.survey_post_aware)
        if evaluation
        else None,
        "indicator_bars": charts.indicator_bars(totals.indicators),
        "period_bars": charts.period_bars(periods),
        "generated_at": timezone.localtime(),
    }


@requires(FIGURES)
def evaluation(request: HttpRequest, public_id: Any) -> HttpResponse:
    campaign = selectors.campaign_figures_for(request.user, public_id)
    context = _evaluation_context(request, campaign)
    context["can_evaluate"] = services.may_edit(request.user, campaign) and campaign.status in (
        CampaignStatus.RUNNING,
        CampaignStatus.EVALUATED,
    )
    return render(request, "campaigns/evaluation.html", context)


@requires(MANAGE)
def evaluate(request: HttpRequest, public_id: Any) -> HttpResponse:
    campaign = selectors.campaign_for(request.user, public_id)
    if not services.may_edit(request.user, campaign):
        raise PermissionDenied
    existing = Evaluation.objects.filter(campaign=campaign).first()
    initial = (
        {
            name: getattr(existing, name)
            for name in (
                "conclusions",
                "survey_pre_respondents",
                "survey_pre_aware",
                "survey_post_respondents",
                "survey_post_aware",
            )
        }
        if existing
        else {}
    )
    form = EvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_evaluate(actor=request.user, campaign=campaign, data=form.data_object())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The evaluation was saved."))
            return redirect("campaigns:evaluation", public_id=campaign.public_id)
    return render(request, "campaigns/evaluate.html", {"form": form, "campaign": campaign})


def _slug(campaign: Campaign) -> str:
    return f"campaign-evaluation-{campaign.public_id.hex[:8]}-{datetime.date.today().isoformat()}"


@requires(FIGURES)
@export_rate_limited
def evaluation_pdf(request: HttpRequest, public_id: Any) -> HttpResponse:
    campaign = selectors.campaign_figures_for(request.user, public_id)
    content = reports.evaluation_pdf(_evaluation_context(request, campaign))
    audit_record(action="campaign.evaluation_export", obj=campaign, details={"format": "pdf"})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_slug(campaign)}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(FIGURES)
@export_rate_limited
def evaluation_xlsx(request: HttpRequest, public_id: Any) -> HttpResponse:
    campaign = selectors.campaign_figures_for(request.user, public_id)
    content = reports.evaluation_xlsx(_evaluation_context(request, campaign))
    audit_record(action="campaign.evaluation_export", obj=campaign, details={"format": "xlsx"})
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{_slug(campaign)}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Public -------------------------------------------------------------------------------


@public
def public_list(request: HttpRequest) -> HttpResponse:
    campaigns = selectors.public_campaigns().prefetch_related("target_groups", "exploitation_forms")[:100]
    return render(request, "campaigns/public_list.html", {"campaigns": campaigns})


@public
def public_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    campaign = get_object_or_404(selectors.public_campaigns().select_related("organisation"), public_id=public_id)
    return render(
        request,
        "campaigns/public_detail.html",
        {
            "campaign": campaign,
            "target_groups": campaign.target_groups.all(),
            "exploitation_forms": campaign.exploitation_forms.all(),
            "counties": campaign.counties.all(),
            "partners": campaign.partners.all(),
            "materials": documents_visible_to(request.user).filter(campaigns=campaign).order_by("-year"),
        },
    )
