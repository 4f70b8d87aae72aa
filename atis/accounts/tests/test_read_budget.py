"""Bulk reads: identity pages and exports share a budget per user; past it the second factor
is asked again and the auditors get an entry of its own kind. Refused attempts of an
administrator on their own account are audited too."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atis.audit.models import AuditEntry
from atis.cases.tests.helpers import open_case
from conftest import current_code

pytestmark = pytest.mark.django_db


def test_past_the_budget_identity_pages_ask_for_the_code_and_alert_the_auditors(  # type: ignore[no-untyped-def]
    personas, signed_in, settings
) -> None:
    settings.ATIS_READ_BUDGET = 3
    client = signed_in("manager_iasi")
    cases = [open_case(personas["manager_iasi"].user) for _ in range(5)]
    urls = [reverse("cases:person", kwargs={"public_id": case.public_id}) for case in cases]
    assert [client.get(url).status_code for url in urls[:3]] == [200, 200, 200]
    for url in urls[3:]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:step_up"))
    alerts = AuditEntry.objects.filter(action="read_budget.exceeded")
    assert alerts.count() == 1  # one alert for the crossing, not one per refused page
    alert = alerts.get()
    assert alert.actor_label == "manager_iasi" and alert.outcome == "denied"
    assert alert.details["limit"] == 3
    # Reads past the budget are not shown, so not audited as reads.
    assert AuditEntry.objects.filter(action="read", object_type="cases.person").count() == 3

    code = current_code(personas["manager_iasi"].device)
    response = client.post(reverse("accounts:step_up"), {"token": code, "next": urls[4]})
    assert response["Location"] == urls[4]
    assert client.get(urls[4]).status_code == 200  # the code renews the budget


def test_exports_spend_the_same_budget(personas, signed_in, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ATIS_READ_BUDGET = 2
    client = signed_in("auditor")
    export = reverse("audit:export")
    client.post(reverse("accounts:step_up"), {"token": current_code(personas["auditor"].device), "next": export})
    assert [client.get(export).status_code for _ in range(2)] == [200, 200]
    # The code was given a minute ago, but the budget is spent: it is asked again.
    response = client.get(export)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:step_up"))
    assert AuditEntry.objects.filter(action="read_budget.exceeded", actor_label="auditor").count() == 1


def test_the_budget_is_per_user(personas, signed_in, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ATIS_READ_BUDGET = 1
    case = open_case(personas["manager_iasi"].user)
    url = reverse("cases:person", kwargs={"public_id": case.public_id})
    assert signed_in("manager_iasi").get(url).status_code == 200
    assert signed_in("coordinator").get(url).status_code == 200


@pytest.mark.parametrize(
    ("url_name", "data", "action"),
    [
        ("accounts:user_membership", {"organisation": "", "role": "auditor", "scope": ""}, "user.membership_change"),
        ("accounts:user_set_active", {"active": "0"}, "user.disable"),
        ("accounts:user_reset_otp", {}, "user.second_factor_reset"),
    ],
)
def test_an_administrator_changing_their_own_account_is_refused_and_audited(  # type: ignore[no-untyped-def]
    personas, signed_in, url_name, data, action
) -> None:
    admin = personas["admin"].user
    response = signed_in("admin").post(reverse(url_name, kwargs={"public_id": admin.public_id}), data)
    assert response.status_code == 403
    entry = AuditEntry.objects.get(action=action)
    assert entry.outcome == "denied" and entry.actor_label == "admin" and entry.object_ref == str(admin.public_id)
    assert entry.details == {"refused": "own account"}
