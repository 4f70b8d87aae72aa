"""The audit log: what it records, that it cannot be changed, that tampering shows."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from atis.accounts.stepup import STEP_UP_AT
from atis.audit.models import AuditEntry
from atis.audit.services import audit_read, audit_record
from atis.organisations.models import Organisation
from conftest import current_code


@pytest.fixture
def some_entries(personas):  # type: ignore[no-untyped-def]
    organisation = Organisation.objects.first()
    for _ in range(3):
        audit_read(organisation)  # type: ignore[arg-type]
    return list(AuditEntry.objects.order_by("sequence"))


def test_a_read_writes_an_entry_with_who_what_when_where(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    from atis.lib.request_context import acting_as

    organisation = Organisation.objects.get(name="Centrul Regional Iași")
    with acting_as(personas["manager_iasi"].user):
        entry = audit_read(organisation, section="contacts")
    assert entry.action == "read"
    assert entry.actor_label == "manager_iasi"
    assert entry.role == "regional_case_manager"
    assert entry.organisation_label == str(personas["manager_iasi"].organisation)
    assert entry.object_type == "organisations.organisation"
    assert entry.object_ref == str(organisation.public_id)
    assert entry.details == {"section": "contacts"}
    assert entry.at.utcoffset() == datetime.timedelta(0)


def test_web_entries_carry_ip_and_request_id(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("admin")
    response = client.post(
        reverse("accounts:user_set_active", kwargs={"public_id": personas["analyst"].user.public_id}),
        {"active": "0"},
        REMOTE_ADDR="10.1.2.3",
    )
    entry = AuditEntry.objects.get(action="user.disable")
    assert entry.ip == "10.1.2.3"
    assert entry.request_id == response["X-Request-ID"]
    assert entry.actor_label == "admin"


def test_an_entry_is_written_in_the_same_transaction_as_the_change(personas) -> None:  # type: ignore[no-untyped-def]
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action="something.changed")
        raise RuntimeError("the change failed")
    assert AuditEntry.objects.count() == before


def test_refused_access_is_logged(signed_in) -> None:  # type: ignore[no-untyped-def]
    signed_in("analyst").get(reverse("accounts:user_list"))
    entry = AuditEntry.objects.get(action="access.denied")
    assert entry.outcome == "denied" and entry.actor_label == "analyst"


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_update_and_delete(some_entries) -> None:  # type: ignore[no-untyped-def]
    entry = some_entries[-1]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="edited")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "read"


def _tamper(entry_pk: int, new_action: str) -> None:
    """What only the table's owner could do: switch the trigger off and edit history."""
    from atis.audit import triggers

    triggers.set_enabled(connection, False)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = %s WHERE id = %s", [new_action, entry_pk])
    triggers.set_enabled(connection, True)


def test_audit_verify_passes_on_an_intact_log(some_entries, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("audit_verify", verbosity=0)
    assert "intact" in capsys.readouterr().out


def test_audit_verify_finds_a_tampered_entry(some_entries) -> None:  # type: ignore[no-untyped-def]
    _tamper(some_entries[1].pk, "nothing to see")
    with pytest.raises(CommandError, match="tampered"):
        call_command("audit_verify", verbosity=0)


def test_auditors_filter_the_log(signed_in) -> None:  # type: ignore[no-untyped-def]
    signed_in("analyst").get(reverse("accounts:user_list"))  # one denial
    response = signed_in("auditor").get(reverse("audit:list"), {"outcome": "denied"})
    assert response.status_code == 200
    entries = list(response.context["page"])
    assert entries and all(entry.outcome == "denied" for entry in entries)


def test_the_export_asks_for_the_second_factor_again(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("auditor")
    export = reverse("audit:export") + "?outcome=success"
    response = client.get(export)
    assert response.status_code == 302 and reverse("accounts:step_up") in response["Location"]
    response = client.post(
        reverse("accounts:step_up"), {"token": current_code(personas["auditor"].device), "next": export}
    )
    assert response["Location"] == export
    response = client.get(export)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="atis-audit.csv"'
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert body.splitlines()[0].lstrip("\ufeff").startswith("sequence,at,actor_label")
    assert AuditEntry.objects.filter(action="audit.export", actor_label="auditor").exists()


def test_export_cells_cannot_run_as_formulas() -> None:
    from atis.lib.exports import safe_cell

    assert safe_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("plain") == "plain"
    assert safe_cell(-5) == -5


def test_outsiders_cannot_read_the_log(signed_in) -> None:  # type: ignore[no-untyped-def]
    assert signed_in("coordinator").get(reverse("audit:list")).status_code == 403
    assert Client().get(reverse("audit:list")).status_code == 302


def test_exports_are_rate_limited_and_the_refusal_is_audited(personas, signed_in, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ATIS_EXPORT_RATE = "2/h"
    client = signed_in("auditor")
    session = client.session
    session[STEP_UP_AT] = time.time()
    session.save()
    answers = [client.get(reverse("audit:export")).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert AuditEntry.objects.filter(action="export.rate_limited", actor_label="auditor").count() == 1
