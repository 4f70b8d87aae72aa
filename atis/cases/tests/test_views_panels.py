"""The case panels of the dashboard: my cases, referrals waiting, deadlines."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.urls import reverse
from django.utils import translation

from atis.cases import services
from atis.cases.models import CaseStatus, ConsentPurpose, Section
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


def dashboard(client):  # type: ignore[no-untyped-def]
    with translation.override("en"):
        return client.get(reverse("core:dashboard"))


def _titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(panel.title) for panel in response.context["work_panels"] + response.context["alert_panels"]]


def test_a_manager_sees_the_open_cases_they_manage(signed_in, personas) -> None:  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    mine = open_case(manager)
    closed = open_case(manager)
    services.case_mark_not_victim(
        actor=manager, case=closed, deciding_institution=Organisation.objects.get(name="Test Police Iași")
    )
    closed.refresh_from_db()
    services.case_close(
        actor=manager,
        case=closed,
        closed_on=datetime.date(2026, 3, 5),
        reason=code(CodeList.CLOSURE_REASON, "not_a_victim"),
    )
    response = dashboard(signed_in("manager_iasi"))
    html = response.content.decode()
    assert "Cases I manage" in _titles(response)
    assert mine.reference in html and closed.reference not in html
    with translation.override("en"):
        assert str(CaseStatus.NOTIFIED.label) in html


def test_overdue_deadlines_are_marked(signed_in, personas) -> None:  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    case = open_case(manager, notified_on=datetime.date(2025, 1, 10))
    services.case_identify(
        actor=manager,
        case=case,
        identified_on=datetime.date(2025, 1, 15),
        identifying_institution=Organisation.objects.get(name="Test Police Iași"),
    )
    response = dashboard(signed_in("manager_iasi"))
    assert "Deadlines due or overdue" in [str(panel.title) for panel in response.context["alert_panels"]]
    html = response.content.decode()
    assert case.reference in html and "overdue" in html and "1 task is overdue." in html


def test_the_receiving_organisation_sees_the_referrals_waiting(signed_in, personas) -> None:  # type: ignore[no-untyped-def]
    manager, ngo = personas["manager_iasi"].user, personas["ngo"].organisation
    case = services.case_identify(
        actor=manager,
        case=open_case(manager),
        identified_on=datetime.date(2026, 3, 10),
        identifying_institution=Organisation.objects.get(name="Test Police Iași"),
    )
    services.consent_record(
        actor=manager, case=case, purpose=ConsentPurpose.SHARING, organisation=ngo, given_on=datetime.date(2026, 3, 10)
    )
    services.referral_send(
        actor=manager,
        case=case,
        request=services.ReferralRequest(
            to_organisation=ngo, services=[code(CodeList.SERVICE_TYPE, "legal")], sections=[Section.CASE]
        ),
    )
    response = dashboard(signed_in("ngo"))
    html = response.content.decode()
    assert "Referrals awaiting my organisation" in _titles(response)
    assert "1 referral waits for an answer." in html and case.reference in html
    assert "Cases I manage" not in _titles(response)


def test_roles_without_case_rights_get_no_case_panel(signed_in) -> None:  # type: ignore[no-untyped-def]
    for persona in ("admin", "analyst", "auditor", "campaigns"):
        titles = _titles(dashboard(signed_in(persona)))
        assert not {"Cases I manage", "Referrals awaiting my organisation", "Deadlines due or overdue"} & set(titles)


def test_the_navigation_links_to_cases_and_referrals_by_right(signed_in) -> None:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        cases_url, inbox_url = reverse("cases:list"), reverse("cases:referral_inbox")
    manager = dashboard(signed_in("manager_iasi")).content.decode()
    assert f'href="{cases_url}"' in manager and f'href="{inbox_url}"' in manager
    coordinator = dashboard(signed_in("coordinator")).content.decode()
    assert f'href="{cases_url}"' in coordinator and f'href="{inbox_url}"' not in coordinator
    analyst = dashboard(signed_in("analyst")).content.decode()
    assert f'href="{cases_url}"' not in analyst
