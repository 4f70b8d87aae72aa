"""Who sees what: partners see their own organisation's data; agreements are internal by default;
county teams follow the county (centre) or the membership (partner); transnational referrals
follow their case."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from atis.cooperation import selectors, services
from atis.cooperation.models import AgreementVisibility, ContactPoint
from atis.cooperation.tests import helpers


def test_a_partner_sees_only_its_own_organisation_in_the_directory(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    visible = selectors.partners_visible_to(personas["ngo"].user)
    assert list(visible) == [personas["ngo"].organisation]
    page = signed_in("ngo").get(reverse("cooperation:partners"))
    assert "Test NGO Iași" in page.content.decode()
    assert "Test Police Iași" not in page.content.decode()
    assert selectors.partners_visible_to(personas["manager_cluj"].user).filter(name="Test NGO Iași").exists()


def test_agreements_are_internal_by_default_even_for_their_parties(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    coordinator = personas["coordinator"].user
    hq, ngo = personas["coordinator"].organisation, personas["ngo"].organisation
    internal = services.agreement_save(
        actor=coordinator, parties=[hq, ngo], title="Internal", kind="protocol", signed_on=helpers.TODAY
    )
    assert internal.visibility == AgreementVisibility.INTERNAL
    shared = helpers.agreement(coordinator, [hq, ngo], title="Shared", visibility=AgreementVisibility.PARTIES)
    helpers.agreement(
        coordinator, [hq, helpers.counterpart()], title="Shared elsewhere", visibility=AgreementVisibility.PARTIES
    )

    assert list(selectors.agreements_visible_to(personas["ngo"].user)) == [shared]
    assert signed_in("ngo").get(reverse("cooperation:agreement", args=[internal.public_id])).status_code == 404
    assert not selectors.agreements_visible_to(personas["reporter"].user).exists()
    assert selectors.agreements_visible_to(personas["manager_cluj"].user).count() == 3


def test_a_centre_sees_its_counties_teams_and_a_partner_the_teams_it_sits_on(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    coordinator = personas["coordinator"].user
    iasi = helpers.team(coordinator, "IS", [personas["ngo"].organisation])
    cluj = helpers.team(coordinator, "CJ")

    assert list(selectors.teams_visible_to(personas["manager_iasi"].user)) == [iasi]
    assert list(selectors.teams_visible_to(personas["manager_cluj"].user)) == [cluj]
    assert list(selectors.teams_visible_to(personas["ngo"].user)) == [iasi]
    assert not selectors.teams_visible_to(personas["reporter"].user).exists()
    assert selectors.teams_visible_to(personas["coordinator"].user).count() == 2
    assert signed_in("manager_cluj").get(reverse("cooperation:team", args=[iasi.public_id])).status_code == 404


def test_a_centre_cannot_record_a_meeting_of_another_centres_county(personas) -> None:  # type: ignore[no-untyped-def]
    import pytest
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    iasi = helpers.team(personas["coordinator"].user, "IS")
    # Another centre's team is not found (the policy's 404), not merely forbidden.
    with pytest.raises(Http404):
        helpers.meeting(personas["manager_cluj"].user, iasi)
    with pytest.raises(PermissionDenied):
        services.team_create(
            actor=personas["manager_cluj"].user, county=helpers.county("IS"), chair=helpers.prefecture("IS")
        )


def test_transnational_referrals_follow_the_case_scope(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    referral = helpers.transnational(personas["manager_iasi"].user)
    assert list(selectors.transnational_visible_to(personas["coordinator"].user)) == [referral]
    assert not selectors.transnational_visible_to(personas["manager_cluj"].user).exists()
    response = signed_in("manager_cluj").get(reverse("cooperation:transnational", args=[referral.public_id]))
    assert response.status_code == 404


def test_contact_persons_are_stored_encrypted(personas) -> None:  # type: ignore[no-untyped-def]
    contact = services.contact_point_add(
        actor=personas["coordinator"].user,
        organisation=personas["ngo"].organisation,
        role="Referral focal point",
        name="Ileana Cosânzeana",
        phone="0722 123 456",
        email="ileana@example.org",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT role, name, phone, email FROM cooperation_contactpoint WHERE id = %s", [contact.pk])
        role, *personal = cursor.fetchone()
    assert role == "Referral focal point"
    assert not any(value in raw for raw in personal for value in ("Ileana", "0722", "ileana@"))
    assert ContactPoint.objects.get(pk=contact.pk).name == "Ileana Cosânzeana"


def test_an_agreements_library_documents_show_only_to_those_the_library_allows(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    coordinator = personas["coordinator"].user
    shared = helpers.agreement(
        coordinator,
        [personas["coordinator"].organisation, personas["ngo"].organisation],
        visibility=AgreementVisibility.PARTIES,
    )
    internal_text = helpers.library_document(coordinator, title="Textul intern al protocolului")
    public_text = helpers.library_document(coordinator, title="Comunicat public", visibility="public")
    response = signed_in("coordinator").post(
        reverse("cooperation:document_link", args=[shared.public_id]), {"document-document": internal_text.pk}
    )
    assert response.status_code == 302
    services.agreement_document_link(actor=coordinator, agreement=shared, document=public_text)

    url = reverse("cooperation:agreement", args=[shared.public_id])
    page = signed_in("manager_iasi").get(url).content.decode()
    assert "Textul intern al protocolului" in page and "Comunicat public" in page
    # The NGO is a party and sees the agreement, but the library keeps internal texts from it.
    page = signed_in("ngo").get(url).content.decode()
    assert "Comunicat public" in page
    assert "Textul intern al protocolului" not in page
