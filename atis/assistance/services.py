"""Every change to assistance goes through here: permission, scope, rule and audit entry in
one transaction, so the screens, a command or an API behave the same.

Scope: the case must be visible to the actor (`cases_visible_to`) and the assistance
section open to them (`case_sections_for`): a partner organisation works only on the cases
whose live referral grants it the assistance section.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from atis.accounts.selectors import active_membership
from atis.assistance.models import (
    GoalStatus,
    PlanGoal,
    PlanReview,
    ServiceDelivery,
    ServiceOutcome,
    Shelter,
    ShelterPlacement,
    SupportPlan,
)
from atis.audit.services import audit_record
from atis.cases.models import Case, CaseStatus, Section
from atis.cases.selectors import case_sections_for, cases_visible_to
from atis.cases.services import case_start_assistance
from atis.codelists.models import Code, CodeList
from atis.organisations.models import Organisation, OrganisationKind

RECORD = "assistance.record_assistance"
PLACE = "assistance.manage_shelter_places"
# Statuses in which a case may receive assistance; a closed case or a person found not to
# be a victim may not.
ASSISTABLE = (
    CaseStatus.NOTIFIED,
    CaseStatus.IDENTIFIED,
    CaseStatus.REFERRED,
    CaseStatus.ASSISTED,
    CaseStatus.FOLLOW_UP,
)
# Recording a service for an identified or referred case starts its assistance stage.
STARTS_ASSISTANCE = (CaseStatus.IDENTIFIED, CaseStatus.REFERRED)
NOTES_MAX = 5000
GOAL_MAX = 300


# --- Guards -------------------------------------------------------------------------------


def _field_error(field: str, message: str, code: str) -> ValidationError:
    """A refusal shown beside one field, that keeps its code for callers and tests."""
    return ValidationError({field: ValidationError(message, code=code)})


def _require(actor: Any, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied


def _require_assistance_scope(actor: Any, case: Case) -> None:
    """The case is visible to the actor and its assistance section open to them."""
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied
    if Section.ASSISTANCE not in case_sections_for(actor, case):
        raise PermissionDenied


def _require_assistable(case: Case) -> None:
    if case.status not in ASSISTABLE:
        raise ValidationError(
            _("A case that is %(status)s receives no assistance.") % {"status": CaseStatus(case.status).label},
            code="case_not_assistable",
        )


def _organisation_of(actor: Any) -> Organisation:
    membership = active_membership(actor)
    if membership is None:
        raise PermissionDenied
    return membership.organisation


def _manages_cases(actor: Any) -> bool:
    return bool(actor.has_perm("cases.edit_case"))


def _require_own_record(actor: Any, recorded_by_organisation_id: int) -> None:
    """A partner organisation changes only what it recorded; case managers change anything in scope."""
    if not _manages_cases(actor) and _organisation_of(actor).pk != recorded_by_organisation_id:
        raise PermissionDenied


def _not_in_future(day: datetime.date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise _field_error(field, _("This date is in the future."), "future_date")


def _service_type(code: Code, field: str) -> None:
    if code.list != CodeList.SERVICE_TYPE:
        raise _field_error(field, _("Choose a type of service."), "not_a_service_type")


def _full_clean(instance: Model, exclude: list[str]) -> None:
    instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


# --- Support plan ---------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor: Any, case: Case, needs_assessment: str) -> SupportPlan:
    """Draw up the case's individual support plan; a case has one plan, kept and reviewed."""
    _require(actor, RECORD)
    _require_assistance_scope(actor, case)
    _require_assistable(case)
    needs_assessment = needs_assessment.strip()
    if not needs_assessment:
        raise _field_error("needs_assessment", _("Describe the person's needs."), "required")
    if len(needs_assessment) > NOTES_MAX:
        raise _field_error("needs_assessment", _("The text is too long."), "too_long")
    plan = SupportPlan(case=case, needs_assessment=needs_assessment, created_by=actor)
    try:
        # A savepoint: a plan drawn up at the same moment by someone else is refused cleanly.
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise ValidationError(_("This case already has a support plan."), code="plan_exists") from None
    audit_record(actor=actor, action="assistance.plan_create", obj=case)
    return plan


def _plan_of(actor: Any, plan: SupportPlan) -> Case:
    case = plan.case
    _require(actor, RECORD)
    _require_assistance_scope(actor, case)
    return case


@transaction.atomic
def goal_add(
    *,
    actor: Any,
    plan: SupportPlan,
    description: str,
    domain: Code,
    target_date: datetime.date | None = None,
) -> PlanGoal:
    case = _plan_of(actor, plan)
    _require_assistable(case)
    _service_type(domain, "domain")
    description = description.strip()
    if not description:
        raise _field_error("description", _("Describe the goal."), "required")
    if len(description) > GOAL_MAX:
        raise _field_error("description", _("The text is too long."), "too_long")
    goal = PlanGoal(plan=plan, description=description, domain=domain, target_date=target_date)
    _full_clean(goal, exclude=["plan"])
    goal.save()
    audit_record(
        actor=actor,
        action="assistance.goal_add",
        obj=case,
        details={"goal": str(goal.public_id), "domain": domain.code},
    )
    return goal


@transaction.atomic
def goal_update(
    *,
    actor: Any,
    goal: PlanGoal,
    status: str,
    target_date: datetime.date | None = None,
) -> PlanGoal:
    goal = PlanGoal.objects.select_for_update().select_related("plan__case").get(pk=goal.pk)
    case = _plan_of(actor, goal.plan)
    if status not in GoalStatus.values:
        raise _field_error("status", _("Choose a status."), "invalid_status")
    before = goal.status
    goal.status = status
    goal.target_date = target_date
    goal.save(update_fields=["status", "target_date", "updated_at"])
    audit_record(
        actor=actor,
        action="assistance.goal_update",
        obj=case,
        details={"goal": str(goal.public_id), "from": before, "to": status},
    )
    return goal


@transaction.atomic
def review_add(*, actor: Any, plan: SupportPlan, reviewed_on: datetime.date, notes: str) -> PlanReview:
    case = _plan_of(actor, plan)
    notes = notes.strip()
    if not notes:
        raise _field_error("notes", _("Write what the review found."), "required")
    if len(notes) > NOTES_MAX:
        raise _field_error("notes", _("The text is too long."), "too_long")
    _not_in_future(reviewed_on, "reviewed_on")
    if reviewed_on < timezone.localtime(plan.created_at).date():
        raise _field_error("reviewed_on", _("A review cannot come before the plan was drawn up."), "review_before_plan")
    review = PlanReview.objects.create(plan=plan, reviewed_on=reviewed_on, notes=notes, reviewed_by=actor)
    audit_record(
        actor=actor, action="assistance.review_add", obj=case, details={"reviewed_on": reviewed_on.isoformat()}
    )
    return review


# --- Services delivered ---------------------------------------------------------------------


def _check_service_dates(case: Case, started_on: datetime.date, ended_on: datetime.date | None, outcome: str) -> None:
    if outcome not in ServiceOutcome.values:
        raise _field_error("outcome", _("Choose an outcome."), "invalid_outcome")
    _not_in_future(started_on, "started_on")
    _not_in_future(ended_on, "ended_on")
    if started_on < case.notified_on:
        raise _field_error("started_on", _("A service cannot start before the case was notified."), "before_notified")
    if ended_on is not None and ended_on < started_on:
        raise _field_error("ended_on", _("A service cannot end before it started."), "end_before_start")
    if outcome == ServiceOutcome.ONGOING and ended_on is not None:
        raise _field_error(
            "ended_on",
            _("An ongoing service has no end date: choose how it ended, or leave the date empty."),
            "ongoing_with_end",
        )
    if outcome != ServiceOutcome.ONGOING and ended_on is None:
        raise _field_error("ended_on", _("Give the date the service ended."), "ended_without_date")


