from __future__ import annotations

import pytest
from django.urls import reverse

from atis.accounts.models import User
from atis.accounts.selectors import scope_of
from atis.audit.models import AuditEntry
from atis.geo.models import County
from atis.organisations.models import CentreCoverage, Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


def test_an_administrator_adds_an_organisation(signed_in) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("admin").post(
        reverse("organisations:create"),
        {
            "name": "Asociația Test Nouă",
            "short_name": "ATN",
            "kind": OrganisationKind.NGO,
            "county": County.objects.get(mnemonic="SB").pk,
            "country": "RO",
            "is_active": "on",
        },
    )
    organisation = Organisation.objects.get(name="Asociația Test Nouă")
    assert response["Location"] == reverse("organisations:detail", kwargs={"public_id": organisation.public_id})
    assert organisation.htcds_type == "NGO"
    assert AuditEntry.objects.filter(action="organisation.create", object_label="Asociația Test Nouă").exists()


def test_a_duplicate_name_is_refused_and_nothing_changes(signed_in) -> None:  # type: ignore[no-untyped-def]
    before = Organisation.objects.count()
    response = signed_in("admin").post(
        reverse("organisations:create"),
        {"name": "Centrul Regional Iași", "kind": OrganisationKind.NGO, "country": "RO", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert Organisation.objects.count() == before


def test_moving_a_county_to_another_centre_moves_what_its_managers_see(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    vaslui = County.objects.get(mnemonic="VS")
    cluj = Organisation.objects.get(name="Centrul Regional Cluj-Napoca")
    assert vaslui.pk in scope_of(User.objects.get(username="manager_iasi")).county_ids

    form = {row.county.iso_code: row.centre_id for row in CentreCoverage.objects.select_related("county")}
    form[vaslui.iso_code] = cluj.pk
    response = signed_in("admin").post(reverse("organisations:coverage"), form)
    assert response.status_code == 302

    assert CentreCoverage.objects.get(county=vaslui).centre == cluj
    assert vaslui.pk not in scope_of(User.objects.get(username="manager_iasi")).county_ids
    assert vaslui.pk in scope_of(User.objects.get(username="manager_cluj")).county_ids
    entry = AuditEntry.objects.get(action="organisation.coverage_change")
    assert entry.details == {"from": "CR Iași", "to": "CR Cluj-Napoca"}


def test_a_county_cannot_be_given_to_an_organisation_that_is_not_a_centre(signed_in) -> None:  # type: ignore[no-untyped-def]
    form = {row.county.iso_code: row.centre_id for row in CentreCoverage.objects.select_related("county")}
    form["RO-VS"] = Organisation.objects.get(short_name="ANITP").pk
    response = signed_in("admin").post(reverse("organisations:coverage"), form)
    assert response.status_code == 200
    assert CentreCoverage.objects.get(county__mnemonic="VS").centre.name == "Centrul Regional Iași"


def test_the_list_filters_by_kind_and_answers_htmx_with_rows_only(signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("coordinator")
    response = client.get(
        reverse("organisations:list"), {"kind": OrganisationKind.ANITP_CENTRE}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert "<html" not in content
    assert content.count("Centrul Regional") == 15
    assert "Test NGO" not in content


def test_a_regional_manager_lists_only_organisations_of_their_counties(signed_in) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("manager_iasi").get(reverse("organisations:list"))
    names = {organisation.name for organisation in response.context["page"]}
    assert "Test NGO Iași" in names
    assert all(organisation.county.mnemonic in {"IS", "VS"} for organisation in response.context["page"])


def test_reading_a_staff_account_is_audited(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    signed_in("admin").get(reverse("accounts:user_detail", kwargs={"public_id": personas["analyst"].user.public_id}))
    entry = AuditEntry.objects.get(action="read")
    assert (entry.actor_label, entry.object_type, entry.object_label) == ("admin", "accounts.user", "analyst")
