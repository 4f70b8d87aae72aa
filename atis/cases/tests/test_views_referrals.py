"""Consent and referrals through the screens: record, refer, answer from the inbox,
complete, revoke, withdraw."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from atis.audit.models import AuditEntry
from atis.cases import services
from atis.cases.models import Case, CaseStatus, Consent, Referral, ReferralStatus, Section
from atis.cases.tests.helpers import code, open_case
from atis.codelists.models import CodeList
from atis.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    # A request to an /en/ page leaves English active in this thread; the next test
    # (of any module) must start from the default language again.
    yield
    translation.deactivate()


DAY = datetime.date(2026, 3, 10)


def en(name: str, **kwargs: Any) -> str:
    with translation.override("en"):
        return reverse(f"cases:{name}", kwargs=kwargs)


@pytest.fixture
def case(personas) -> Case:  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    return services.case_identify(
        actor=manager,
        case=open_case(manager),
        identified_on=DAY,
        identifying_institution=Organisation.objects.get(name="Test Police Iași"),
    )


def _consent(client: Any, case: Case, organisation: Organisation) -> Any:
    return client.post(
        en("consent_record", public_id=case.public_id),
        {"purpose": "sharing", "organisation": organisation.pk, "given_on": "2026-03-11"},
    )


def _refer(client: Any, case: Case, organisation: Organisation, **extra: Any) -> Any:
    return client.post(
        en("referral_send", public_id=case.public_id),
        {
            "to_organisation": organisation.pk,
            "services": [code(CodeList.SERVICE_TYPE, "psychological").pk, code(CodeList.SERVICE_TYPE, "legal").pk],
            "sections": [Section.CASE, Section.EVENTS],
            "reason": code(CodeList.REFERRAL_REASON, "additional_services").pk,
            "message": "Please call before visiting.",
            **extra,
        },
    )


def test_consent_then_referral_then_the_ngo_accepts_and_completes(signed_in, personas, case) -> None:  # type: ignore[no-untyped-def]
    manager, ngo_client = signed_in("manager_iasi"), signed_in("ngo")
    ngo = personas["ngo"].organisation
    assert ngo_client.get(en("detail", public_id=case.public_id)).status_code == 404

    response = _consent(manager, case, ngo)
    assert response.status_code == 302 and response["Location"] == en("consent", public_id=case.public_id)
    assert Consent.objects.get(case=case).organisation == ngo

    response = _refer(manager, case, ngo)
    assert response.status_code == 302
    referral = Referral.objects.get(case=case)
    assert referral.sections == [Section.CASE, Section.EVENTS] and referral.consent is not None
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED

    inbox = ngo_client.get(en("referral_inbox")).content.decode()
    assert case.reference in inbox and "Please call before visiting." in inbox
    assert ngo_client.post(en("referral_accept", public_id=referral.public_id)).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.answered_by_id == personas["ngo"].user.pk

    assert ngo_client.get(en("detail", public_id=case.public_id)).status_code == 200
    assert ngo_client.get(en("events", public_id=case.public_id)).status_code == 200
    assert ngo_client.get(en("person", public_id=case.public_id)).status_code == 404
    in_progress = ngo_client.get(en("referral_inbox")).context["in_progress"]
    assert list(in_progress) == [referral]

    assert ngo_client.post(en("referral_complete", public_id=referral.public_id)).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    tab = manager.get(en("referrals", public_id=case.public_id)).content.decode()
    assert "completed" in tab and "Test NGO Iași" in tab


def test_a_referral_without_consent_is_refused_with_the_reason(signed_in, personas, case) -> None:  # type: ignore[no-untyped-def]
    response = _refer(signed_in("manager_iasi"), case, personas["ngo"].organisation)
    assert response.status_code == 200
    assert "has not consented to share data with" in response.content.decode()
    assert not Referral.objects.exists()


def test_the_override_field_is_offered_only_to_roles_that_may_override(signed_in, personas, case) -> None:  # type: ignore[no-untyped-def]
    manager_tab = signed_in("manager_iasi").get(en("referrals", public_id=case.public_id))
    assert "override_reason" not in manager_tab.context["referral_form"].fields
    # Posting it anyway changes nothing: the field is not even read.
    _refer(signed_in("manager_iasi"), case, personas["ngo"].organisation, override_reason="urgent")
    assert not Referral.objects.exists()

    coordinator = signed_in("coordinator")
    assert 'name="override_reason"' in coordinator.get(en("referrals", public_id=case.public_id)).content.decode()
    assert _refer(coordinator, case, personas["ngo"].organisation, override_reason="Urgent shelter").status_code == 302
    referral = Referral.objects.get()
    assert referral.consent is None and referral.override_reason == "Urgent shelter"


def test_the_ngo_rejects_with_a_reason_and_loses_access(signed_in, personas, case) -> None:  # type: ignore[no-untyped-def]
    manager, ngo_client = signed_in("manager_iasi"), signed_in("ngo")
    _consent(manager, case, personas["ngo"].organisation)
    _refer(manager, case, personas["ngo"].organisation)
    referral = Referral.objects.get()
    response = ngo_client.post(en("referral_reject", public_id=referral.public_id), {"reason": ""}, follow=True)
    assert "Say why the referral is rejected." in response.content.decode()
    ngo_client.post(en("referral_reject", public_id=referral.public_id), {"reason": "No places left"})
    referral.refresh_from_db()
    assert (referral.status, referral.response_reason) == (ReferralStatus.REJECTED, "No places left")
    assert ngo_client.get(en("detail", public_id=case.public_id)).status_code == 404
    assert "No places left" in manager.get(en("referrals", public_id=case.public_id)).content.decode()


def test_another_organisation_cannot_answer_the_referral(signed_in, personas, case) -> None:  # type: ignore[no-untyped-def]
    _consent(signed_in("manager_iasi"), case, personas["ngo"].organisation)
    _refer(signed_in("manager_iasi"), case, personas["ngo"].organisation)
    referral = Referral.objects.get()
    assert signed_in("manager_cluj").post(en("referral_accept", public_id=referral.public_id)).status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_the_sender_revokes_and_the_ngo_loses_access(signed_in, personas, case) -> None:  # type: ignore[no-untyped-def]
    manager = signed_in("manager_iasi")
    _consent(manager, case, personas["ngo"].organisation)
    _refer(manager, case, personas["ngo"].organisation)
    referral = Referral.objects.get()
    response = manager.post(en("referral_revoke", public_id=referral.public_id), {"reason": "Sent by mistake"})
    assert response.status_code == 302 and response["Location"] == en("referrals", public_id=case.public_id)
    referral.refresh_from_db()
    assert (referral.status, referral.response_reason) == (ReferralStatus.REVOKED, "Sent by mistake")
    assert signed_in("ngo").get(en("detail", public_id=case.public_id)).status_code == 404
    assert signed_in("manager_cluj").post(en("referral_revoke", public_id=referral.public_id)).status_code == 404


def test_withdrawing_consent_explains_and_revokes_the_referrals_relying_on_it(signed_in, personas, case) -> None:  # type: ignore[no-untyped-def]
    manager = signed_in("manager_iasi")
    _consent(manager, case, personas["ngo"].organisation)
    _refer(manager, case, personas["ngo"].organisation)
    consent = Consent.objects.get()
    tab = manager.get(en("consent", public_id=case.public_id)).content.decode()
    assert "Withdrawing revokes 1 open referral that relies on it." in tab
    assert "the open referrals that rely on it are revoked" in tab
    response = manager.post(
        en("consent_withdraw", public_id=case.public_id),
        {"consent": consent.pk, "withdrawn_on": "2026-03-12"},
        follow=True,
    )
    assert "Referrals revoked because they relied on it: 1." in response.content.decode()
    assert Referral.objects.get().status == ReferralStatus.REVOKED
    assert signed_in("ngo").get(en("detail", public_id=case.public_id)).status_code == 404
    assert AuditEntry.objects.get(action="consent.withdraw").details == {"purpose": "sharing", "referrals_revoked": 1}


def test_a_consent_of_another_case_cannot_be_withdrawn_through_this_one(signed_in, personas, case) -> None:  # type: ignore[no-untyped-def]
    other = open_case(personas["manager_iasi"].user)
    consent = services.consent_record(
        actor=personas["manager_iasi"].user, case=other, purpose="assistance", given_on=DAY
    )
    response = signed_in("manager_iasi").post(
        en("consent_withdraw", public_id=case.public_id), {"consent": consent.pk, "withdrawn_on": "2026-03-12"}
    )
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_consent_for_sharing_needs_the_organisation(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("manager_iasi").post(
        en("consent_record", public_id=case.public_id), {"purpose": "sharing", "given_on": "2026-03-11"}
    )
    assert response.status_code == 200
    assert response.context["consent_form"].errors["organisation"]
    assert not Consent.objects.exists()


def test_the_receiving_organisation_sees_only_its_own_referrals(signed_in, personas, case) -> None:  # type: ignore[no-untyped-def]
    manager = signed_in("manager_iasi")
    itm = Organisation.objects.get(name="Test ITM Iași")
    for organisation in (personas["ngo"].organisation, itm):
        _consent(manager, case, organisation)
        _refer(manager, case, organisation)
    tab = signed_in("ngo").get(en("referrals", public_id=case.public_id))
    assert [referral.to_organisation for referral in tab.context["referrals"]] == [personas["ngo"].organisation]
    assert len(manager.get(en("referrals", public_id=case.public_id)).context["referrals"]) == 2
