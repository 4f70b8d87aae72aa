"""Reads of assistance. Every one starts from `cases_visible_to` and the sections the user
is granted, so the case page, a single goal or service and any later export agree."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from atis.assistance.models import PlanGoal, PlanReview, ServiceDelivery, Shelter, ShelterPlacement, SupportPlan
from atis.cases.models import Case, Section
from atis.cases.selectors import case_for, case_sections_for, cases_visible_to
from atis.lib.scope import get_in_scope_or_404


def assistance_open_to(user: Any, case: Case) -> bool:
    return user.has_perm("assistance.view_assistance") and Section.ASSISTANCE in case_sections_for(user, case)


def assistance_case_for(user: Any, public_id: Any) -> Case:
    """The case, or 404 when it is outside the user's scope or its assistance is not open to them."""
    case = case_for(user, public_id)
    if not assistance_open_to(user, case):
        raise Http404
    return case


def _in_assistance_scope(user: Any, queryset: QuerySet[Any], public_id: Any, case_path: str) -> Any:
    found = get_in_scope_or_404(queryset.filter(**{f"{case_path}__in": cases_visible_to(user)}), public_id=public_id)
    case = found.plan.case if case_path == "plan__case" else found.case
    if not assistance_open_to(user, case):
        raise Http404
    return found


def goal_for(user: Any, public_id: Any) -> PlanGoal:
    return _in_assistance_scope(  # type: ignore[no-any-return]
        user, PlanGoal.objects.select_related("plan__case"), public_id, "plan__case"
    )


def service_for(user: Any, public_id: Any) -> ServiceDelivery:
    return _in_assistance_scope(  # type: ignore[no-any-return]
        user, ServiceDelivery.objects.select_related("case"), public_id, "case"
    )


def placement_for(user: Any, public_id: Any) -> ShelterPlacement:
    return _in_assistance_scope(  # type: ignore[no-any-return]
        user, ShelterPlacement.objects.select_related("case", "shelter__organisation"), public_id, "case"
    )


def shelters_with_free_places(user: Any, *, only_free: bool = False) -> QuerySet[Shelter]:
    """Active shelters with `taken` and `free_places` annotated, for roles that place people.

    Every shelter in the country: people are often placed far from home for their safety.
    The address is deferred: it is never read, so it cannot leak into a list.
    """
    if not user.has_perm("assistance.manage_shelter_places"):
        return Shelter.objects.none()
    shelters = (
        Shelter.objects.filter(organisation__is_active=True)
        .select_related("organisation__county")
        .defer("address")
        .annotate(taken=Count("placements", filter=Q(placements__ends_on__isnull=True)))
        .annotate(free_places=F("capacity") - F("taken"))
        .order_by("organisation__name")
    )
    if only_free:
        shelters = shelters.filter(free_places__gt=0)
    return shelters


@dataclass
class AssistanceSummary:
    case: Case
    plan: SupportPlan | None
    goals: list[PlanGoal] = field(default_factory=list)
    reviews: list[PlanReview] = field(default_factory=list)
    services: list[ServiceDelivery] = field(default_factory=list)
    current_placement: ShelterPlacement | None = None
    past_placements: list[ShelterPlacement] = field(default_factory=list)

    @property
    def goals_by_status(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for goal in self.goals:
            counts[goal.status] = counts.get(goal.status, 0) + 1
        return counts

    @property
    def ongoing_services(self) -> int:
        return sum(1 for service in self.services if service.ended_on is None)


def case_assistance_summary(user: Any, case: Case) -> AssistanceSummary:
    """Everything the assistance tab shows. The caller has checked `assistance_open_to`."""
    if not assistance_open_to(user, case):
        raise Http404
    plan = SupportPlan.objects.filter(case=case).select_related("created_by").first()
    goals: list[PlanGoal] = []
    reviews: list[PlanReview] = []
    if plan is not None:
        goals = list(plan.goals.select_related("domain"))
        reviews = list(plan.reviews.select_related("reviewed_by"))
    services = list(
        ServiceDelivery.objects.filter(case=case).select_related(
            "service_type", "provider", "recorded_by", "recorded_by_organisation"
        )
    )
    placements = list(
        ShelterPlacement.objects.filter(case=case).select_related("shelter__organisation").defer("shelter__address")
    )
    current = next((placement for placement in placements if placement.ends_on is None), None)
    return AssistanceSummary(
        case=case,
        plan=plan,
        goals=goals,
        reviews=reviews,
        services=services,
        current_placement=current,
        past_placements=[placement for placement in placements if placement is not current],
    )
