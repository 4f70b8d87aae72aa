"""Opening a case from the form: person and case at once, all or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from atis.audit.models import AuditEntry
from atis.cases.models import Case, Person
from atis.cases.tests.helpers import VALID_CNP_ADULT, code
from atis.codelists.models import CodeList
from atis.geo.models import County, Locality
from atis.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    # A request to an /en/ page leaves English active in this thread; the next test
    # (of any module) must start from the default language again.
    yield
    translation.deactivate()


def url(language: str) -> str:
    with translation.override(language):
        return reverse("cases:create")


def _form(**changes: Any) -> dict[str, Any]:
    iasi = County.objects.get(mnemonic="IS")
    data: dict[str, Any] = {
        "person-first_name": "Elena",
        "person-last_name": "Marinescu",
        "person-cnp": VALID_CNP_ADULT,
        "person-date_of_birth": "1985-01-01",
        "person-sex": "female",
        "person-citizenship": "ro",
        "person-county": iasi.pk,
        "person-locality": iasi.localities.get(name="MUNICIPIUL IAȘI").pk,
        "person-phone": "0722 123 456",
        "person-email": "elena@example.org",
        "person-education": "upper_secondary",
        "person-vulnerabilities": [code(CodeList.VULNERABILITY, "poverty").pk],
        "case-county": iasi.pk,
        "case-notified_on": "2026-03-01",
        "case-notifying_institution": Organisation.objects.get(name="Test Police Iași").pk,
        "case-trafficking_scope": "international",
        "case-destination_country": "it",
        "case-exploitation_forms": [
            code(CodeList.EXPLOITATION_FORM, "sexual").pk,
            code(CodeList.EXPLOITATION_FORM, "forced_labour").pk,
        ],
        "case-control_methods": [code(CodeList.CONTROL_METHOD, "debt_bondage").pk],
        "case-recruitment_method": code(CodeList.RECRUITMENT_METHOD, "loverboy").pk,
        "case-exploitation_started_on": "2025-06-01",
        "case-exploitation_ended_on": "2026-02-01",
        "case-summary": "Found at a border crossing.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_form_offers_the_code_lists_as_checkboxes(signed_in) -> None:  # type: ignore[no-untyped-def]
    html = signed_in("manager_iasi").get(url("en")).content.decode()
    sexual = code(CodeList.EXPLOITATION_FORM, "sexual")
    assert f'type="checkbox" name="case-exploitation_forms" value="{sexual.pk}"' in html
    assert 'hx-get="/en/cases/localities/"' in html and 'hx-target="#id_person-locality"' in html
    assert " style=" not in html and "<script>" not in html


def test_a_manager_opens_a_case_with_the_person(signed_in, personas) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("manager_iasi").post(url("en"), _form())
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", kwargs={"public_id": case.public_id})
    person = case.person
    assert (person.first_name, person.cnp, person.citizenship, person.locality_id) == (
        "Elena",
        VALID_CNP_ADULT,
        "RO",
        Locality.objects.get(county__mnemonic="IS", name="MUNICIPIUL IAȘI").pk,
    )
    assert case.destination_country == "IT" and case.centre.name == "Centrul Regional Iași"
    assert set(case.exploitation_forms.values_list("code", flat=True)) == {"sexual", "forced_labour"}
    assert list(person.vulnerabilities.values_list("code", flat=True)) == ["poverty"]
    assert case.case_manager_id == personas["manager_iasi"].user.pk
    assert AuditEntry.objects.filter(action="case.create", object_label=case.reference).exists()


def test_bad_input_is_shown_in_romanian_and_nothing_is_saved(signed_in) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("manager_iasi").post(
        url("ro"), _form(**{"case-notified_on": None, "person-date_of_birth": "not a date"})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Acest câmp este obligatoriu." in html
    assert "Introduceți o dată validă." in html
    assert response.context["case_form"].errors["notified_on"]
    assert not Person.objects.exists() and not Case.objects.exists()
    assert not AuditEntry.objects.filter(action="case.create").exists()


@pytest.mark.parametrize(
    ("changes", "form", "field"),
    [
        ({"person-cnp": "2850101226670"}, "person_form", "cnp"),
        ({"person-citizenship": "Romania"}, "person_form", "citizenship"),
        ({"person-phone": "call me"}, "person_form", "phone"),
        ({"case-exploitation_ended_on": "2025-01-01"}, "case_form", "exploitation_ended_on"),
        ({"person-locality": "999999999"}, "person_form", "locality"),
        ({"case-notified_on": "2099-01-01"}, "case_form", "notified_on"),
    ],
)
def test_each_mistake_is_shown_beside_its_field(signed_in, changes, form, field) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("manager_iasi").post(url("en"), _form(**changes))
    assert response.status_code == 200
    assert field in response.context[form].errors
    assert not Case.objects.exists()


def test_a_locality_of_another_county_is_not_accepted(signed_in) -> None:  # type: ignore[no-untyped-def]
    cluj_locality = County.objects.get(mnemonic="CJ").localities.earliest("pk")
    response = signed_in("manager_iasi").post(url("en"), _form(**{"person-locality": cluj_locality.pk}))
    assert "locality" in response.context["person_form"].errors
    assert not Case.objects.exists()


def test_a_county_without_a_centre_is_refused_by_the_service_and_nothing_is_saved(signed_in) -> None:  # type: ignore[no-untyped-def]
    from atis.organisations.models import CentreCoverage

    CentreCoverage.objects.filter(county__mnemonic="IS").delete()
    response = signed_in("manager_iasi").post(url("en"), _form())
    assert response.status_code == 200
    assert "No regional centre covers this county" in response.content.decode()
    assert "county" in response.context["case_form"].errors
    assert not Person.objects.exists()


def test_a_provider_may_not_open_cases(signed_in) -> None:  # type: ignore[no-untyped-def]
    assert signed_in("ngo").post(url("en"), _form()).status_code == 403
    assert not Case.objects.exists()
