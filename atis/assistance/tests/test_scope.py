"""Who sees a case's assistance: deny by default, 404 outside scope, and a partner
organisation only while a live referral grants it the assistance section."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from atis.assistance import selectors, services
from atis.assistance.tests.helpers import DAY, identified_case, refer, service_type, shelter
from atis.audit.models import AuditEntry
from atis.cases import services as case_services
from atis.cases.models import Section

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(personas):  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    return personas, manager, identified_case(manager)


def _url(case) -> str:  # type: ignore[no-untyped-def]
    return reverse("assistance:case", kwargs={"public_id": case.public_id})


def test_an_ngo_sees_nothing_before_a_referral(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    assert signed_in("ngo").get(_url(case)).status_code == 404
    with pytest.raises(Http404):
        selectors.assistance_case_for(personas["ngo"].user, case.public_id)


def test_a_referral_without_the_assistance_section_opens_no_assistance(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    ngo, ngo_user = personas["ngo"].organisation, personas["ngo"].user
    refer(manager, case, ngo, sections=[Section.CASE])
    assert signed_in("ngo").get(_url(case)).status_code == 404
    with pytest.raises(PermissionDenied):
        services.service_record(actor=ngo_user, case=case, service_type=service_type(), provider=ngo, started_on=DAY)
    assert not AuditEntry.objects.filter(action="read", object_ref=str(case.public_id), actor_label="ngo").exists()


def test_a_referral_granting_assistance_opens_it_until_revoked(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    ngo, ngo_user = personas["ngo"].organisation, personas["ngo"].user
    referral = refer(manager, case, ngo)
    client = signed_in("ngo")
    assert client.get(_url(case)).status_code == 200
    service = services.service_record(
        actor=ngo_user, case=case, service_type=service_type(), provider=ngo, started_on=DAY
    )

    case_services.referral_revoke(actor=manager, referral=referral, reason="Moved to another county")
    assert client.get(_url(case)).status_code == 404
    with pytest.raises(Http404):
        selectors.service_for(ngo_user, service.public_id)
    with pytest.raises(PermissionDenied):
        services.service_update(actor=ngo_user, service=service, outcome="completed", ended_on=DAY)


def test_regional_scope_follows_the_county(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    assert signed_in("manager_iasi").get(_url(case)).status_code == 200
    assert signed_in("coordinator").get(_url(case)).status_code == 200
    assert signed_in("manager_cluj").get(_url(case)).status_code == 404
    plan = services.plan_create(actor=manager, case=case, needs_assessment="Needs")
    goal = services.goal_add(actor=manager, plan=plan, description="Housing", domain=service_type())
    with pytest.raises(Http404):
        selectors.goal_for(personas["manager_cluj"].user, goal.public_id)
    response = signed_in("manager_cluj").post(
        reverse("assistance:goal_update", kwargs={"public_id": goal.public_id}),
        {f"goal-{goal.public_id}-status": "dropped"},
    )
    assert response.status_code == 404
    goal.refresh_from_db()
    assert goal.status == "planned"


def test_a_placement_outside_scope_cannot_be_released(scene, signed_in) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    place = shelter(personas["admin"].user, capacity=2)
    placement = services.shelter_place(actor=manager, case=case, shelter=place, starts_on=DAY)
    response = signed_in("manager_cluj").post(
        reverse("assistance:shelter_release", kwargs={"public_id": placement.public_id}),
        {"release-ends_on": DAY.isoformat()},
    )
    assert response.status_code == 404
    placement.refresh_from_db()
    assert placement.is_open


def test_the_shelter_list_is_for_case_managers_and_counts_free_places(scene) -> None:  # type: ignore[no-untyped-def]
    personas, manager, case = scene
    place = shelter(personas["admin"].user, capacity=3)
    services.shelter_place(actor=manager, case=case, shelter=place, starts_on=DAY)
    row = selectors.shelters_with_free_places(manager).get(pk=place.pk)
    assert (row.capacity, row.taken, row.free_places) == (3, 1, 2)  # type: ignore[attr-defined]
    for outsider in ("ngo", "operator", "analyst", "admin", "auditor"):
        assert not selectors.shelters_with_free_places(personas[outsider].user).exists()
