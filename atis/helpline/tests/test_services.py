"""The rules of the contact log, through the services operators' screens call."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from atis.audit.models import AuditEntry
from atis.cases.models import Case, Consent, ConsentPurpose
from atis.codelists.models import CodeList
from atis.helpline import selectors, services
from atis.helpline.models import Contact, EscalationKind, FollowUp, JobOfferCheck
from atis.helpline.tests.helpers import NUMBER, code, county, log_contact
from atis.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_a_contact_is_anonymous_by_default(personas) -> None:  # type: ignore[no-untyped-def]
    contact = log_contact(personas["operator"].user)
    contact.refresh_from_db()
    assert (contact.identity_agreed, contact.caller_name, contact.caller_phone, contact.caller_lookup) == (
        False,
        "",
        "",
        "",
    )
    assert contact.caller_role.code == "anonymous"
    assert contact.reference.startswith("HL") and contact.organisation == personas["operator"].organisation


def test_a_name_without_the_callers_agreement_is_refused_and_nothing_is_saved(personas) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        log_contact(personas["operator"].user, caller_name="Maria Popescu")
    assert "caller_name" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused_number:
        log_contact(personas["operator"].user, caller_number=NUMBER)
    assert "caller_number" in refused_number.value.message_dict
    assert not Contact.objects.exists()


def _raw_database_text() -> str:
    """Every text column of the HelpLine and audit tables, as the database holds them."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in ("helpline_contact", "helpline_followup", "helpline_escalation", "audit_auditentry"):
            cursor.execute(f"SELECT * FROM {table}")
            chunks.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(chunks)


def test_a_repeat_caller_is_recognised_without_the_number_being_stored(personas) -> None:  # type: ignore[no-untyped-def]
    operator = personas["operator"].user
    first = log_contact(operator, caller_number="0745 123 987", recognise_repeat=True)
    # The same number typed another way, by a colleague of the same HelpLine team.
    colleague = personas["operator"].user
    second = log_contact(colleague, caller_number=NUMBER, recognise_repeat=True)
    assert first.caller_lookup and first.caller_lookup == second.caller_lookup
    assert list(selectors.earlier_contacts(colleague, lookup=second.caller_lookup, before=second)) == [first]
    raw = _raw_database_text()
    for form in ("745123987", "0745123987", "0745 123 987", "+40 745 123 987", "40745123987"):
        assert form not in raw


def test_with_agreement_the_number_is_kept_encrypted_and_still_recognised(personas) -> None:  # type: ignore[no-untyped-def]
    operator = personas["operator"].user
    contact = log_contact(operator, identity_agreed=True, caller_name="Ioana Marin", caller_number=NUMBER)
    contact.refresh_from_db()
    assert (contact.caller_name, contact.caller_phone) == ("Ioana Marin", NUMBER)
    assert contact.caller_lookup == selectors.caller_hash("0745123987")
    raw = _raw_database_text()
    assert "Ioana" not in raw and "745 123 987" not in raw and "745123987" not in raw


def test_an_emergency_requires_what_was_done_and_when(personas) -> None:  # type: ignore[no-untyped-def]
    operator = personas["operator"].user
    with pytest.raises(ValidationError) as refused:
        log_contact(operator, contact_type="victim_help", emergency=True)
    assert {"emergency_action", "emergency_action_at"} <= set(refused.value.message_dict)
    done_at = timezone.now()
    contact = log_contact(
        operator,
        contact_type="victim_help",
        emergency=True,
        emergency_action="Called 112.",
        emergency_action_at=done_at,
    )
    contact.refresh_from_db()
    assert contact.emergency and contact.emergency_action == "Called 112." and contact.emergency_action_at == done_at


def test_codes_from_another_list_are_refused(personas) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        log_contact(personas["operator"].user, channel=code(CodeList.HELPLINE_TOPIC, "travel"))
    assert "channel" in refused.value.message_dict
    assert not Contact.objects.exists()


def test_only_operators_log_contacts(personas) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        log_contact(personas["analyst"].user)


