"""The pages, as users use them: forms in, messages and records out, refusals change nothing."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from atis.assistance.tests.helpers import identified_case
from atis.audit.models import AuditEntry
from atis.cooperation import services
from atis.cooperation.models import (
    Agreement,
    CountyTeam,
    Decision,
    DecisionStatus,
    Meeting,
    PartnerService,
    TransnationalReferral,
)
from atis.cooperation.tests import helpers


def test_a_manager_records_a_meeting_with_a_decision(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    centre, ngo = personas["manager_iasi"].organisation, personas["ngo"].organisation
    team = helpers.team(personas["coordinator"].user, "IS", [centre, ngo])
    client = signed_in("manager_iasi")
    today = timezone.localdate()

    response = client.post(
        reverse("cooperation:meeting_create", args=[team.public_id]),
        {"held_on": today.isoformat(), "participants": [centre.pk, ngo.pk], "agenda": "Cazuri noi", "minutes": "Note"},
    )
    meeting = Meeting.objects.get(team=team)
    assert response.status_code == 302
    assert response["Location"] == reverse("cooperation:meeting", args=[meeting.public_id])
    assert set(meeting.participants.all()) == {centre, ngo}

    response = client.post(
        reverse("cooperation:decision_add", args=[meeting.public_id]),
        {
            "decision-text": "Sesiuni de informare în școli",
            "decision-owner_organisation": ngo.pk,
            "decision-due_on": (today + datetime.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(meeting=meeting)
    assert decision.owner_organisation == ngo and decision.status == DecisionStatus.OPEN
    page = client.get(reverse("cooperation:meeting", args=[meeting.public_id])).content.decode()
    assert "Sesiuni de informare în școli" in page
    assert AuditEntry.objects.filter(action="read", object_ref=str(meeting.public_id)).exists()


def test_a_meeting_refuses_participants_outside_the_team(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    team = helpers.team(personas["coordinator"].user, "IS", [personas["manager_iasi"].organisation])
    ngo = personas["ngo"].organisation
    response = signed_in("coordinator").post(
        reverse("cooperation:meeting_create", args=[team.public_id]),
        {"held_on": "2026-05-01", "participants": [ngo.pk], "agenda": "Cazuri noi"},
    )
    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_a_decision_cannot_fall_due_before_its_meeting(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    centre = personas["manager_iasi"].organisation
    team = helpers.team(personas["coordinator"].user, "IS", [centre])
    meeting = helpers.meeting(personas["coordinator"].user, team)
    response = signed_in("manager_iasi").post(
        reverse("cooperation:decision_add", args=[meeting.public_id]),
        {"decision-text": "Ceva", "decision-owner_organisation": centre.pk, "decision-due_on": "2026-01-01"},
    )
    assert response.status_code == 200
    assert (
        "cannot be due before the meeting" in response.content.decode()
        or "înainte de ședința" in response.content.decode()
    )
    assert not Decision.objects.exists()


def test_the_owner_of_a_decision_records_its_follow_up(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    coordinator, ngo = personas["coordinator"].user, personas["ngo"].organisation
    team = helpers.team(coordinator, "IS", [ngo])
    meeting = helpers.meeting(coordinator, team)
    decision = services.decision_add(
        actor=coordinator,
        meeting=meeting,
        text="Sesiuni de informare",
        owner_organisation=ngo,
        owner=personas["ngo"].user,
        due_on=helpers.TODAY + datetime.timedelta(days=10),
    )
    other = services.decision_add(
        actor=coordinator, meeting=meeting, text="Alt punct", owner_organisation=ngo, due_on=helpers.TODAY
    )
    client = signed_in("ngo")
    prefix = f"follow-{decision.pk}"
    response = client.post(
        reverse("cooperation:decision_follow_up", args=[decision.public_id]),
        {f"{prefix}-noted_on": "2026-06-05", f"{prefix}-note": "Trei sesiuni ținute", f"{prefix}-status": "done"},
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DONE and decision.closed_on == datetime.date(2026, 6, 5)
    assert decision.updates.get().note == "Trei sesiuni ținute"

    # A decision the NGO's user does not own personally: not theirs to close.
    prefix = f"follow-{other.pk}"
    response = client.post(
        reverse("cooperation:decision_follow_up", args=[other.public_id]),
        {f"{prefix}-noted_on": "2026-06-05", f"{prefix}-note": "x", f"{prefix}-status": "done"},
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == DecisionStatus.OPEN


def test_one_team_per_county(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    helpers.team(personas["coordinator"].user, "IS")
    response = signed_in("coordinator").post(
        reverse("cooperation:team_create"),
        {"county": helpers.county("IS").pk, "chair": helpers.prefecture("IS").pk},
    )
    assert response.status_code == 200
    assert CountyTeam.objects.count() == 1


def test_the_team_is_chaired_by_a_prefecture(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("coordinator").post(
        reverse("cooperation:team_create"),
        {"county": helpers.county("CJ").pk, "chair": personas["ngo"].organisation.pk},
    )
    assert response.status_code == 200
    assert not CountyTeam.objects.exists()


def test_the_service_directory_is_searched_by_county_and_type(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    coordinator = personas["coordinator"].user
    ngo = personas["ngo"].organisation
    police = personas["ngo"].organisation.__class__.objects.get(name="Test Police Iași")
    services.partner_service_save(
        actor=coordinator,
        organisation=ngo,
        service_type=helpers.service_type("psychological"),
        county=helpers.county("IS"),
        capacity=12,
    )
    services.partner_service_save(
        actor=coordinator, organisation=police, service_type=helpers.service_type("legal"), county=helpers.county("CJ")
    )
    client = signed_in("operator")
    url = reverse("cooperation:services")
    found = client.get(url, {"county": helpers.county("IS").pk}).context["page"]
    assert [s.organisation for s in found] == [ngo]
    assert found[0].capacity == 12
    found = client.get(url, {"service": helpers.service_type("legal").pk}).context["page"]
    assert [s.organisation for s in found] == [police]
    # Saving again updates the same listing instead of adding a second one.
    services.partner_service_save(
        actor=coordinator,
        organisation=ngo,
        service_type=helpers.service_type("psychological"),
        county=helpers.county("IS"),
        capacity=3,
    )
    assert PartnerService.objects.get(organisation=ngo).capacity == 3


def test_a_coordinator_creates_an_agreement_and_a_bad_date_changes_nothing(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("coordinator")
    parties = [personas["coordinator"].organisation.pk, personas["ngo"].organisation.pk]
    data = {
        "title": "Protocol nou",
        "kind": "protocol",
        "signed_on": "2026-01-10",
        "visibility": "internal",
        "parties": parties,
    }
    refused = client.post(reverse("cooperation:agreement_create"), {**data, "expires_on": "2025-01-01"})
    assert refused.status_code == 200
    assert not Agreement.objects.exists()
    response = client.post(reverse("cooperation:agreement_create"), {**data, "expires_on": "2028-01-10"})
    agreement = Agreement.objects.get()
    assert response["Location"] == reverse("cooperation:agreement", args=[agreement.public_id])
    assert agreement.parties.count() == 2


def test_a_transnational_referral_without_consent_is_refused_with_a_message(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    case = identified_case(personas["manager_iasi"].user)
    counterpart = helpers.counterpart("ES")
    response = signed_in("manager_iasi").post(
        reverse("cooperation:transnational_create", args=[case.public_id]),
        {
            "direction": "outgoing",
            "counterpart": counterpart.pk,
            "phase": "return",
            "sections": ["case"],
            "services": [helpers.service_type("repatriation").pk],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "consent" in response.content.decode() or "consimțământ" in response.content.decode()
    assert not TransnationalReferral.objects.exists()


def test_an_incoming_referral_is_recorded_and_its_return_tracked(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    case = identified_case(personas["manager_iasi"].user)
    client = signed_in("manager_iasi")
    response = client.post(
        reverse("cooperation:transnational_create", args=[case.public_id]),
        {"direction": "incoming", "counterpart": helpers.counterpart("DE").pk, "phase": "identification"},
    )
    referral = TransnationalReferral.objects.get()
    assert response["Location"] == reverse("cooperation:transnational", args=[referral.public_id])
    assert referral.sharing is None

    update = reverse("cooperation:transnational_update", args=[referral.public_id])
    refused = client.post(update, {"phase": "return", "status": "follow_up", "return_status": "completed"})
    assert refused.status_code == 200
    client.post(
        update,
        {
            "phase": "return",
            "status": "follow_up",
            "return_status": "completed",
            "returned_on": "2026-04-02",
            "follow_up": "Întoarsă în siguranță",
        },
    )
    referral.refresh_from_db()
    assert (referral.phase, referral.return_status, referral.returned_on) == (
        "return",
        "completed",
        datetime.date(2026, 4, 2),
    )
    assert referral.follow_up == "Întoarsă în siguranță"


def test_a_new_transnational_referral_starts_from_the_case_reference(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    case = identified_case(personas["manager_iasi"].user)
    url = reverse("cooperation:transnational_list")
    response = signed_in("manager_iasi").get(url, {"case": case.reference})
    assert response["Location"] == reverse("cooperation:transnational_create", args=[case.public_id])
    # Outside the user's scope the reference is simply not found.
    response = signed_in("manager_cluj").get(url, {"case": case.reference})
    assert response.status_code == 200 and response.context["not_found"]
