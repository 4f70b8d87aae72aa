"""The case file's history is complete and readable; refusals are on file, not on the page."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from atis.audit.models import AuditEntry
from atis.cases import services
from atis.cases.models import Case, Referral, Section
from atis.cases.tests.helpers import VALID_CNP_ADULT, identify_and_refer, open_case

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def url(name: str, case: Case) -> str:
    return reverse(f"cases:{name}", kwargs={"public_id": case.public_id})


@pytest.fixture
def referred(personas: Any) -> Case:
    manager, ngo = personas["manager_iasi"].user, personas["ngo"].organisation
    case = open_case(manager, cnp=VALID_CNP_ADULT, first_name="Teodora")
    referral = identify_and_refer(manager, case, ngo, [Section.CASE], on=DAY)
    services.referral_accept(actor=personas["ngo"].user, referral=referral)
    return referral.case


def test_referral_send_and_accept_show_in_the_case_history(signed_in, referred) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("manager_iasi").get(url("history", referred))
    actions = [str(line.action) for line in response.context["lines"]]
    assert "Sent a referral" in actions and "Accepted a referral" in actions
    assert "Identified the person as a victim" in actions and "Opened the case (notification)" in actions
    referral = Referral.objects.get(case=referred)
    assert AuditEntry.objects.filter(object_ref=str(referral.public_id), case_ref=str(referred.public_id)).count() == 2


def test_the_history_reads_as_a_timeline_in_the_users_language(signed_in, referred) -> None:  # type: ignore[no-untyped-def]
    coordinator = signed_in("coordinator")
    for tab in ("person", "events", "person", "notes"):
        coordinator.get(url(tab, referred))
    html = signed_in("manager_iasi").get(url("history", referred)).content.decode()
    lines = signed_in("manager_iasi").get(url("history", referred)).context["lines"]
    visit = next(line for line in lines if line.actor == "coordinator")
    # Four reads of one visit: one line naming the parts opened.
    assert visit.reads == 4 and [str(part) for part in visit.parts] == [
        "notes and attachments",
        "identity and contact",
        "trafficking events",
    ]
    assert [line.actor for line in lines].count("coordinator") == 1
    assert "National coordinator" in html and "Regional case manager" in html
    assert "national_coordinator" not in html and "case.identify" not in html and "UTC" not in html
    with translation.override("ro"):
        romanian = signed_in("manager_iasi").get(reverse("cases:history", kwargs={"public_id": referred.public_id}))
    assert "A trimis o referire" in romanian.content.decode()


def test_another_centres_request_is_404_and_audited_with_the_reference_tried(signed_in, referred) -> None:  # type: ignore[no-untyped-def]
    for tab in ("detail", "person", "events", "history"):
        response = signed_in("manager_cluj").get(url(tab, referred))
        assert response.status_code == 404
        assert referred.reference not in response.content.decode(), "the page names nothing"
    denied = AuditEntry.objects.filter(action="access.denied", actor_label="manager_cluj")
    assert denied.count() == 4
    assert {(entry.object_ref, entry.object_label, entry.outcome) for entry in denied} == {
        (str(referred.public_id), referred.reference, "denied")
    }


def test_an_ngo_asking_for_a_section_not_granted_is_404_and_audited(signed_in, referred) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("ngo").get(url("person", referred))
    assert response.status_code == 404
    entry = AuditEntry.objects.get(action="access.denied", actor_label="ngo")
    assert (entry.object_label, entry.details["reason"], entry.details["status"]) == (
        referred.reference,
        "tab.person",
        404,
    )


def test_the_auditor_filters_by_the_reference_shown_in_the_table(signed_in, referred) -> None:  # type: ignore[no-untyped-def]
    signed_in("manager_cluj").get(url("detail", referred))
    response = signed_in("auditor").get(reverse("audit:list"), {"object_ref": referred.reference})
    entries = list(response.context["page"])
    actions = {entry.action for entry in entries}
    # The case's own entries, those of its referral and person, and the refusal of another centre.
    assert {"case.create", "case.identify", "referral.send", "referral.accept", "access.denied"} <= actions
    assert all(
        entry.case_ref == str(referred.public_id) or entry.object_label == referred.reference for entry in entries
    )
