"""Who sees which contacts: the HelpLine team, the national coordinator, a notified centre."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atis.accounts.services import user_create_by_system
from atis.helpline import selectors, services
from atis.helpline.tests.helpers import county, log_contact
from atis.lib.scope import Scope, ScopeKind, restrict
from atis.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_operators_of_the_same_helpline_share_the_log(personas) -> None:  # type: ignore[no-untyped-def]
    colleague = user_create_by_system(
        username="operator2",
        first_name="Dan",
        last_name="Test",
        email="operator2@example.org",
        password="Correct-horse-battery-77",
        organisation=personas["operator"].organisation,
        role="helpline_operator",
    )
    contact = log_contact(personas["operator"].user)
    assert list(selectors.contacts_visible_to(colleague)) == [contact]


def test_an_operator_of_another_organisation_gets_404(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    other = user_create_by_system(
        username="operator_ngo",
        first_name="Ion",
        last_name="Test",
        email="operator_ngo@example.org",
        password="Correct-horse-battery-77",
        organisation=Organisation.objects.get(name="Test NGO Iași"),
        role="helpline_operator",
    )
    contact = log_contact(personas["operator"].user)
    assert not selectors.contacts_visible_to(other).exists()
    from django.test import Client

    from atis.accounts.models import Authenticator
    from conftest import Persona, sign_in

    device = Authenticator.objects.create(user=other, name="test", confirmed=True)
    client = sign_in(Client(), Persona("operator_ngo", other, device, None))
    assert client.get(reverse("helpline:detail", kwargs={"public_id": contact.public_id})).status_code == 404


def test_the_national_coordinator_sees_every_contact_and_analysts_none(personas) -> None:  # type: ignore[no-untyped-def]
    contact = log_contact(personas["operator"].user)
    assert list(selectors.contacts_visible_to(personas["coordinator"].user)) == [contact]
    for key in ("analyst", "analyst_iasi", "manager_iasi", "ngo", "auditor", "admin"):
        assert not selectors.contacts_visible_to(personas[key].user).exists(), key


def test_a_centre_scope_covers_contacts_escalated_for_its_counties(personas) -> None:  # type: ignore[no-untyped-def]
    operator = personas["operator"].user
    escalated = log_contact(operator, contact_type="report")
    services.contact_notify_authorities(
        actor=operator, contact=escalated, authority=Organisation.objects.get(name="Test Police Iași")
    )
    log_contact(operator, contact_type="report")  # same county, never escalated
    iasi = Scope(kind=ScopeKind.CENTRE, county_ids=frozenset({county("IS").pk}))
    cluj = Scope(kind=ScopeKind.CENTRE, county_ids=frozenset({county("CJ").pk}))
    from atis.helpline.models import Contact

    assert list(restrict(Contact.objects.all(), iasi, selectors.CONTACT_SCOPE)) == [escalated]
    assert not restrict(Contact.objects.all(), cluj, selectors.CONTACT_SCOPE).exists()
