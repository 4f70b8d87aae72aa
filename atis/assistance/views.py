"""The assistance tab of a case and the list of shelters with free places.

Views parse input, call one service and render. Every write answers with a redirect back to
the tab (post/redirect/get); a refused write shows the tab again with the form's errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atis.accounts.selectors import active_membership
from atis.assistance import selectors, services
from atis.assistance.forms import (
    GoalForm,
    GoalStatusForm,
    PlacementForm,
    PlanForm,
    ReleaseForm,
    ReviewForm,
    ServiceForm,
    ServiceUpdateForm,
)
from atis.assistance.models import Shelter, SupportPlan
from atis.audit.services import audit_read
from atis.cases.models import Case
from atis.lib.access import requires
from atis.lib.forms import run_service
from atis.organisations.models import Organisation

VIEW = "assistance.view_assistance"
RECORD = services.RECORD
PLACE = services.PLACE


def _providers(user: Any) -> QuerySet[Organisation]:
    """A case manager names any active provider; a partner organisation only itself."""
    if user.has_perm("cases.edit_case"):
        return Organisation.objects.filter(is_active=True).order_by("name")
    membership = active_membership(user)
    if membership is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk=membership.organisation_id, is_active=True)


def _render_case(request: HttpRequest, case: Case, bound: dict[str, forms.Form] | None = None) -> HttpResponse:
    """The tab, with any bound form that was refused in place of its empty twin."""
    user = request.user
    summary = selectors.case_assistance_summary(user, case)
    audit_read(case, section="assistance")
    bound = bound or {}
    can_record = user.has_perm(RECORD)
    can_place = user.has_perm(PLACE)
    today = timezone.localdate()
    context: dict[str, Any] = {
        "case": case,
        "summary": summary,
        "can_record": can_record,
        "can_place": can_place,
        "shelter_address": None,
    }
    if can_record:
        context["plan_form"] = bound.get("plan") or PlanForm(prefix="plan")
        context["goal_form"] = bound.get("goal") or GoalForm(prefix="goal")
        context["review_form"] = bound.get("review") or ReviewForm(prefix="review", initial={"reviewed_on": today})
        context["service_form"] = bound.get("service") or ServiceForm(
            prefix="service", providers=_providers(user), initial={"started_on": today}
        )
        context["goal_forms"] = [
            (
                goal,
                bound.get(f"goal-{goal.public_id}")
                or GoalStatusForm(
                    prefix=f"goal-{goal.public_id}", initial={"status": goal.status, "target_date": goal.target_date}
                ),
            )
            for goal in summary.goals
        ]
        context["service_forms"] = [
            (
                service,
                bound.get(f"service-{service.public_id}")
                or ServiceUpdateForm(
                    prefix=f"service-{service.public_id}",
                    initial={"outcome": service.outcome, "ended_on": service.ended_on},
                ),
            )
            for service in summary.services
        ]
    if can_place:
        placement = summary.current_placement
        if placement is None:
            context["placement_form"] = bound.get("placement") or PlacementForm(
                prefix="placement", shelters=selectors.shelters_with_free_places(user), initial={"starts_on": today}
            )
        else:
            # A booking that has not started yet is cancelled on its start day.
            context["release_form"] = bound.get("release") or ReleaseForm(
                prefix="release", initial={"ends_on": max(today, placement.starts_on)}
            )
            if request.GET.get("address") == "1":
                # Shelter addresses are shown one at a time, on request, and each showing is audited.
                shelter = Shelter.objects.get(pk=placement.shelter_id)
                audit_read(shelter, section="address")
                context["shelter_address"] = shelter.address or "—"
    return render(request, "assistance/case.html", context)


def _submit(
    request: HttpRequest,
    case: Case,
    key: str,
    form: forms.Form,
    action: Callable[[dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    if run_service(form, action):
        messages.success(request, done)
        return redirect("assistance:case", public_id=case.public_id)
    return _render_case(request, case, {key: form})


@requires(VIEW)
def case_assistance(request: HttpRequest, public_id: str) -> HttpResponse:
    case = selectors.assistance_case_for(request.user, public_id)
    return _render_case(request, case)


@requires(RECORD)
@require_POST
def plan_create(request: HttpRequest, public_id: str) -> HttpResponse:
    case = selectors.assistance_case_for(request.user, public_id)
    return _submit(
        request,
        case,
        "plan",
        PlanForm(request.POST, prefix="plan"),
        lambda data: services.plan_create(actor=request.user, case=case, **data),
        _("The support plan was drawn up."),
    )


def _plan_of(case: Case) -> SupportPlan:
    plan = SupportPlan.objects.filter(case=case).first()
    if plan is None:
        raise ValidationError(_("Draw up the support plan first."), code="no_plan")
    return plan


@requires(RECORD)
@require_POST
def goal_add(request: HttpRequest, public_id: str) -> HttpResponse:
    case = selectors.assistance_case_for(request.user, public_id)
    return _submit(
        request,
        case,
        "goal",
        GoalForm(request.POST, prefix="goal"),
        lambda data: services.goal_add(actor=request.user, plan=_plan_of(case), **data),
        _("The goal was added to the plan."),
    )


@requires(RECORD)
@require_POST
def goal_update(request: HttpRequest, public_id: str) -> HttpResponse:
    goal = selectors.goal_for(request.user, public_id)
    prefix = f"goal-{goal.public_id}"
    return _submit(
        request,
        goal.plan.case,
        prefix,
        GoalStatusForm(request.POST, prefix=prefix),
        lambda data: services.goal_update(actor=request.user, goal=goal, **data),
        _("The goal was updated."),
    )


@requires(RECORD)
@require_POST
def review_add(request: HttpRequest, public_id: str) -> HttpResponse:
    case = selectors.assistance_case_for(request.user, public_id)
    return _submit(
        request,
        case,
        "review",
        ReviewForm(request.POST, prefix="review"),
        lambda data: services.review_add(actor=request.user, plan=_plan_of(case), **data),
        _("The review was recorded."),
    )


@requires(RECORD)
@require_POST
def service_record(request: HttpRequest, public_id: str) -> HttpResponse:
    case = selectors.assistance_case_for(request.user, public_id)
    return _submit(
        request,
        case,
        "service",
        ServiceForm(request.POST, prefix="service", providers=_providers(request.user)),
        lambda data: services.service_record(actor=request.user, case=case, **data),
        _("The service was recorded."),
    )


@requires(RECORD)
@require_POST
def service_update(request: HttpRequest, public_id: str) -> HttpResponse:
    service = selectors.service_for(request.user, public_id)
    prefix = f"service-{service.public_id}"
    return _submit(
        request,
        service.case,
        prefix,
        ServiceUpdateForm(request.POST, prefix=prefix),
        lambda data: services.service_update(actor=request.user, service=service, **data),
        _("The service was updated."),
    )


@requires(PLACE)
@require_POST
def shelter_place(request: HttpRequest, public_id: str) -> HttpResponse:
    case = selectors.assistance_case_for(request.user, public_id)
    return _submit(
        request,
        case,
        "placement",
        PlacementForm(request.POST, prefix="placement", shelters=selectors.shelters_with_free_places(request.user)),
        lambda data: services.shelter_place(actor=request.user, case=case, **data),
        _("A place in the shelter was booked."),
    )


@requires(PLACE)
@require_POST
def shelter_release(request: HttpRequest, public_id: str) -> HttpResponse:
    placement = selectors.placement_for(request.user, public_id)
    return _submit(
        request,
        placement.case,
        "release",
        ReleaseForm(request.POST, prefix="release"),
        lambda data: services.shelter_release(actor=request.user, placement=placement, **data),
        _("The place in the shelter was released."),
    )


@requires(PLACE)
def shelter_list(request: HttpRequest) -> HttpResponse:
    only_free = request.GET.get("free") == "1"
    shelters = selectors.shelters_with_free_places(request.user, only_free=only_free)
    return render(request, "assistance/shelters.html", {"shelters": shelters, "only_free": only_free})
