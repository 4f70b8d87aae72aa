"""The case file: one URL per tab, 404 outside the scope or the granted sections, every
read audited, identity only on the person tab."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from atis.audit.models import AuditEntry
from atis.cases.models import Case, Section
from atis.cases.tests.helpers import VALID_CNP_ADULT, identify_and_refer, open_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    # A request to an /en/ page leaves English active in this thread; the next test
    # (of any module) must start from the default language again.
    yield
    translation.deactivate()


DAY = datetime.date(2026, 3, 10)
TABS = ("detail", "person", "events", "consent", "referrals", "proceedings", "notes", "history")


def en(name: str, case: Case) -> str:
    with translation.override("en"):
        return reverse(f"cases:{name}", kwargs={"public_id": case.public_id})


@pytest.fixture
def case(personas) -> Case:  # type: ignore[no-untyped-def]
    return open_case(personas["manager_iasi"].user, cnp=VALID_CNP_ADULT, first_name="Teodora")


def _refer(personas: Any, case: Case, sections: list[str]) -> None:
    manager, ngo = personas["manager_iasi"].user, personas["ngo"].organisation
    identify_and_refer(manager, case, ngo, sections, on=DAY)


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_opens_with_itself_active_and_writes_a_read_entry(signed_in, case, tab) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("coordinator").get(en(tab, case))
    assert response.status_code == 200
    active = "case" if tab == "detail" else tab
    assert response.context["active_tab"] == active
    assert 'class="nav-link active" aria-current="page"' in response.content.decode()
    entry = AuditEntry.objects.filter(action="read").latest("sequence")
    assert entry.actor_label == "coordinator"
    if tab == "person":
        assert (entry.object_ref, entry.details) == (str(case.person.public_id), {"section": "person"})
    else:
        assert (entry.object_ref, entry.details) == (str(case.public_id), {"section": active})


def test_the_identity_is_shown_on_the_person_tab_only(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("manager_iasi")
    person_tab = client.get(en("person", case)).content.decode()
    assert "Teodora" in person_tab and VALID_CNP_ADULT in person_tab
    for tab in ("detail", "events", "consent", "referrals", "proceedings", "notes", "history"):
        html = client.get(en(tab, case)).content.decode()
        assert "Teodora" not in html and VALID_CNP_ADULT not in html, tab


@pytest.mark.parametrize("tab", TABS)
def test_a_case_outside_the_scope_answers_404_on_every_tab(signed_in, case, tab) -> None:  # type: ignore[no-untyped-def]
    assert signed_in("manager_cluj").get(en(tab, case)).status_code == 404
    assert signed_in("operator").get(en(tab, case)).status_code == 404
    assert not AuditEntry.objects.filter(action="read").exists()


def test_a_receiving_organisation_opens_only_the_granted_tabs(signed_in, personas, case) -> None:  # type: ignore[no-untyped-def]
    _refer(personas, case, [Section.CASE, Section.NOTES])
    client = signed_in("ngo")
    answers = {tab: client.get(en(tab, case)).status_code for tab in TABS}
    assert answers == {
        "detail": 200,
        "person": 404,
        "events": 404,
        "consent": 200,
        "referrals": 200,
        "proceedings": 404,
        "notes": 200,
        "history": 404,
    }
    nav = [item["key"] for item in client.get(en("detail", case)).context["nav"]]
    assert nav == ["case", "consent", "referrals", "notes"]


def test_without_the_case_section_the_file_opens_on_the_first_granted_tab(signed_in, personas, case) -> None:  # type: ignore[no-untyped-def]
    _refer(personas, case, [Section.EVENTS])
    response = signed_in("ngo").get(en("detail", case))
    assert response.status_code == 302 and response["Location"] == en("events", case)


def test_the_history_lists_who_read_the_case_for_those_in_charge(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    signed_in("coordinator").get(en("person", case))
    response = signed_in("manager_iasi").get(en("history", case))
    entries = list(response.context["page"])
    actions = [(entry.actor_label, entry.action) for entry in entries]
    assert ("coordinator", "read") in actions and "case.create" in [action for _, action in actions]
    assert all(entry.object_ref in (str(case.public_id), str(case.person.public_id)) for entry in entries)


def test_htmx_swaps_only_the_tabs(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("coordinator").get(en("events", case), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="case-tabs")
    html = response.content.decode()
    assert "<html" not in html and 'class="nav nav-tabs' in html
    full = signed_in("coordinator").get(en("events", case)).content.decode()
    assert "<html" in full and 'id="case-tabs"' in full


def test_the_assistance_tab_links_out_only_when_that_module_answers(signed_in, case, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from atis.cases import views

    monkeypatch.setattr(views, "_assistance_url", lambda case: None)
    keys = [item["key"] for item in signed_in("coordinator").get(en("detail", case)).context["nav"]]
    assert "assistance" not in keys
    monkeypatch.setattr(views, "_assistance_url", lambda case: f"/en/assistance/{case.public_id}/")
    nav = signed_in("coordinator").get(en("detail", case)).context["nav"]
    keys = [item["key"] for item in nav]
    assert keys.index("assistance") == keys.index("referrals") + 1
    assert nav[keys.index("assistance")]["url"] == f"/en/assistance/{case.public_id}/"


def test_the_assistance_url_is_none_when_it_does_not_resolve(case, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.urls import NoReverseMatch

    from atis.cases import views

    def missing(*args: Any, **kwargs: Any) -> str:
        raise NoReverseMatch("assistance:case")

    monkeypatch.setattr(views, "reverse", missing)
    assert views._assistance_url(case) is None


def test_an_unknown_case_answers_404(signed_in) -> None:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        url = reverse("cases:detail", kwargs={"public_id": "00000000-0000-4000-8000-000000000000"})
    assert signed_in("coordinator").get(url).status_code == 404
