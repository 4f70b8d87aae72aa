"""The PDF case file: the second factor again first, then only the sections one may see."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from atis.audit.models import AuditEntry
from atis.cases import pdf, services
from atis.cases.models import Case, ConsentPurpose, Section
from atis.cases.tests.helpers import VALID_CNP_ADULT, code, open_case
from atis.codelists.models import CodeList
from atis.organisations.models import Organisation
from conftest import current_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    # A request to an /en/ page leaves English active in this thread; the next test
    # (of any module) must start from the default language again.
    yield
    translation.deactivate()


def en(name: str, **kwargs: Any) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def case(personas) -> Case:  # type: ignore[no-untyped-def]
    return open_case(personas["manager_iasi"].user, cnp=VALID_CNP_ADULT, first_name="Teodora")


def test_the_export_asks_for_the_second_factor_then_returns_a_pdf(signed_in, personas, case) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("manager_iasi")
    export = en("cases:export_pdf", public_id=case.public_id)
    response = client.get(export)
    assert response.status_code == 302 and response["Location"].startswith(en("accounts:step_up"))
    assert not AuditEntry.objects.filter(action="case.export").exists()

    response = client.post(
        en("accounts:step_up"), {"token": current_code(personas["manager_iasi"].device), "next": export}
    )
    assert response["Location"] == export
    response = client.get(export)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{case.reference}.pdf"'
    assert response.content.startswith(b"%PDF")
    entry = AuditEntry.objects.get(action="case.export")
    assert entry.actor_label == "manager_iasi" and entry.object_ref == str(case.public_id)
    assert "person" in entry.details["sections"]


def test_the_export_holds_only_the_sections_the_user_may_see(personas, case, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    case = services.case_identify(
        actor=manager,
        case=case,
        identified_on=datetime.date(2026, 3, 10),
        identifying_institution=Organisation.objects.get(name="Test Police Iași"),
    )
    rendered: list[str] = []
    real_render = pdf.render_to_string

    def keep(template: str, context: dict[str, Any]) -> str:
        html = real_render(template, context)
        rendered.append(html)
        return html

    monkeypatch.setattr(pdf, "render_to_string", keep)
    pdf.case_export(actor=manager, case=case)
    assert "Teodora" in rendered[-1] and VALID_CNP_ADULT in rendered[-1]

    # A coordinator sees everything too; a user whose sections leave out the person does not
    # get the identity in the file.
    monkeypatch.setattr(pdf.policy, "sections", lambda user, case: {Section.CASE})
    pdf.case_export(actor=personas["coordinator"].user, case=case)
    assert "Teodora" not in rendered[-1] and VALID_CNP_ADULT not in rendered[-1]
    assert case.reference in rendered[-1]


def test_a_role_without_the_export_right_is_refused(signed_in, personas, case) -> None:  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    case = services.case_identify(
        actor=manager,
        case=case,
        identified_on=datetime.date(2026, 3, 10),
        identifying_institution=Organisation.objects.get(name="Test Police Iași"),
    )
    services.consent_record(
        actor=manager,
        case=case,
        purpose=ConsentPurpose.SHARING,
        organisation=personas["ngo"].organisation,
        given_on=datetime.date(2026, 3, 10),
    )
    services.referral_send(
        actor=manager,
        case=case,
        request=services.ReferralRequest(
            to_organisation=personas["ngo"].organisation,
            services=[code(CodeList.SERVICE_TYPE, "medical")],
            sections=[Section.CASE],
        ),
    )
    assert signed_in("ngo").get(en("cases:export_pdf", public_id=case.public_id)).status_code == 403


def test_a_case_outside_the_scope_is_not_exported_even_after_step_up(signed_in, personas, case) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("manager_cluj")
    export = en("cases:export_pdf", public_id=case.public_id)
    client.post(en("accounts:step_up"), {"token": current_code(personas["manager_cluj"].device), "next": export})
    assert client.get(export).status_code == 404
    assert not AuditEntry.objects.filter(action="case.export").exists()
