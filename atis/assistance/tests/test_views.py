"""The assistance tab and the shelter list, through the web as a user meets them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from atis.assistance import services
from atis.assistance.models import GoalStatus, PlanGoal, ServiceDelivery, ShelterPlacement, SupportPlan
from atis.assistance.tests.helpers import DAY, identified_case, refer, service_type, shelter
from atis.audit.models import AuditEntry
from atis.cases.models import CaseStatus

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def scene(personas):  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    return personas, manager, identified_case(manager)


def _url(name: str, public_id) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"assistance:{name}", kwargs={"public_id": public_id})


def test_each_opening_of_the_tab_is_audited(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    client = signed_in("manager_iasi")
    client.get(_url("case", case.public_id))
    client.get(_url("case", case.public_id))
    reads = AuditEntry.objects.filter(action="read", object_ref=str(case.public_id), actor_label="manager_iasi")
    assert reads.count() == 2
    assert all(entry.details == {"section": "assistance"} for entry in reads)
    assert reads.first().object_label == case.reference  # type: ignore[union-attr]


def test_a_manager_works_the_whole_tab_through_the_web(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    client = signed_in("manager_iasi")
    page = _url("case", case.public_id)

    response = client.post(_url("plan_create", case.public_id), {"plan-needs_assessment": "Safe housing"})
    assert response.status_code == 302 and response["Location"] == page
    plan = SupportPlan.objects.get(case=case)

    response = client.post(
        _url("goal_add", case.public_id),
        {"goal-description": "Back to school", "goal-domain": service_type("education").pk, "goal-target_date": ""},
    )
    assert response.status_code == 302
    goal = PlanGoal.objects.get(plan=plan)
    response = client.post(_url("goal_update", goal.public_id), {f"goal-{goal.public_id}-status": "in_progress"})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == GoalStatus.IN_PROGRESS

    response = client.post(
        _url("review_add", case.public_id), {"review-reviewed_on": TODAY.isoformat(), "review-notes": "Going well"}
    )
    assert response.status_code == 302 and plan.reviews.count() == 1

    response = client.post(
        _url("service_record", case.public_id),
        {
            "service-service_type": service_type("legal").pk,
            "service-provider": personas["ngo"].organisation.pk,
            "service-started_on": DAY.isoformat(),
            "service-outcome": "ongoing",
        },
    )
    assert response.status_code == 302
    service = ServiceDelivery.objects.get(case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSISTED
    response = client.post(
        _url("service_update", service.public_id),
        {
            f"service-{service.public_id}-outcome": "completed",
            f"service-{service.public_id}-ended_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.outcome == "completed"

    place = shelter(personas["admin"].user, capacity=2)
    response = client.post(
        _url("shelter_place", case.public_id), {"placement-shelter": place.pk, "placement-starts_on": DAY.isoformat()}
    )
    assert response.status_code == 302
    placement = ShelterPlacement.objects.get(case=case)
    content = client.get(page).content.decode()
    assert "Back to school" in content and "Safe housing" in content and str(place) in content
    assert "Strada Ascunsă" not in content, "the address is shown only on request"

    response = client.post(_url("shelter_release", placement.public_id), {"release-ends_on": TODAY.isoformat()})
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.ends_on == TODAY


def test_a_refused_write_shows_the_tab_with_the_reason_and_changes_nothing(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    client = signed_in("manager_iasi")
    response = client.post(
        _url("service_record", case.public_id),
        {
            "service-service_type": service_type().pk,
            "service-provider": personas["ngo"].organisation.pk,
            "service-started_on": DAY.isoformat(),
            "service-outcome": "completed",
        },
    )
    assert response.status_code == 200
    assert "ended_on" in response.context["service_form"].errors
    assert not ServiceDelivery.objects.exists()
    # A goal before any plan is refused with a message, not an error page.
    response = client.post(
        _url("goal_add", case.public_id), {"goal-description": "x", "goal-domain": service_type().pk}
    )
    assert response.status_code == 200 and response.context["goal_form"].non_field_errors()


def test_a_full_shelter_is_refused_with_a_clear_message(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    place = shelter(personas["admin"].user, capacity=1)
    services.shelter_place(actor=manager, case=identified_case(manager), shelter=place, starts_on=DAY)
    response = signed_in("manager_iasi").post(
        _url("shelter_place", case.public_id), {"placement-shelter": place.pk, "placement-starts_on": DAY.isoformat()}
    )
    assert response.status_code == 200
    errors = response.context["placement_form"].non_field_errors()
    assert len(errors) == 1 and str(place) in errors[0]
    assert errors[0] in response.content.decode()
    assert not ShelterPlacement.objects.filter(case=case).exists()


def test_the_shelter_address_is_shown_on_request_and_audited(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    place = shelter(personas["admin"].user, capacity=2)
    services.shelter_place(actor=manager, case=case, shelter=place, starts_on=DAY)
    client = signed_in("manager_iasi")
    content = client.get(_url("case", case.public_id) + "?address=1").content.decode()
    assert "Strada Ascunsă 7" in content
    entry = AuditEntry.objects.get(action="read", object_type="assistance.shelter")
    assert entry.details == {"section": "address"} and entry.actor_label == "manager_iasi"


def test_a_partner_sees_no_shelter_address_and_no_booking_form(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    refer(manager, case, personas["ngo"].organisation)
    place = shelter(personas["admin"].user, capacity=2)
    services.shelter_place(actor=manager, case=case, shelter=place, starts_on=DAY)
    response = signed_in("ngo").get(_url("case", case.public_id) + "?address=1")
    content = response.content.decode()
    assert response.status_code == 200 and str(place) in content
    assert "Strada Ascunsă" not in content
    assert "release_form" not in response.context and "placement_form" not in response.context
    # The provider field offers only the partner's own organisation.
    providers = list(response.context["service_form"].fields["provider"].queryset)
    assert providers == [personas["ngo"].organisation]


def test_the_shelter_list_shows_free_places_and_never_an_address(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    full = shelter(personas["admin"].user, capacity=1, name="Test Shelter Full", address="Secret Full Street")
    free = shelter(personas["admin"].user, capacity=3, name="Test Shelter Free", address="Secret Free Street")
    services.shelter_place(actor=manager, case=case, shelter=full, starts_on=DAY)
    client = signed_in("manager_cluj")
    content = client.get(reverse("assistance:shelters")).content.decode()
    assert "Test Shelter Full" in content and "Test Shelter Free" in content
    assert "Secret" not in content
    only_free = client.get(reverse("assistance:shelters"), {"free": "1"}).content.decode()
    assert "Test Shelter Free" in only_free and "Test Shelter Full" not in only_free
    assert free.capacity == 3


def test_the_dashboard_counts_free_places_for_those_who_book_them(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    shelter(personas["admin"].user, capacity=2)
    shelter(personas["admin"].user, capacity=3, name="Test Shelter Cluj")
    services.shelter_place(actor=manager, case=case, shelter=shelter(personas["admin"].user, capacity=2), starts_on=DAY)
    panels = {
        panel.title: panel for panel in signed_in("manager_iasi").get(reverse("core:dashboard")).context["work_panels"]
    }
    [panel] = [panel for panel in panels.values() if panel.template == "assistance/panels/shelter_places.html"]
    assert panel.context == {"shelters": 2, "places": 4}
    ngo_panels = signed_in("ngo").get(reverse("core:dashboard")).context["work_panels"]
    assert all(panel.template != "assistance/panels/shelter_places.html" for panel in ngo_panels)
