"""The workflow buttons of the case tab: only legal steps are offered; others are refused
with the service's reason; tasks are marked done."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.urls import reverse
from django.utils import translation

from atis.cases import services
from atis.cases.models import Case, CaseStatus, CaseTask, TaskKind
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


def en(name: str, case: Case, **kwargs: str) -> str:
    with translation.override("en"):
        return reverse(f"cases:{name}", kwargs={"public_id": case.public_id, **kwargs})


@pytest.fixture
def case(personas) -> Case:  # type: ignore[no-untyped-def]
    return open_case(personas["manager_iasi"].user)


@pytest.fixture
def police() -> Organisation:
    return Organisation.objects.get(name="Test Police Iași")


def _offered(client, case: Case) -> list[str]:  # type: ignore[no-untyped-def]
    return [action["key"] for action in client.get(en("detail", case)).context["actions"]]


def test_only_the_legal_next_steps_are_offered(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("manager_iasi")
    assert set(_offered(client, case)) == {CaseStatus.IDENTIFIED, CaseStatus.NOT_VICTIM}
    html = client.get(en("detail", case)).content.decode()
    assert en("identify", case) in html and en("not_victim", case) in html
    assert en("close", case) not in html and en("start_assistance", case) not in html


def test_a_manager_walks_the_case_to_closure_with_the_buttons(signed_in, case, police) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("manager_iasi")
    response = client.post(
        en("identify", case),
        {
            "identified-identified_on": "2026-03-10",
            "identified-identifying_institution": police.pk,
        },
    )
    assert response.status_code == 302 and response["Location"] == en("detail", case)
    case.refresh_from_db()
    assert case.status == CaseStatus.IDENTIFIED and case.deciding_institution == police
    assert set(_offered(client, case)) == {CaseStatus.ASSISTED, CaseStatus.CLOSED}

    assert client.post(en("start_assistance", case), {}).status_code == 302
    assert client.post(en("follow_up", case), {"follow_up-started_on": "2026-08-31"}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.FOLLOW_UP
    assert CaseTask.objects.filter(case=case, kind=TaskKind.FOLLOW_UP_3).exists()
    response = client.post(
        en("close", case),
        {"closed-closed_on": "2027-09-01", "closed-reason": code(CodeList.CLOSURE_REASON, "reintegrated").pk},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert _offered(client, case) == []


def test_an_illegal_step_posted_anyway_gets_the_services_reason(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("manager_iasi").post(
        en("close", case),
        {"closed-closed_on": "2026-03-20", "closed-reason": code(CodeList.CLOSURE_REASON, "other").pk},
    )
    assert response.status_code == 200
    assert "A case that is notified cannot become closed." in response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.version) == (CaseStatus.NOTIFIED, 1)


def test_a_step_with_a_missing_field_shows_the_form_again(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("manager_iasi").post(en("identify", case), {"identified-identified_on": "2026-03-10"})
    assert response.status_code == 200
    action = next(a for a in response.context["actions"] if a["key"] == CaseStatus.IDENTIFIED)
    assert "identifying_institution" in action["form"].errors
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED


def test_identification_before_notification_is_refused_beside_the_date(signed_in, case, police) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("manager_iasi").post(
        en("identify", case),
        {"identified-identified_on": "2020-01-01", "identified-identifying_institution": police.pk},
    )
    action = next(a for a in response.context["actions"] if a["key"] == CaseStatus.IDENTIFIED)
    assert action["form"].errors["identified_on"] == ["Identification cannot come before the notification."]


def test_a_task_is_marked_done_from_the_case_tab(signed_in, personas, case, police) -> None:  # type: ignore[no-untyped-def]
    services.case_identify(
        actor=personas["manager_iasi"].user,
        case=case,
        identified_on=datetime.date(2026, 3, 10),
        identifying_institution=police,
    )
    client = signed_in("manager_iasi")
    html = client.get(en("detail", case)).content.decode()
    done_url = en("task_done", case, kind=TaskKind.REFLECTION_END)
    assert done_url in html
    response = client.post(done_url, {"done_on": "2026-06-08", "outcome": "Stays in the programme"})
    assert response.status_code == 302
    task = CaseTask.objects.get(case=case, kind=TaskKind.REFLECTION_END)
    assert task.done_on == datetime.date(2026, 6, 8) and task.done_by_id == personas["manager_iasi"].user.pk
    again = client.post(done_url, {"done_on": "2026-06-09"})
    assert "This task is already done." in again.content.decode()


def test_a_task_of_another_kind_or_case_answers_404(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("manager_iasi").post(en("task_done", case, kind="reflection_end"), {"done_on": "2026-06-08"})
    assert response.status_code == 404


def test_the_workflow_needs_the_scope(signed_in, case, police) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("manager_cluj").post(
        en("identify", case),
        {"identified-identified_on": "2026-03-10", "identified-identifying_institution": police.pk},
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED
