"""The rules of assistance: who may record what, on which case, and what each write leaves behind."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from atis.assistance import services
from atis.assistance.models import GoalStatus, ServiceDelivery, ServiceOutcome, ShelterPlacement, SupportPlan
from atis.assistance.tests.helpers import DAY, identified_case, refer, service_type, shelter
from atis.audit.models import AuditEntry
from atis.cases import services as case_services
from atis.cases.models import CaseStatus
from atis.cases.tests.helpers import code, open_case
from atis.codelists.models import CodeList
from atis.organisations.models import Organisation

pytestmark = pytest.mark.django_db
LATER = DAY + datetime.timedelta(days=5)
# PostgreSQL names the constraint; SQLite names the column of the partial unique index.
ONE_OPEN_PLACEMENT = r"assistance_shelterplacement_one_open_per_case|assistance_shelterplacement\.case_id"


@pytest.fixture
def scene(personas):  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    case = identified_case(manager)
    return personas, manager, case


def _actions(case) -> list[str]:  # type: ignore[no-untyped-def]
    return list(
        AuditEntry.objects.filter(object_ref=str(case.public_id), action__startswith="assistance.")
        .order_by("sequence")
        .values_list("action", flat=True)
    )


# --- Support plan ---------------------------------------------------------------------------


def test_a_case_manager_draws_up_one_plan_with_goals_and_reviews(scene) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    plan = services.plan_create(actor=manager, case=case, needs_assessment="  Housing; counselling.  ")
    assert plan.needs_assessment == "Housing; counselling."
    with pytest.raises(ValidationError) as again:
        services.plan_create(actor=manager, case=case, needs_assessment="again")
    assert again.value.code == "plan_exists"

    goal = services.goal_add(
        actor=manager, plan=plan, description="Return to school", domain=service_type("education"), target_date=LATER
    )
    assert goal.status == GoalStatus.PLANNED
    services.goal_update(actor=manager, goal=goal, status=GoalStatus.ACHIEVED, target_date=LATER)
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACHIEVED

    review = services.review_add(actor=manager, plan=plan, reviewed_on=datetime.date.today(), notes="On track.")
    assert review.reviewed_by == manager
    assert _actions(case) == [
        "assistance.plan_create",
        "assistance.goal_add",
        "assistance.goal_update",
        "assistance.review_add",
    ]
    entry = AuditEntry.objects.get(action="assistance.goal_update")
    assert entry.details["from"] == "planned" and entry.details["to"] == "achieved"
    assert entry.actor_label == "manager_iasi" and entry.object_label == case.reference


def test_plan_inputs_are_checked(scene) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    with pytest.raises(ValidationError) as empty:
        services.plan_create(actor=manager, case=case, needs_assessment="   ")
    assert "needs_assessment" in empty.value.message_dict
    plan = services.plan_create(actor=manager, case=case, needs_assessment="Needs")
    with pytest.raises(ValidationError) as wrong_list:
        services.goal_add(actor=manager, plan=plan, description="x", domain=code(CodeList.VULNERABILITY, "poverty"))
    assert "domain" in wrong_list.value.message_dict
    with pytest.raises(ValidationError):
        services.review_add(
            actor=manager, plan=plan, reviewed_on=datetime.date.today() + datetime.timedelta(days=1), notes="x"
        )
    assert not plan.goals.exists() and not plan.reviews.exists()


def test_sensitive_texts_are_encrypted_at_rest(scene) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    plan = services.plan_create(actor=manager, case=case, needs_assessment="CANARY-NEEDS-42")
    services.goal_add(actor=manager, plan=plan, description="CANARY-GOAL-42", domain=service_type())
    services.service_record(
        actor=manager,
        case=case,
        service_type=service_type(),
        provider=personas["ngo"].organisation,
        started_on=DAY,
        notes="CANARY-NOTES-42",
    )
    place = shelter(personas["admin"].user, capacity=2, address="CANARY-ADDRESS-42")
    with connection.cursor() as cursor:
        for table, column in [
            ("assistance_supportplan", "needs_assessment"),
            ("assistance_plangoal", "description"),
            ("assistance_servicedelivery", "notes"),
            ("assistance_shelter", "address"),
        ]:
            cursor.execute(f"SELECT {column} FROM {table}")
            raw = " ".join(row[0] for row in cursor.fetchall())
            assert raw and "CANARY" not in raw, table
    place.refresh_from_db()
    assert place.address == "CANARY-ADDRESS-42"


# --- Services delivered ---------------------------------------------------------------------


def test_a_case_managers_first_service_puts_the_case_into_assistance(scene) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    assert case.status == CaseStatus.IDENTIFIED
    service = services.service_record(
        actor=manager, case=case, service_type=service_type(), provider=personas["ngo"].organisation, started_on=DAY
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSISTED
    assert service.recorded_by_organisation == personas["manager_iasi"].organisation
    actions = list(AuditEntry.objects.order_by("-sequence").values_list("action", flat=True)[:2])
    assert actions == ["case.assist", "assistance.service_record"]
    # A second service leaves the stage as it is.
    services.service_record(
        actor=manager,
        case=case,
        service_type=service_type("legal"),
        provider=personas["ngo"].organisation,
        started_on=DAY,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSISTED


def test_provider_staff_record_their_own_services_without_moving_the_case(scene) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    ngo, ngo_user = personas["ngo"].organisation, personas["ngo"].user
    refer(manager, case, ngo)
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED
    with pytest.raises(ValidationError) as other:
        services.service_record(
            actor=ngo_user,
            case=case,
            service_type=service_type(),
            provider=Organisation.objects.get(name="Test ITM Iași"),
            started_on=DAY,
        )
    assert "provider" in other.value.message_dict
    service = services.service_record(
        actor=ngo_user, case=case, service_type=service_type(), provider=ngo, started_on=DAY
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED, "only a case manager moves the stage"
    services.service_update(actor=ngo_user, service=service, outcome=ServiceOutcome.COMPLETED, ended_on=LATER)
    service.refresh_from_db()
    assert (service.outcome, service.ended_on) == (ServiceOutcome.COMPLETED, LATER)


def test_a_partner_cannot_change_what_another_organisation_recorded(scene) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    refer(manager, case, personas["ngo"].organisation)
    service = services.service_record(
        actor=manager, case=case, service_type=service_type(), provider=personas["ngo"].organisation, started_on=DAY
    )
    with pytest.raises(PermissionDenied):
        services.service_update(
            actor=personas["ngo"].user, service=service, outcome=ServiceOutcome.REFUSED, ended_on=DAY
        )
    service.refresh_from_db()
    assert service.outcome == ServiceOutcome.ONGOING


@pytest.mark.parametrize(
    ("started_on", "ended_on", "outcome", "field"),
    [
        (DAY, DAY - datetime.timedelta(days=1), ServiceOutcome.COMPLETED, "ended_on"),
        (DAY, LATER, ServiceOutcome.ONGOING, "ended_on"),
        (DAY, None, ServiceOutcome.COMPLETED, "ended_on"),
        (datetime.date(2026, 2, 1), None, ServiceOutcome.ONGOING, "started_on"),  # before notification
        (datetime.date.today() + datetime.timedelta(days=2), None, ServiceOutcome.ONGOING, "started_on"),
    ],
)
def test_service_dates_and_outcome_must_agree(scene, started_on, ended_on, outcome, field) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    with pytest.raises(ValidationError) as refused:
        services.service_record(
            actor=manager,
            case=case,
            service_type=service_type(),
            provider=personas["ngo"].organisation,
            started_on=started_on,
            ended_on=ended_on,
            outcome=outcome,
        )
    assert field in refused.value.message_dict
    assert not ServiceDelivery.objects.exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.IDENTIFIED


def test_the_database_refuses_an_ongoing_service_with_an_end(scene) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    with pytest.raises(IntegrityError, match="assistance_servicedelivery_ended_unless_ongoing"), transaction.atomic():
        ServiceDelivery.objects.create(
            case=case,
            service_type=service_type(),
            provider=personas["ngo"].organisation,
            started_on=DAY,
            ended_on=LATER,
            outcome=ServiceOutcome.ONGOING,
            recorded_by=manager,
            recorded_by_organisation=personas["ngo"].organisation,
        )


def test_a_closed_or_not_victim_case_receives_no_assistance(personas) -> None:  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    case = open_case(manager)
    case = case_services.case_mark_not_victim(
        actor=manager, case=case, deciding_institution=Organisation.objects.get(name="Test Police Iași")
    )
    with pytest.raises(ValidationError) as refused:
        services.plan_create(actor=manager, case=case, needs_assessment="x")
    assert refused.value.code == "case_not_assistable"
    with pytest.raises(ValidationError):
        services.service_record(
            actor=manager, case=case, service_type=service_type(), provider=personas["ngo"].organisation, started_on=DAY
        )
    assert not SupportPlan.objects.exists()


@pytest.mark.parametrize("persona", ["manager_cluj", "operator", "analyst", "auditor", "admin", "ngo"])
def test_outsiders_can_write_nothing(scene, persona) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    outsider = personas[persona].user
    plan = services.plan_create(actor=manager, case=case, needs_assessment="Needs")
    place = shelter(personas["admin"].user, capacity=2)
    attempts = [
        lambda: services.plan_create(actor=outsider, case=case, needs_assessment="x"),
        lambda: services.goal_add(actor=outsider, plan=plan, description="x", domain=service_type()),
        lambda: services.review_add(actor=outsider, plan=plan, reviewed_on=DAY, notes="x"),
        lambda: services.service_record(
            actor=outsider,
            case=case,
            service_type=service_type(),
            provider=personas[persona].organisation,
            started_on=DAY,
        ),
        lambda: services.shelter_place(actor=outsider, case=case, shelter=place, starts_on=DAY),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert _actions(case) == ["assistance.plan_create"]


# --- Shelters -------------------------------------------------------------------------------


def test_only_a_shelter_organisation_gets_places(personas) -> None:  # type: ignore[no-untyped-def]
    admin = personas["admin"].user
    with pytest.raises(ValidationError):
        services.shelter_save(actor=admin, organisation=personas["ngo"].organisation, capacity=4)
    with pytest.raises(PermissionDenied):
        shelter(personas["coordinator"].user, capacity=4)
    place = shelter(admin, capacity=4)
    assert place.capacity == 4
    assert AuditEntry.objects.filter(action="assistance.shelter_create", object_label=str(place)).exists()
    assert "Ascunsă" not in str(AuditEntry.objects.get(action="assistance.shelter_create").details)


def test_a_booking_takes_a_place_and_a_release_frees_it(scene) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    place = shelter(personas["admin"].user, capacity=1)
    placement = services.shelter_place(actor=manager, case=case, shelter=place, starts_on=DAY)
    assert placement.is_open
    other = identified_case(manager)
    with pytest.raises(services.ShelterFull) as full:
        services.shelter_place(actor=manager, case=other, shelter=place, starts_on=DAY)
    assert full.value.code == "shelter_full"
    assert str(place) in full.value.messages[0], "the refusal names the shelter"

    with pytest.raises(ValidationError):
        services.shelter_release(actor=manager, placement=placement, ends_on=DAY - datetime.timedelta(days=1))
    services.shelter_release(actor=manager, placement=placement, ends_on=LATER)
    with pytest.raises(ValidationError) as again:
        services.shelter_release(actor=manager, placement=placement, ends_on=LATER)
    assert again.value.code == "already_released"
    services.shelter_place(actor=manager, case=other, shelter=place, starts_on=LATER)
    assert ShelterPlacement.objects.filter(shelter=place, ends_on__isnull=True).count() == 1
    assert [a for a in _actions(case) if "shelter" in a] == ["assistance.shelter_place", "assistance.shelter_release"]


def test_a_person_holds_one_open_place_at_a_time(scene) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    first = shelter(personas["admin"].user, capacity=3)
    second = shelter(personas["admin"].user, capacity=3, name="Test Shelter Cluj")
    services.shelter_place(actor=manager, case=case, shelter=first, starts_on=DAY)
    with pytest.raises(ValidationError) as twice:
        services.shelter_place(actor=manager, case=case, shelter=second, starts_on=DAY)
    assert twice.value.code == "already_placed"
    with pytest.raises(IntegrityError, match=ONE_OPEN_PLACEMENT), transaction.atomic():
        ShelterPlacement.objects.create(shelter=second, case=case, starts_on=DAY, created_by=manager)


def test_capacity_cannot_drop_below_the_places_taken(scene) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    admin = personas["admin"].user
    place = shelter(admin, capacity=2)
    services.shelter_place(actor=manager, case=case, shelter=place, starts_on=DAY)
    services.shelter_place(actor=manager, case=identified_case(manager), shelter=place, starts_on=DAY)
    with pytest.raises(ValidationError) as refused:
        services.shelter_save(actor=admin, organisation=place.organisation, capacity=1)
    assert refused.value.error_dict["capacity"][0].code == "capacity_below_taken"
    services.shelter_save(actor=admin, organisation=place.organisation, capacity=5)
    place.refresh_from_db()
    assert place.capacity == 5 and place.address == "Strada Ascunsă 7", "the address stays when not given"


def test_a_booking_that_has_not_started_can_be_cancelled(scene) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    place = shelter(personas["admin"].user, capacity=1)
    next_week = datetime.date.today() + datetime.timedelta(days=7)
    placement = services.shelter_place(actor=manager, case=case, shelter=place, starts_on=next_week)
    with pytest.raises(ValidationError):
        services.shelter_release(actor=manager, placement=placement, ends_on=next_week + datetime.timedelta(days=1))
    services.shelter_release(actor=manager, placement=placement, ends_on=next_week)
    assert not ShelterPlacement.objects.filter(shelter=place, ends_on__isnull=True).exists()
