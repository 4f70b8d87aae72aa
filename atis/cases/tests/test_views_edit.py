"""Editing the case and the person: a stale form never overwrites a newer save."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from atis.audit.models import AuditEntry
from atis.cases import services
from atis.cases.forms import CaseForm, PersonForm
from atis.cases.models import Case
from atis.cases.tests.helpers import open_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    # A request to an /en/ page leaves English active in this thread; the next test
    # (of any module) must start from the default language again.
    yield
    translation.deactivate()


def en(name: str, case: Case) -> str:
    with translation.override("en"):
        return reverse(f"cases:{name}", kwargs={"public_id": case.public_id})


def _as_post(initial: dict[str, Any], prefix_free_changes: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, value in {**initial, **prefix_free_changes}.items():
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [str(item) for item in value]
        else:
            data[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return data


@pytest.fixture
def case(personas) -> Case:  # type: ignore[no-untyped-def]
    return open_case(personas["manager_iasi"].user)


def test_the_edit_form_carries_the_version_and_saves(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("manager_iasi")
    form = client.get(en("edit", case)).context["form"]
    assert form["version"].value() == 1
    data = _as_post(CaseForm.initial_for(case), {"version": 1, "destination_country": "es", "summary": "New facts."})
    response = client.post(en("edit", case), data)
    assert response.status_code == 302 and response["Location"] == en("detail", case)
    case.refresh_from_db()
    assert (case.destination_country, case.summary, case.version) == ("ES", "New facts.", 2)
    entry = AuditEntry.objects.get(action="case.update")
    assert "destination_country" in entry.details["fields"] and "New facts." not in str(entry.details)


def test_a_stale_case_form_shows_the_conflict_and_the_current_values(signed_in, personas, case) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("manager_iasi")
    stale = _as_post(CaseForm.initial_for(case), {"version": 1, "destination_country": "DE"})
    # Someone else saves first.
    services.case_update(
        actor=personas["coordinator"].user, case=case, expected_version=1, data={"destination_country": "ES"}
    )
    response = client.post(en("edit", case), stale)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this record after you opened it" in html
    form = response.context["form"]
    assert form["destination_country"].value() == "ES" and form["version"].value() == 2
    case.refresh_from_db()
    assert (case.destination_country, case.version) == ("ES", 2)
    assert AuditEntry.objects.filter(action="case.update").count() == 1


def test_a_stale_person_form_never_overwrites(signed_in, personas, case) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("manager_iasi")
    person = case.person
    assert client.get(en("person_edit", case)).status_code == 200
    stale = _as_post(PersonForm.initial_for(person), {"version": 1, "languages": "Romanian, Italian"})
    services.person_update(
        actor=personas["coordinator"].user, case=case, expected_version=1, data={"languages": "Romanian"}
    )
    response = client.post(en("person_edit", case), stale)
    assert "Someone else changed this record" in response.content.decode()
    assert response.context["form"]["languages"].value() == "Romanian"
    person.refresh_from_db()
    assert (person.languages, person.version) == ("Romanian", 2)


def test_the_person_form_saves_and_the_audit_keeps_only_field_names(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("manager_iasi")
    data = _as_post(
        PersonForm.initial_for(case.person), {"version": 1, "last_name": "Ionescu", "phone": "0744 000 111"}
    )
    response = client.post(en("person_edit", case), data)
    assert response.status_code == 302
    case.person.refresh_from_db()
    assert (case.person.last_name, case.person.version) == ("Ionescu", 2)
    entry = AuditEntry.objects.get(action="person.update")
    assert "last_name" in entry.details["fields"]
    assert "Ionescu" not in str(entry.details) and "0744" not in str(entry.details)


def test_a_form_without_a_version_is_refused(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    data = _as_post(CaseForm.initial_for(case), {"destination_country": "DE"})
    response = signed_in("manager_iasi").post(en("edit", case), data)
    assert response.status_code == 200 and response.context["form"].errors["version"]
    case.refresh_from_db()
    assert case.destination_country == "IT"


def test_editing_needs_the_scope(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    data = _as_post(CaseForm.initial_for(case), {"version": 1, "destination_country": "DE"})
    assert signed_in("manager_cluj").post(en("edit", case), data).status_code == 404
    case.refresh_from_db()
    assert case.version == 1
