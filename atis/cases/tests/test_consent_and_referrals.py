"""Sharing only with consent; referrals from sent to accepted, rejected, completed or revoked."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from atis.audit.models import AuditEntry
from atis.cases import services
from atis.cases.models import CaseStatus, ConsentPurpose, ReferralStatus, Section
from atis.cases.selectors import case_sections_for, cases_search, cases_visible_to, referral_inbox
from atis.cases.tests.helpers import VALID_CNP_ADULT, code, open_case
from atis.codelists.models import CodeList
from atis.organisations.models import Organisation

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 10)


@pytest.fixture
def setting(personas):  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    ngo = personas["ngo"].organisation
    case = open_case(manager, cnp=VALID_CNP_ADULT, phone="+40 722 123 456")
    case = services.case_identify(
        actor=manager,
        case=case,
        identified_on=DAY,
        identifying_institution=Organisation.objects.get(name="Test Police Iași"),
    )
    return personas, manager, ngo, case


def _request(ngo, sections=(Section.CASE, Section.ASSISTANCE), override: str = ""):  # type: ignore[no-untyped-def]
    return services.ReferralRequest(
        to_organisation=ngo,
        services=[code(CodeList.SERVICE_TYPE, "psychological"), code(CodeList.SERVICE_TYPE, "accommodation")],
        sections=list(sections),
        override_reason=override,
    )


def test_a_referral_without_consent_is_refused(setting) -> None:  # type: ignore[no-untyped-def]
    personas, manager, ngo, case = setting
    with pytest.raises(ValidationError, match=r"consent|consimțământ"):
        services.referral_send(actor=manager, case=case, request=_request(ngo))
    assert not case.referrals.exists()


def test_consent_for_another_organisation_does_not_count(setting) -> None:  # type: ignore[no-untyped-def]
    personas, manager, ngo, case = setting
    other = Organisation.objects.get(name="Test ITM Iași")
    services.consent_record(actor=manager, case=case, purpose=ConsentPurpose.SHARING, organisation=other, given_on=DAY)
    with pytest.raises(ValidationError):
        services.referral_send(actor=manager, case=case, request=_request(ngo))


def test_only_a_role_allowed_to_override_may_refer_without_consent(setting) -> None:  # type: ignore[no-untyped-def]
    personas, manager, ngo, case = setting
    with pytest.raises(PermissionDenied):
        services.referral_send(actor=manager, case=case, request=_request(ngo, override="urgent shelter needed"))
    coordinator = personas["coordinator"].user
    referral = services.referral_send(
        actor=coordinator, case=case, request=_request(ngo, override="urgent shelter needed")
    )
    assert referral.consent is None and referral.override_reason == "urgent shelter needed"
    entry = AuditEntry.objects.get(action="referral.send")
    assert entry.details["override"] is True


def test_the_full_referral_journey(setting) -> None:  # type: ignore[no-untyped-def]
    personas, manager, ngo, case = setting
    ngo_user = personas["ngo"].user
    assert not cases_visible_to(ngo_user).filter(pk=case.pk).exists()

    services.consent_record(actor=manager, case=case, purpose=ConsentPurpose.SHARING, organisation=ngo, given_on=DAY)
    referral = services.referral_send(actor=manager, case=case, request=_request(ngo))
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED
    assert list(referral_inbox(ngo_user)) == [referral]
    assert cases_visible_to(ngo_user).filter(pk=case.pk).exists()
    assert case_sections_for(ngo_user, case) == {Section.CASE, Section.ASSISTANCE}, "only the granted sections"

    # Another centre does not even see the referral: not found, not "forbidden".
    with pytest.raises(Http404):
        services.referral_accept(actor=personas["manager_cluj"].user, referral=referral)
    services.referral_accept(actor=ngo_user, referral=referral)
    assert list(referral_inbox(ngo_user)) == []
    with pytest.raises(ValidationError):
        services.referral_accept(actor=ngo_user, referral=referral)
    services.referral_complete(actor=ngo_user, referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    actions = set(AuditEntry.objects.filter(object_type="cases.referral").values_list("action", flat=True))
    assert {"referral.send", "referral.accept", "referral.completed"} <= actions


def test_a_rejection_needs_a_reason_and_closes_access(setting) -> None:  # type: ignore[no-untyped-def]
    personas, manager, ngo, case = setting
    services.consent_record(actor=manager, case=case, purpose=ConsentPurpose.SHARING, organisation=ngo, given_on=DAY)
    referral = services.referral_send(actor=manager, case=case, request=_request(ngo))
    with pytest.raises(ValidationError):
        services.referral_reject(actor=personas["ngo"].user, referral=referral, reason="  ")
    services.referral_reject(actor=personas["ngo"].user, referral=referral, reason="No places left")
    referral.refresh_from_db()
    assert (referral.status, referral.response_reason) == (ReferralStatus.REJECTED, "No places left")
    assert not cases_visible_to(personas["ngo"].user).filter(pk=case.pk).exists()


def test_withdrawing_consent_revokes_the_referrals_that_relied_on_it(setting) -> None:  # type: ignore[no-untyped-def]
    personas, manager, ngo, case = setting
    consent = services.consent_record(
        actor=manager, case=case, purpose=ConsentPurpose.SHARING, organisation=ngo, given_on=DAY
    )
    referral = services.referral_send(actor=manager, case=case, request=_request(ngo))
    services.referral_accept(actor=personas["ngo"].user, referral=referral)
    assert services.consent_withdraw(actor=manager, consent=consent, withdrawn_on=DAY) == 1
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REVOKED
    assert not cases_visible_to(personas["ngo"].user).filter(pk=case.pk).exists()
    with pytest.raises(ValidationError):
        services.referral_send(actor=manager, case=case, request=_request(ngo))


def test_revoking_ends_the_receivers_access_at_once(setting) -> None:  # type: ignore[no-untyped-def]
    personas, manager, ngo, case = setting
    services.consent_record(actor=manager, case=case, purpose=ConsentPurpose.SHARING, organisation=ngo, given_on=DAY)
    referral = services.referral_send(actor=manager, case=case, request=_request(ngo))
    services.referral_revoke(actor=manager, referral=referral, reason="Sent by mistake")
    assert not cases_visible_to(personas["ngo"].user).filter(pk=case.pk).exists()


def test_scope_centre_organisation_own_and_none(personas) -> None:  # type: ignore[no-untyped-def]
    iasi_case = open_case(personas["manager_iasi"].user, county="IS")
    cluj_case = open_case(personas["manager_cluj"].user, county="CJ")
    operator_case = open_case(personas["operator"].user, county="B")

    def visible(key: str) -> set[str]:
        return set(cases_visible_to(personas[key].user).values_list("reference", flat=True))

    assert visible("coordinator") == {iasi_case.reference, cluj_case.reference, operator_case.reference}
    assert visible("manager_iasi") == {iasi_case.reference}
    assert visible("manager_cluj") == {cluj_case.reference}
    assert visible("operator") == {operator_case.reference}
    for outsider in ("admin", "analyst", "analyst_iasi", "auditor", "campaigns", "reporter", "ngo"):
        assert visible(outsider) == set(), outsider


def test_search_by_cnp_and_phone_is_exact_and_scoped(setting) -> None:  # type: ignore[no-untyped-def]
    personas, manager, ngo, case = setting
    assert list(cases_search(manager, VALID_CNP_ADULT)) == [case]
    assert list(cases_search(manager, "0722123456")) == [case]
    assert list(cases_search(manager, "0040 722 123 456")) == [case]
    assert list(cases_search(manager, case.reference.lower())) == [case]
    assert list(cases_search(manager, VALID_CNP_ADULT[:8])) == []
    assert list(cases_search(personas["manager_cluj"].user, VALID_CNP_ADULT)) == []