def test_a_report_becomes_a_case_with_consent_for_the_centre_of_the_county(personas) -> None:  # type: ignore[no-untyped-def]
    operator = personas["operator"].user
    contact = log_contact(operator, contact_type="victim_help", caller_role="victim")
    escalation = services.contact_escalate_to_case(
        actor=operator,
        contact=contact,
        first_name="Elena",
        last_name="Dinu",
        consent_given=True,
        consent_given_on=timezone.localdate(),
    )
    case = escalation.case
    assert case is not None
    assert escalation.kind == EscalationKind.CASE
    assert case.centre.name == "Centrul Regional Iași" and case.county == county("IS")
    assert case.case_manager is None and case.notifying_institution == contact.organisation
    assert case.destination_country == "IT" and case.summary == contact.summary
    assert Consent.objects.filter(case=case, purpose=ConsentPurpose.ASSISTANCE).exists()
    contact.refresh_from_db()
    assert contact.escalated_at is not None and contact.escalated_county == county("IS")
    assert FollowUp.objects.filter(contact=contact, assignee=operator, done_at__isnull=True).count() == 1
    actions = list(AuditEntry.objects.order_by("sequence").values_list("action", flat=True))
    assert actions[-3:] == ["case.create", "consent.record", "helpline.contact.escalate"]
    entry = AuditEntry.objects.get(action="helpline.contact.escalate")
    assert entry.object_ref == str(contact.public_id) and entry.details["case"] == case.reference
    # The regional centre now sees the case it was notified of.
    from atis.cases.selectors import cases_visible_to

    assert cases_visible_to(personas["manager_iasi"].user).filter(pk=case.pk).exists()
    assert not cases_visible_to(personas["manager_cluj"].user).filter(pk=case.pk).exists()


def test_a_contact_becomes_a_case_only_once_and_never_a_silent_call(personas) -> None:  # type: ignore[no-untyped-def]
    operator = personas["operator"].user
    contact = log_contact(operator, contact_type="report")
    services.contact_escalate_to_case(actor=operator, contact=contact)
    with pytest.raises(ValidationError):
        services.contact_escalate_to_case(actor=operator, contact=contact)
    silent = log_contact(operator, contact_type="silent", topics=())
    with pytest.raises(ValidationError):
        services.contact_escalate_to_case(actor=operator, contact=silent)
    assert Case.objects.count() == 1


def test_a_notification_names_the_police_and_the_centre_covering_the_county(personas) -> None:  # type: ignore[no-untyped-def]
    operator = personas["operator"].user
    contact = log_contact(operator, contact_type="third_party", county=None)
    police = Organisation.objects.get(name="Test Police Iași")
    with pytest.raises(ValidationError) as refused:
        services.contact_notify_authorities(actor=operator, contact=contact, authority=police)
    assert "county" in refused.value.message_dict
    escalation = services.contact_notify_authorities(
        actor=operator, contact=contact, authority=police, county=county("CJ"), message="Address given by phone."
    )
    assert escalation.centre.name == "Centrul Regional Cluj-Napoca" and escalation.authority == police
    assert AuditEntry.objects.filter(action="helpline.contact.escalate", details__kind="authorities").exists()
    ngo = Organisation.objects.get(name="Test NGO Iași")
    with pytest.raises(ValidationError):
        services.contact_notify_authorities(actor=operator, contact=contact, authority=ngo, county=county("CJ"))


def test_a_follow_up_is_completed_once(personas) -> None:  # type: ignore[no-untyped-def]
    operator = personas["operator"].user
    contact = log_contact(operator)
    follow_up = services.follow_up_add(
        actor=operator, contact=contact, description="Call back", due_at=timezone.now() + datetime.timedelta(hours=2)
    )
    assert list(selectors.follow_ups_due(operator)) == [follow_up]
    services.follow_up_complete(actor=operator, follow_up=follow_up)
    assert not selectors.follow_ups_due(operator).exists()
    with pytest.raises(ValidationError):
        services.follow_up_complete(actor=operator, follow_up=follow_up)


def test_a_job_offer_result_is_kept_without_the_offer_text(personas) -> None:  # type: ignore[no-untyped-def]
    contact = log_contact(personas["operator"].user, job_offer=("high", ["fees", "private_messenger", "fees"]))
    check = JobOfferCheck.objects.get(contact=contact)
    assert (check.level, check.sign_codes) == ("high", ["fees", "private_messenger"])
    with pytest.raises(ValidationError):
        log_contact(personas["operator"].user, job_offer=("catastrophic", []))