@transaction.atomic
def service_record(
    *,
    actor: Any,
    case: Case,
    service_type: Code,
    provider: Organisation,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
    outcome: str = ServiceOutcome.ONGOING,
    notes: str = "",
) -> ServiceDelivery:
    """Record a service given to the person.

    A partner organisation records only the services it gives itself. When a case manager
    records the first service of an identified or referred case, the case enters assistance.
    """
    _require(actor, RECORD)
    _require_assistance_scope(actor, case)
    # Locked: the stage is read and may be moved on below.
    current = Case.objects.select_for_update().get(pk=case.pk)
    _require_assistable(current)
    own = _organisation_of(actor)
    if not _manages_cases(actor) and provider.pk != own.pk:
        raise _field_error("provider", _("You can record only services your organisation gives."), "not_own_provider")
    if not provider.is_active:
        raise _field_error("provider", _("This organisation is no longer active."), "inactive_provider")
    _service_type(service_type, "service_type")
    _check_service_dates(case, started_on, ended_on, outcome)
    if len(notes) > NOTES_MAX:
        raise _field_error("notes", _("The text is too long."), "too_long")
    service = ServiceDelivery.objects.create(
        case=case,
        service_type=service_type,
        provider=provider,
        started_on=started_on,
        ended_on=ended_on,
        outcome=outcome,
        notes=notes.strip(),
        recorded_by=actor,
        recorded_by_organisation=own,
    )
    audit_record(
        actor=actor,
        action="assistance.service_record",
        obj=case,
        details={"service": str(service.public_id), "type": service_type.code, "provider": str(provider)},
    )
    if current.status in STARTS_ASSISTANCE and _manages_cases(actor):
        case_start_assistance(actor=actor, case=current)
        case.refresh_from_db(fields=["status", "version", "updated_at"])
    return service


@transaction.atomic
def service_update(
    *,
    actor: Any,
    service: ServiceDelivery,
    outcome: str,
    ended_on: datetime.date | None = None,
    notes: str | None = None,
) -> ServiceDelivery:
    """Say how a service went on or ended; the type, provider and start stay as recorded."""
    service = ServiceDelivery.objects.select_for_update().select_related("case").get(pk=service.pk)
    _require(actor, RECORD)
    _require_assistance_scope(actor, service.case)
    _require_own_record(actor, service.recorded_by_organisation_id)
    _check_service_dates(service.case, service.started_on, ended_on, outcome)
    fields = ["outcome", "ended_on", "updated_at"]
    before = service.outcome
    service.outcome, service.ended_on = outcome, ended_on
    if notes is not None:
        if len(notes) > NOTES_MAX:
            raise _field_error("notes", _("The text is too long."), "too_long")
        service.notes = notes.strip()
        fields.append("notes")
    service.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="assistance.service_update",
        obj=service.case,
        details={"service": str(service.public_id), "from": before, "to": outcome},
    )
    return service


# --- Shelters -------------------------------------------------------------------------------


@transaction.atomic
def shelter_save(*, actor: Any, organisation: Organisation, capacity: int, address: str | None = None) -> Shelter:
    """Register a shelter's places, or change them. An administrator's task, like organisations."""
    _require(actor, "organisations.manage_organisations")
    if organisation.kind != OrganisationKind.SHELTER:
        raise _field_error("organisation", _("Only an organisation of kind shelter offers places."), "not_a_shelter")
    if capacity < 1:
        raise _field_error("capacity", _("A shelter has at least one place."), "capacity_positive")
    shelter = Shelter.objects.select_for_update().filter(organisation=organisation).first()
    creating = shelter is None
    if shelter is None:
        shelter = Shelter(organisation=organisation, capacity=capacity)
    else:
        taken = shelter.placements.filter(ends_on__isnull=True).count()
        if capacity < taken:
            message = _("%(taken)d places are taken: release some before lowering the capacity.") % {"taken": taken}
            raise _field_error("capacity", message, "capacity_below_taken")
        shelter.capacity = capacity
    if address is not None:
        shelter.address = address.strip()
    shelter.save()
    audit_record(
        actor=actor,
        action="assistance.shelter_create" if creating else "assistance.shelter_update",
        obj=shelter,
        details={"capacity": capacity, "address_changed": address is not None},
    )
    return shelter


