"""R2: scarce shelter places. 30 concurrent requests for the last 5 places give exactly 5.

Each request runs in its own thread with its own database connection, through the whole web
stack (sessions, access rules, form, service). On PostgreSQL this measures the row lock in
`shelter_place`; SQLite serialises writers anyway, so there it checks the same outcome.
The test never skips: CI runs it on both engines.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from atis.assistance import services
from atis.assistance.models import ShelterPlacement
from atis.assistance.tests.helpers import DAY, identified_case, shelter
from atis.audit.models import AuditEntry
from conftest import sign_in

REQUESTS = 30
FREE_PLACES = 5
ALREADY_TAKEN = 3


@pytest.mark.django_db(transaction=True)
def test_r2_thirty_concurrent_requests_for_the_last_five_places_get_exactly_five(personas) -> None:  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    place = shelter(personas["admin"].user, capacity=ALREADY_TAKEN + FREE_PLACES, name="Adăpost Test R2")
    for _i in range(ALREADY_TAKEN):
        services.shelter_place(actor=manager, case=identified_case(manager), shelter=place, starts_on=DAY)
    cases = [identified_case(manager) for _i in range(REQUESTS)]
    # Half the requests come from the national coordinator, half from the regional centre.
    clients = [sign_in(Client(), personas["coordinator" if i % 2 else "manager_iasi"]) for i in range(REQUESTS)]
    with translation.override("ro"):
        url = [reverse("assistance:shelter_place", kwargs={"public_id": case.public_id}) for case in cases]
        full_message = _(
            "%(shelter)s has no free place left: all %(capacity)d places are taken. Nothing was booked."
        ) % {"shelter": place, "capacity": place.capacity}

    start = threading.Barrier(REQUESTS)
    # The in-memory SQLite test database shares one cache between threads, where a second
    # writer fails at once ("table is locked") instead of waiting as on a file: there the
    # requests pass one at a time. PostgreSQL gets them all at once, which is the point.
    gate: Any = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()
    results: list[Any] = [None] * REQUESTS

    def book(index: int) -> None:
        try:
            start.wait(timeout=60)
            with gate:
                response = clients[index].post(
                    url[index], {"placement-shelter": place.pk, "placement-starts_on": DAY.isoformat()}
                )
            if response.status_code == 302:
                results[index] = ("booked", None)
            else:
                errors = list(response.context["placement_form"].non_field_errors())
                in_page = full_message in response.content.decode()
                results[index] = ("refused", (response.status_code, errors, in_page))
        except Exception as error:  # reported below, not swallowed
            results[index] = ("error", repr(error))
        finally:
            connection.close()

    began = time.monotonic()
    threads = [threading.Thread(target=book, args=(i,)) for i in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.monotonic() - began

    outcomes = Counter(result[0] if result else "hung" for result in results)
    errors = [result for result in results if not result or result[0] == "error"]
    assert not errors, errors
    assert outcomes == {"booked": FREE_PLACES, "refused": REQUESTS - FREE_PLACES}, outcomes
    for _kind, (status, messages, in_page) in (r for r in results if r[0] == "refused"):
        assert status == 200 and messages == [full_message] and in_page
    open_places = ShelterPlacement.objects.filter(shelter=place, ends_on__isnull=True)
    assert open_places.count() == place.capacity
    assert open_places.filter(case__in=cases).count() == FREE_PLACES
    assert AuditEntry.objects.filter(action="assistance.shelter_place").count() == ALREADY_TAKEN + FREE_PLACES
    print(  # the measured figure, shown with pytest -s
        f"R2 on {connection.vendor}: {REQUESTS} requests, {outcomes['booked']} booked, "
        f"{outcomes['refused']} refused, {elapsed:.2f}s"
    )
