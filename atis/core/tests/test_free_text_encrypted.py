"""Free text that can name a person is encrypted at rest in the case, assistance, referral,
screening, HelpLine and cooperation records, like the identity fields (issue 24, item 6)."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import FieldError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.db.models import TextField, Value

from atis.assistance.tests.helpers import identified_case
from atis.audit.models import AuditEntry
from atis.cases import services as case_services
from atis.cases.models import CaseTask, ConsentPurpose, Referral, Section
from atis.cases.tests.helpers import VALID_CNP_ADULT, blank_pdf, code
from atis.codelists.models import CodeList
from atis.cooperation import services as cooperation_services
from atis.cooperation.tests import helpers as cooperation_helpers
from atis.lib.fields import EncryptedTextField
from atis.lib.rotation import decrypt_to_plain_columns, encrypt_plain_columns

APPS = ("cases", "assistance", "screening", "helpline", "cooperation")

# Text columns left in plain, each with the reason. Anything else must be encrypted.
PLAIN_ALLOWED: dict[str, str] = {
    "cases.Person.reference": "the case's own reference (P-...), made by the system",
    "cases.Person.cnp_lookup": "keyed hash (HMAC) for exact CNP search, no plaintext",
    "cases.Person.phone_lookup": "keyed hash (HMAC) for exact phone search, no plaintext",
    "cases.Person.citizenship": "ISO country code, needed by the statistics",
    "cases.Case.reference": "the case's own reference (C-...), made by the system",
    "cases.Case.destination_country": "ISO country code, needed by the statistics",
    "cases.TraffickingEvent.country": "ISO country code, needed by the statistics",
    "cases.Attachment.storage_name": "random file name made by the system",
    "cases.Attachment.content_type": "MIME type checked from the content",
    "cases.Attachment.sha256": "checksum of the file",
    "screening.Indicator.code": "code of an indicator in the national catalogue",
    "screening.Indicator.label_en": "catalogue text of an indicator, the same for every case",
    "screening.Indicator.label_ro": "catalogue text of an indicator, the same for every case",
    "screening.IndicatorChange.reason": "why the catalogue of indicators changed; about an indicator, not a case",
    "screening.Screening.dimensions_present": "letters of the dimensions found (A, B, C)",
    "screening.CallbackRequest.language": "language code of the portal",
    "screening.CallbackRequest.level": "risk level computed by the portal",
    "screening.CallbackRequest.sign_codes": "codes of the signs ticked on the portal",
    "helpline.Contact.reference": "the contact's own reference (H-...), made by the system",
    "helpline.Contact.destination_country": "ISO country code, needed by the statistics",
    "helpline.Contact.caller_lookup": "keyed hash (HMAC) for exact phone search, no plaintext",
    "cooperation.ContactPoint.role": "job title at a partner institution (the person's name is encrypted)",
    "cooperation.PartnerService.conditions": "a partner's published conditions of access to a service",
    "cooperation.Agreement.title": "title of an agreement between institutions, searched by title",
    "cooperation.Agreement.scope": "scope of an agreement between institutions",
    "cooperation.Obligation.description": "an institution's obligation under an agreement",
    "cooperation.Activity.title": "name of a joint activity (a training, a campaign); its summary is encrypted",
    "cooperation.TeamMember.representative_role": "job title in a county team (the name is encrypted)",
    "cooperation.PacketExport.sha256": "checksum of an exported packet",
}

CANARY = "Canaryname 2850101226672"


def _text_fields() -> list[tuple[str, models.Field]]:  # type: ignore[type-arg]
    found: list[tuple[str, models.Field]] = []  # type: ignore[type-arg]
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, models.CharField | models.TextField) and not field.choices:
                    found.append((f"{app}.{model.__name__}.{field.name}", field))
    return found


def test_every_free_text_field_is_encrypted_or_allowed_with_a_reason() -> None:
    plain = [name for name, field in _text_fields() if not isinstance(field, EncryptedTextField)]
    unexplained = sorted(set(plain) - set(PLAIN_ALLOWED))
    assert not unexplained, f"Encrypt these or allow them with a reason: {unexplained}"
    # The allowlist names only fields that exist and are still plain, so it cannot go stale.
    assert sorted(PLAIN_ALLOWED) == sorted(plain)
    assert all(reason.strip() for reason in PLAIN_ALLOWED.values())


def test_the_fields_the_drill_found_in_plain_are_encrypted() -> None:
    fields = dict(_text_fields())
    for name in (
        "cases.Attachment.description",
        "cases.Referral.message",
        "cases.Referral.override_reason",
        "cases.Referral.response_reason",
        "cases.CaseTask.outcome",
        "cases.Consent.notes",
        "cooperation.Decision.text",
        "cooperation.DecisionUpdate.note",
        "cooperation.Meeting.agenda",
    ):
        assert isinstance(fields[name], EncryptedTextField), name


def _tables() -> list[str]:
    tables = [AuditEntry._meta.db_table]
    for app in APPS:
        tables += [model._meta.db_table for model in apps.get_app_config(app).get_models()]
    return tables


def _rows_holding(text: str) -> list[str]:
    """Every table of these apps and the audit log, read raw, every column: where is `text`?"""
    hits = []
    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # table names come from the models
            hits += [table for row in cursor.fetchall() if any(text in str(value) for value in row)]
    return hits


@pytest.mark.django_db
def test_a_canary_typed_into_free_text_is_nowhere_in_the_raw_database(personas) -> None:  # type: ignore[no-untyped-def]
    manager = personas["manager_iasi"].user
    coordinator = personas["coordinator"].user
    ngo = personas["ngo"].organisation
    day = datetime.date(2026, 3, 10)
    case = identified_case(manager, cnp=VALID_CNP_ADULT, languages=f"română {CANARY}")
    case_services.consent_record(
        actor=manager, case=case, purpose=ConsentPurpose.SHARING, organisation=ngo, given_on=day, notes=CANARY
    )
    request = case_services.ReferralRequest(
        to_organisation=ngo,
        services=[code(CodeList.SERVICE_TYPE, "psychological")],
        sections=[Section.CASE],
        message=f"Please call {CANARY}",
    )
    referral = case_services.referral_send(actor=manager, case=case, request=request)
    case_services.referral_reject(actor=personas["ngo"].user, referral=referral, reason=f"{CANARY} moved away")
    task = CaseTask.objects.filter(case=case, done_on__isnull=True).first()
    assert task is not None
    case_services.task_complete(actor=manager, task=task, done_on=day, outcome=f"Met {CANARY}")
    case_services.attachment_add(
        actor=manager,
        case=case,
        upload=SimpleUploadedFile("statement.pdf", blank_pdf(), content_type="application/pdf"),
        description=f"Statement of {CANARY}",
    )
    team = cooperation_helpers.team(coordinator, "IS", [ngo])
    meeting = cooperation_services.meeting_record(
        actor=coordinator, team=team, held_on=day, agenda=f"The situation of {CANARY}"
    )
    decision = cooperation_services.decision_add(
        actor=coordinator, meeting=meeting, text=f"Shelter for {CANARY}", owner_organisation=ngo, due_on=day
    )
    cooperation_services.decision_follow_up(
        actor=coordinator, decision=decision, noted_on=day, note=f"{CANARY} placed", status="done"
    )

    assert _rows_holding("Canaryname") == []
    # ... while the people allowed to read them still read the text.
    referral.refresh_from_db()
    assert referral.message == f"Please call {CANARY}" and referral.response_reason == f"{CANARY} moved away"
    assert case.attachments.get().description == f"Statement of {CANARY}"
    decision.refresh_from_db()
    assert decision.text == f"Shelter for {CANARY}" and decision.updates.get().note == f"{CANARY} placed"


@pytest.mark.django_db
def test_emptiness_can_still_be_asked_but_content_cannot_be_searched(personas) -> None:  # type: ignore[no-untyped-def]
    case = identified_case(personas["manager_iasi"].user)
    task = CaseTask.objects.filter(case=case).first()
    assert task is not None
    case_services.task_complete(actor=personas["manager_iasi"].user, task=task, done_on=case.notified_on, outcome="x")
    assert CaseTask.objects.filter(case=case).exclude(outcome="").get() == task
    with pytest.raises(FieldError):
        list(CaseTask.objects.filter(**{"outcome": "x"}))
    with pytest.raises(FieldError):
        list(Referral.objects.filter(**{"message__icontains": "x"}))


@pytest.mark.django_db
def test_the_data_migration_encrypts_rows_written_in_plain_and_can_be_reversed(personas) -> None:  # type: ignore[no-untyped-def]
    case = identified_case(personas["manager_iasi"].user)
    task = CaseTask.objects.filter(case=case).first()
    assert task is not None
    # A row as it was before the migration: the plaintext itself in the column.
    CaseTask.objects.filter(pk=task.pk).update(outcome=Value(CANARY, output_field=TextField()))
    assert _rows_holding("Canaryname") == [CaseTask._meta.db_table]

    assert encrypt_plain_columns(CaseTask, ["outcome"]) == 1
    assert _rows_holding("Canaryname") == []
    task.refresh_from_db()
    assert task.outcome == CANARY
    assert encrypt_plain_columns(CaseTask, ["outcome"]) == 0  # a second run changes nothing

    assert decrypt_to_plain_columns(CaseTask, ["outcome"]) == 1
    assert _rows_holding("Canaryname") == [CaseTask._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT outcome FROM {CaseTask._meta.db_table} WHERE id = %s", [task.pk])
        assert cursor.fetchone()[0] == CANARY
