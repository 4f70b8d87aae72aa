"""The HelpLine operator notifies and reads what they opened; the case manager decides the rest."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from atis.audit.models import AuditEntry
from atis.cases import services
from atis.cases.models import CaseStatus, ConsentPurpose, Section
from atis.cases.permissions import cases as policy
from atis.cases.tests.helpers import code, open_case
from atis.codelists.models import CodeList
from atis.organisations.models import Organisation

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 10)


@pytest.fixture
def operator_case(personas):  # type: ignore[no-untyped-def]
    """A case the operator opened, identified since by the Iași centre."""
    case = open_case(personas["operator"].user)
    return services.case_identify(
        actor=personas["manager_iasi"].user,
        case=case,
        identified_on=DAY,
        identifying_institution=Organisation.objects.get(name="Test Police Iași"),
    )


def _referral(personas):  # type: ignore[no-untyped-def]
    return services.ReferralRequest(
        to_organisation=personas["ngo"].organisation,
        services=[code(CodeList.SERVICE_TYPE, "psychological")],
        sections=[Section.CASE],
    )


def test_the_operator_opens_a_case_without_becoming_its_manager(personas) -> None:  # type: ignore[no-untyped-def]
    case = open_case(personas["operator"].user)
    assert case.created_by == personas["operator"].user
    assert case.case_manager is None, "the centre assigns its own case manager"
    assert policy.allowed(personas["operator"].user, case) == {"view", "view_identity", "note"}


def test_the_operator_is_refused_identification_referral_and_closure_by_the_services(  # type: ignore[no-untyped-def]
    personas,
) -> None:
    operator = personas["operator"].user
    case = open_case(operator)
    police = Organisation.objects.get(name="Test Police Iași")
    with pytest.raises(PermissionDenied):
        services.case_identify(actor=operator, case=case, identified_on=DAY, identifying_institution=police)
    with pytest.raises(PermissionDenied):
        services.case_mark_not_victim(actor=operator, case=case, deciding_institution=police)
    case = services.case_identify(
        actor=personas["manager_iasi"].user, case=case, identified_on=DAY, identifying_institution=police
    )
    services.consent_record(
        actor=personas["manager_iasi"].user,
        case=case,
        purpose=ConsentPurpose.SHARING,
        organisation=personas["ngo"].organisation,
        given_on=DAY,
    )
    with pytest.raises(PermissionDenied):
        services.referral_send(actor=operator, case=case, request=_referral(personas))
    with pytest.raises(PermissionDenied):
        services.case_close(actor=operator, case=case, closed_on=DAY, reason=code(CodeList.CLOSURE_REASON, "other"))
    case.refresh_from_db()
    assert case.status == CaseStatus.IDENTIFIED and not case.referrals.exists()


@pytest.mark.parametrize("url_name", ["cases:identify", "cases:not_victim", "cases:close", "cases:referral_send"])
def test_the_operator_is_refused_identification_referral_and_closure_on_the_page(  # type: ignore[no-untyped-def]
    signed_in, personas, operator_case, url_name
) -> None:
    client = signed_in("operator")
    response = client.post(reverse(url_name, args=[operator_case.public_id]), {})
    assert response.status_code == 403
    operator_case.refresh_from_db()
    assert operator_case.status == CaseStatus.IDENTIFIED and not operator_case.referrals.exists()
    assert AuditEntry.objects.filter(action="access.denied", actor_label="operator").exists()


def test_the_operators_case_page_offers_no_decision(signed_in, personas, operator_case) -> None:  # type: ignore[no-untyped-def]
    page = signed_in("operator").get(reverse("cases:detail", args=[operator_case.public_id]))
    assert page.status_code == 200
    html = page.content.decode()
    for url_name in ("cases:close", "cases:edit", "cases:start_assistance"):
        assert reverse(url_name, args=[operator_case.public_id]) not in html
    referrals = signed_in("operator").get(reverse("cases:referrals", args=[operator_case.public_id]))
    assert reverse("cases:referral_send", args=[operator_case.public_id]) not in referrals.content.decode()
    # The case manager of the centre gets the steps the operator does not.
    manager_page = signed_in("manager_iasi").get(reverse("cases:detail", args=[operator_case.public_id]))
    assert reverse("cases:close", args=[operator_case.public_id]) in manager_page.content.decode()