class ShelterFull(ValidationError):
    """No free place is left in the shelter; nothing was booked."""


@transaction.atomic
def shelter_place(*, actor: Any, case: Case, shelter: Shelter, starts_on: datetime.date) -> ShelterPlacement:
    """Book a place in a shelter for the person.

    R2: a place is never given twice. The shelter's row is locked for the rest of the
    transaction, so concurrent bookings for the same shelter queue here and each one counts
    the open placements only after the previous booking has committed or rolled back.
    """
    _require(actor, PLACE)
    _require_assistance_scope(actor, case)
    _require_assistable(case)
    if starts_on < case.notified_on:
        raise _field_error("starts_on", _("A placement cannot start before the case was notified."), "before_notified")
    locked = (
        Shelter.objects.select_for_update()
        .select_related("organisation")
        .filter(pk=shelter.pk, organisation__is_active=True)
        .first()
    )
    if locked is None:
        raise _field_error("shelter", _("This shelter no longer takes people."), "shelter_inactive")
    if ShelterPlacement.objects.filter(case=case, ends_on__isnull=True).exists():
        raise ValidationError(
            _("This person already has a place in a shelter: release it before booking another."),
            code="already_placed",
        )
    taken = ShelterPlacement.objects.filter(shelter=locked, ends_on__isnull=True).count()
    if taken >= locked.capacity:
        raise ShelterFull(
            _("%(shelter)s has no free place left: all %(capacity)d places are taken. Nothing was booked.")
            % {"shelter": locked, "capacity": locked.capacity},
            code="shelter_full",
        )
    try:
        # A savepoint: a booking for the same person in another shelter at the same moment
        # trips the one-open-placement constraint, which is reported, not raised.
        with transaction.atomic():
            placement = ShelterPlacement.objects.create(
                shelter=locked, case=case, starts_on=starts_on, created_by=actor
            )
    except IntegrityError:
        raise ValidationError(
            _("This person already has a place in a shelter: release it before booking another."),
            code="already_placed",
        ) from None
    audit_record(
        actor=actor,
        action="assistance.shelter_place",
        obj=case,
        details={
            "placement": str(placement.public_id),
            "shelter": str(locked),
            "free_after": locked.capacity - taken - 1,
        },
    )
    return placement


@transaction.atomic
def shelter_release(*, actor: Any, placement: ShelterPlacement, ends_on: datetime.date) -> ShelterPlacement:
    """The person leaves the shelter, or a booking that has not started yet is cancelled
    (it then ends on the day it would have started); either way the place is free again."""
    placement = (
        ShelterPlacement.objects.select_for_update()
        .select_related("case", "shelter__organisation")
        .get(pk=placement.pk)
    )
    _require(actor, PLACE)
    _require_assistance_scope(actor, placement.case)
    if placement.ends_on is not None:
        raise ValidationError(_("This place was already released."), code="already_released")
    cancelling = ends_on == placement.starts_on
    if not cancelling:
        _not_in_future(ends_on, "ends_on")
    if ends_on < placement.starts_on:
        raise _field_error("ends_on", _("A stay cannot end before it started."), "end_before_start")
    placement.ends_on, placement.released_by = ends_on, actor
    placement.save(update_fields=["ends_on", "released_by"])
    audit_record(
        actor=actor,
        action="assistance.shelter_release",
        obj=placement.case,
        details={"placement": str(placement.public_id), "shelter": str(placement.shelter)},
    )
    return placement
