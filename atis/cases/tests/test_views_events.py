"""Trafficking events and criminal proceedings: added, edited, deleted from their tabs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from atis.audit.models import AuditEntry
from atis.cases.models import Case, Proceeding, TraffickingEvent
from atis.cases.tests.helpers import open_case
from atis.geo.models import County
from atis.organisations.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_afterwards() -> Iterator[None]:
    # A request to an /en/ page leaves English active in this thread; the next test
    # (of any module) must start from the default language again.
    yield
    translation.deactivate()


def en(name: str, case: Case, **kwargs: Any) -> str:
    with translation.override("en"):
        return reverse(f"cases:{name}", kwargs={"public_id": case.public_id, **kwargs})


@pytest.fixture
def case(personas) -> Case:  # type: ignore[no-untyped-def]
    return open_case(personas["manager_iasi"].user)


def test_an_event_in_romania_is_added_edited_and_deleted(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("manager_iasi")
    iasi = County.objects.get(mnemonic="IS")
    locality = iasi.localities.get(name="MUNICIPIUL IAȘI")
    response = client.post(
        en("event_add", case),
        {
            "kind": "recruitment",
            "country": "ro",
            "county": iasi.pk,
            "locality": locality.pk,
            "started_on": "2025-05-01",
            "notes": "Met at a bus station.",
        },
    )
    assert response.status_code == 302 and response["Location"] == en("events", case)
    event = TraffickingEvent.objects.get(case=case)
    assert (event.country, event.county, event.locality) == ("RO", iasi, locality)
    assert "Met at a bus station." in client.get(en("events", case)).content.decode()

    edit = en("event_edit", case, event_id=event.pk)
    assert client.get(edit).context["form"]["locality"].value() == locality.pk
    response = client.post(
        edit, {"kind": "exploitation", "country": "RO", "county": iasi.pk, "started_on": "2025-06-01"}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.kind, event.locality, event.notes) == ("exploitation", None, "")

    assert client.post(en("event_delete", case, event_id=event.pk)).status_code == 302
    assert not TraffickingEvent.objects.exists()
    actions = list(AuditEntry.objects.filter(action__startswith="event.").values_list("action", flat=True))
    assert sorted(actions) == ["event.add", "event.delete", "event.update"]


def test_an_event_abroad_takes_a_place_not_a_county(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("manager_iasi")
    iasi = County.objects.get(mnemonic="IS")
    response = client.post(en("event_add", case), {"kind": "exploitation", "country": "IT", "county": iasi.pk})
    assert response.status_code == 200
    assert "County and locality apply only to events in Romania." in response.content.decode()
    response = client.post(en("event_add", case), {"kind": "transit", "country": "RO", "place": "Milano"})
    assert "place" in response.context["form"].errors
    response = client.post(en("event_add", case), {"kind": "exploitation", "country": "IT", "place": "Milano"})
    assert response.status_code == 302
    assert TraffickingEvent.objects.get().place == "Milano"


def test_an_event_cannot_end_before_it_starts(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("manager_iasi").post(
        en("event_add", case),
        {"kind": "transit", "country": "HU", "started_on": "2025-05-02", "ended_on": "2025-05-01"},
    )
    assert response.context["form"].errors["ended_on"] == ["The end cannot come before the start."]
    assert not TraffickingEvent.objects.exists()


def test_an_event_of_another_case_answers_404(signed_in, personas, case) -> None:  # type: ignore[no-untyped-def]
    other = open_case(personas["manager_iasi"].user)
    event = TraffickingEvent.objects.create(case=other, kind="transit", country="HU")
    client = signed_in("manager_iasi")
    assert client.get(en("event_edit", case, event_id=event.pk)).status_code == 404
    assert client.post(en("event_delete", case, event_id=event.pk)).status_code == 404
    assert TraffickingEvent.objects.filter(pk=event.pk).exists()


def test_a_proceeding_is_added_with_an_encrypted_file_number_and_edited(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    diicot = Organisation.objects.create(name="DIICOT Iași", kind=OrganisationKind.DIICOT)
    client = signed_in("manager_iasi")
    response = client.post(
        en("proceeding_add", case),
        {
            "role": "injured_party",
            "prosecuting_unit": diicot.pk,
            "file_number": "1234/P/2026",
            "stage": "investigation",
            "protection_measures": "Witness protection.",
            "compensation_claimed": "50000",
            "updated_on": "2026-03-15",
        },
    )
    assert response.status_code == 302 and response["Location"] == en("proceedings", case)
    proceeding = Proceeding.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT file_number FROM cases_proceeding WHERE id = %s", [proceeding.pk])
        assert "1234/P/2026" not in cursor.fetchone()[0]
    assert "1234/P/2026" in client.get(en("proceedings", case)).content.decode()

    response = client.post(
        en("proceeding_edit", case, proceeding_id=proceeding.pk),
        {
            "role": "injured_party",
            "prosecuting_unit": diicot.pk,
            "file_number": "1234/P/2026",
            "stage": "trial",
            "compensation_claimed": "50000",
            "compensation_awarded": "20000",
            "updated_on": "2026-09-01",
        },
    )
    assert response.status_code == 302
    proceeding.refresh_from_db()
    assert (proceeding.stage, proceeding.compensation_awarded) == ("trial", 20000)
    entries = AuditEntry.objects.filter(action__startswith="proceeding.")
    assert [entry.action for entry in entries.order_by("sequence")] == ["proceeding.add", "proceeding.update"]
    assert "1234" not in str(list(entries.values_list("details", flat=True)))


def test_a_negative_amount_is_refused(signed_in, case) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("manager_iasi").post(
        en("proceeding_add", case),
        {"role": "witness", "stage": "complaint", "compensation_claimed": "-5", "updated_on": "2026-03-15"},
    )
    assert response.status_code == 200 and response.context["form"].errors["compensation_claimed"]
    assert not Proceeding.objects.exists()
