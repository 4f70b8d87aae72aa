"""Canary values typed into a case must never reach logs, SQL, URLs, headers or the audit log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse

from atis.audit.models import AuditEntry
from atis.cases.models import Case
from atis.cases.tests.helpers import code
from atis.codelists.models import CodeList
from atis.geo.models import County

pytestmark = pytest.mark.django_db

CANARY_NAME = "Canarywoman"
CANARY_CNP = "2850101226672"
CANARY_PHONE = "0799 555 731"
CANARY_NOTE = "canary-health-detail-4471"
CANARIES = (CANARY_NAME, CANARY_CNP, CANARY_PHONE.replace(" ", ""), CANARY_PHONE, CANARY_NOTE)


class _Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))
        if record.exc_text:
            self.lines.append(record.exc_text)


@pytest.fixture
def all_logs() -> Iterator[_Everything]:
    """Every logger of the project and of Django at DEBUG, SQL statements with their parameters.

    Levels are set on the named loggers, not the root: pytest resets the root logger's level
    between a test's phases.
    """
    handler = _Everything()
    root = logging.getLogger()
    watched = [logging.getLogger(name) for name in ("django", "atis", "axes", "celery")]
    previous = [logger.level for logger in watched]
    previously_disabled = logging.root.manager.disable
    logging.disable(logging.NOTSET)
    root.addHandler(handler)
    for logger in watched:
        logger.setLevel(logging.DEBUG)
    connection.force_debug_cursor = True
    try:
        yield handler
    finally:
        connection.force_debug_cursor = False
        root.removeHandler(handler)
        for logger, level in zip(watched, previous, strict=True):
            logger.setLevel(level)
        logging.disable(previously_disabled)


def test_canaries_never_leave_the_encrypted_columns(personas, signed_in, all_logs) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("manager_iasi")
    iasi = County.objects.get(mnemonic="IS")
    seen: list[Any] = []

    response = client.post(
        reverse("cases:create"),
        {
            "person-first_name": CANARY_NAME,
            "person-last_name": CANARY_NAME,
            "person-cnp": CANARY_CNP,
            "person-date_of_birth": "1985-01-01",
            "person-sex": "female",
            "person-citizenship": "ro",
            "person-county": iasi.pk,
            "person-phone": CANARY_PHONE,
            "person-education": "unknown",
            "case-county": iasi.pk,
            "case-notified_on": "2026-03-01",
            "case-trafficking_scope": "internal",
            "case-exploitation_forms": [code(CodeList.EXPLOITATION_FORM, "sexual").pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    seen.append(response)
    case = Case.objects.get()
    for url_name in ("cases:detail", "cases:person", "cases:notes"):
        seen.append(client.get(reverse(url_name, kwargs={"public_id": case.public_id})))
    seen.append(client.post(reverse("cases:note_add", kwargs={"public_id": case.public_id}), {"body": CANARY_NOTE}))
    seen.append(client.post(reverse("cases:search"), {"term": CANARY_CNP}))
    seen.append(client.post(reverse("cases:search"), {"term": CANARY_PHONE}))
    seen.append(client.get(reverse("cases:list")))
    # A failed form must not echo the typed values into logs either.
    seen.append(client.post(reverse("cases:create"), {"person-first_name": CANARY_NAME, "person-cnp": "123"}))

    assert any(CANARY_NAME in r.content.decode() for r in seen if r.status_code == 200), "the canary was shown at all"
    assert all_logs.lines, "the handler captured the run's logs"
    logged = "\n".join(all_logs.lines)
    for canary in CANARIES:
        assert canary not in logged, f"{canary!r} appears in the logs"
    for response in seen:
        assert all(canary not in response.get("Location", "") for canary in CANARIES)
        assert all(canary not in value for canary in CANARIES for value in response.headers.values())
    audit_text = str(list(AuditEntry.objects.values_list("object_label", "object_ref", "details")))
    for canary in CANARIES:
        assert canary not in audit_text, f"{canary!r} appears in the audit log"
