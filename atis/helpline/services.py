"""Every change to the HelpLine log goes through here: permission, rule, audit, one transaction.

Anonymous by default. The caller's name and number are kept (encrypted) only when the caller
agrees. Without agreement, the number is kept only as a keyed hash, and only when the
operator ticks "recognise repeat calls" (for example a caller who asks to be recognised
next time, or a series of prank calls); otherwise nothing of the number is kept. The
plaintext number is never stored, logged or audited.

Escalation reuses atis.cases: a notification of a presumed victim is `case_open` plus
`consent_record`; the regional centre is the one covering the county (CentreCoverage).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from atis.audit.services import audit_record
from atis.cases import services as case_services
from atis.cases.models import Scope, Sex
from atis.codelists.models import Code, CodeList
from atis.geo.models import County
from atis.helpline.models import (
    Contact,
    Escalation,
    EscalationKind,
    FollowUp,
    JobOfferCheck,
    Language,
    RiskLevel,
)
from atis.helpline.permissions import contacts as policy
from atis.helpline.selectors import caller_hash, helpline_organisation_of
from atis.organisations.models import Organisation, OrganisationKind

_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
# Contact types that carry no conversation: nothing to escalate.
NOT_ESCALATABLE = frozenset({"silent", "hang_up", "prank", "wrong_number"})
AUTHORITY_KINDS = (OrganisationKind.POLICE, OrganisationKind.DIICOT, OrganisationKind.BORDER_POLICE)
MAX_DURATION_SECONDS = 8 * 3600
# A clock a few minutes fast on the operator's computer must not refuse a call.
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)
ESCALATION_FOLLOW_UP_HOURS = 24
MIN_NUMBER_DIGITS = 6


def _new_reference() -> str:
    prefix = f"HL{timezone.localdate().year % 100:02d}-"
    for _attempt in range(20):
        candidate = prefix + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))
        if not Contact.objects.filter(reference=candidate).exists():
            return candidate
    raise IntegrityError("could not draw a free reference")


def _check_code(errors: dict[str, str], field: str, code: Code | None, code_list: str) -> None:
    if code is None or code.list != code_list:
        errors[field] = _("Choose a value from the list.")


def _number_digits(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit())


@transaction.atomic
def contact_log(
    *,
    actor: Any,
    channel: Code,
    started_at: datetime.datetime,
    contact_type: Code,
    caller_role: Code,
    topics: Iterable[Code] = (),
    duration_seconds: int | None = None,
    destination_country: str = "",
    county: County | None = None,
    language: str = Language.ROMANIAN,
    summary: str = "",
    identity_agreed: bool = False,
    caller_name: str = "",
    caller_number: str = "",
    recognise_repeat: bool = False,
    emergency: bool = False,
    emergency_action: str = "",
    emergency_action_at: datetime.datetime | None = None,
    job_offer: tuple[str, Sequence[str]] | None = None,
) -> Contact:
    """Record one contact. Refuses, changing nothing, when a rule is broken.

    `job_offer` is the outcome (level, sign codes) of a job-offer check made during the contact.
    """
    policy.require_may(actor, "log")
    organisation = helpline_organisation_of(actor)
    if organisation is None:
        raise PermissionDenied
    topics = list(topics)
    errors: dict[str, str] = {}
    _check_code(errors, "channel", channel, CodeList.HELPLINE_CHANNEL)
    _check_code(errors, "contact_type", contact_type, CodeList.HELPLINE_CONTACT_TYPE)
    _check_code(errors, "caller_role", caller_role, CodeList.HELPLINE_CALLER_ROLE)
    if any(topic.list != CodeList.HELPLINE_TOPIC for topic in topics):
        errors["topics"] = _("Choose topics from the list.")
    now = timezone.now()
    if started_at > now + FUTURE_TOLERANCE:
        errors["started_at"] = _("A contact cannot start in the future.")
    if duration_seconds is not None and not 0 <= duration_seconds <= MAX_DURATION_SECONDS:
        errors["duration"] = _("The duration must be between 0 and 8 hours.")
    destination_country = destination_country.strip().upper()
    if destination_country and (len(destination_country) != 2 or not destination_country.isalpha()):
        errors["destination_country"] = _("Give the two-letter country code (ISO 3166-1), for example IT or DE.")
    if language not in Language.values:
        errors["language"] = _("Choose a value from the list.")
    caller_name, caller_number = caller_name.strip(), caller_number.strip()
    if caller_name and not identity_agreed:
        errors["caller_name"] = _("Record the caller's name only with their agreement: tick the agreement first.")
    if caller_number and not (identity_agreed or recognise_repeat):
        errors["caller_number"] = _(
            "Without the caller's agreement the number is not kept: tick the agreement, or "
            "“recognise repeat calls” to keep only a fingerprint of it."
        )
    if caller_number and len(_number_digits(caller_number)) < MIN_NUMBER_DIGITS:
        errors["caller_number"] = _("This does not look like a phone number.")
    if recognise_repeat and not caller_number:
        errors["caller_number"] = _("Type the number to recognise repeat calls from it.")
    if emergency:
        if not emergency_action.strip():
            errors["emergency_action"] = _("In an emergency, record what was done (112 called, police informed…).")
        if emergency_action_at is None:
            errors["emergency_action_at"] = _("In an emergency, record when it was done.")
        elif emergency_action_at > now + FUTURE_TOLERANCE:
            errors["emergency_action_at"] = _("This time is in the future.")
    if job_offer is not None and job_offer[0] not in RiskLevel.values:
        errors["job_offer_level"] = _("Unknown risk level.")
    if errors:
        raise ValidationError(errors)

    contact = Contact(
        reference=_new_reference(),
        organisation=organisation,
        taken_by=actor,
        channel=channel,
        started_at=started_at,
        duration_seconds=duration_seconds,
        contact_type=contact_type,
        caller_role=caller_role,
        destination_country=destination_country,
        county=county,
        language=language,
        summary=summary.strip(),
        identity_agreed=identity_agreed,
        caller_name=caller_name if identity_agreed else "",
        caller_phone=caller_number if identity_agreed else "",
        caller_lookup=caller_hash(caller_number) if caller_number else "",
        emergency=emergency,
        emergency_action=emergency_action.strip() if emergency else "",
        emergency_action_at=emergency_action_at if emergency else None,
    )
    contact.save()
    contact.topics.set(topics)
    if job_offer is not None:
        JobOfferCheck.objects.create(
            contact=contact, level=job_offer[0], sign_codes=_sign_codes(job_offer[1]), checked_by=actor
        )
    audit_record(
        action="helpline.contact.create",
        obj=contact,
        details={
            "type": contact_type.code,
            "channel": channel.code,
            "identity_kept": identity_agreed and bool(caller_name or caller_number),
            "repeat_recognition": bool(contact.caller_lookup),
            "emergency": emergency,
            "job_offer_level": job_offer[0] if job_offer else "",
        },
    )
    return contact


def _sign_codes(codes: Sequence[str]) -> list[str]:
    return sorted({str(code).strip()[:60] for code in codes if str(code).strip()})[:40]


def _escalation_county(contact: Contact, county: County | None) -> County:
    chosen = county or contact.county
    if chosen is None:
        raise ValidationError({"county": _("Choose the county, so the responsible regional centre can be found.")})
    return chosen


def _check_escalatable(contact: Contact) -> None:
    if contact.contact_type.code in NOT_ESCALATABLE:
        raise ValidationError(_("A silent, hang-up, prank or wrong-number contact cannot be escalated."))


def _mark_escalated(contact: Contact, county: County) -> None:
    if contact.escalated_at is None:
        contact.escalated_at = timezone.now()
        contact.escalated_county = county
        contact.save(update_fields=["escalated_at", "escalated_county", "updated_at"])


def _follow_up(contact: Contact, actor: Any, description: str, hours: int) -> FollowUp:
    return FollowUp.objects.create(
        contact=contact,
        description=description,
        due_at=timezone.now() + datetime.timedelta(hours=hours),
        assignee=actor,
        created_by=actor,
    )


@transaction.atomic
def contact_escalate_to_case(
    *,
    actor: Any,
    contact: Contact,
    county: County | None = None,
    first_name: str = "",
    last_name: str = "",
    sex: str = Sex.UNKNOWN,
    phone: str = "",
    summary: str = "",
    consent_given: bool = False,
    consent_given_on: datetime.date | None = None,
) -> Escalation:
    """Notify a presumed victim: open a case (atis.cases) for the centre covering the county.

    The person's consent to assistance is recorded with the case when they gave it; a
    third party's report opens the case without it (the NIRM takes any notification), and
    the centre asks the person.
    """
    policy.require(actor, "log", contact)
    _check_escalatable(contact)
    if contact.escalations.filter(kind=EscalationKind.CASE).exists():
        raise ValidationError(_("This contact has already been turned into a case."))
    chosen = _escalation_county(contact, county)
    if consent_given and consent_given_on is None:
        raise ValidationError({"consent_given_on": _("Give the date the consent was given.")})
    if consent_given_on and consent_given_on > timezone.localdate():
        raise ValidationError({"consent_given_on": _("This date is in the future.")})
    international = contact.destination_country and contact.destination_country != "RO"
    case = case_services.case_open(
        actor=actor,
        person={"first_name": first_name.strip(), "last_name": last_name.strip(), "sex": sex, "phone": phone.strip()},
        case={
            "county": chosen,
            "notified_on": timezone.localdate(),
            "destination_country": contact.destination_country,
            "trafficking_scope": Scope.INTERNATIONAL if international else Scope.UNKNOWN,
            "notifying_institution": contact.organisation,
            "summary": summary.strip() or contact.summary,
            # The regional centre assigns its own case manager; the operator only notifies.
            "case_manager": None,
        },
        assistance_consent_on=consent_given_on if consent_given else None,
    )
    escalation = Escalation.objects.create(
        contact=contact, kind=EscalationKind.CASE, case=case, centre=case.centre, created_by=actor
    )
    _mark_escalated(contact, chosen)
    _follow_up(
        contact,
        actor,
        _("Check that %(centre)s has taken over case %(case)s.") % {"centre": case.centre, "case": case.reference},
        ESCALATION_FOLLOW_UP_HOURS,
    )
    audit_record(
        action="helpline.contact.escalate",
        obj=contact,
        case=case,
        details={
            "kind": EscalationKind.CASE,
            "case": case.reference,
            "centre": str(case.centre),
            "consent": consent_given,
        },
    )
    return escalation


@transaction.atomic
def contact_notify_authorities(
    *, actor: Any, contact: Contact, authority: Organisation, county: County | None = None, message: str = ""
) -> Escalation:
    """Record a notification to the police or DIICOT, with the responsible regional centre."""
    policy.require(actor, "log", contact)
    _check_escalatable(contact)
    if authority.kind not in AUTHORITY_KINDS or not authority.is_active:
        raise ValidationError({"authority": _("Choose a police unit or a prosecutor's office (DIICOT).")})
    chosen = _escalation_county(contact, county)
    centre = case_services.centre_for(chosen.pk)
    escalation = Escalation.objects.create(
        contact=contact,
        kind=EscalationKind.AUTHORITIES,
        authority=authority,
        centre=centre,
        message=message.strip(),
        created_by=actor,
    )
    _mark_escalated(contact, chosen)
    _follow_up(
        contact,
        actor,
        _("Confirm that %(authority)s received the notification.") % {"authority": authority},
        ESCALATION_FOLLOW_UP_HOURS,
    )
    audit_record(
        action="helpline.contact.escalate",
        obj=contact,
        details={"kind": EscalationKind.AUTHORITIES, "authority": str(authority), "centre": str(centre)},
    )
    return escalation


@transaction.atomic
def follow_up_add(
    *, actor: Any, contact: Contact, description: str, due_at: datetime.datetime, assignee: Any = None
) -> FollowUp:
    policy.require(actor, "log", contact)
    assignee = assignee or actor
    if not policy.may(assignee, "log"):
        raise ValidationError({"assignee": _("Assign the follow-up to a HelpLine operator.")})
    if not description.strip():
        raise ValidationError({"description": _("Say what is to be done.")})
    if due_at < contact.started_at:
        raise ValidationError({"due_at": _("A follow-up cannot be due before the contact.")})
    follow_up = FollowUp.objects.create(
        contact=contact, description=description.strip(), due_at=due_at, assignee=assignee, created_by=actor
    )
    audit_record(action="helpline.follow_up.create", obj=contact, details={"due_at": due_at.isoformat()})
    return follow_up


@transaction.atomic
def follow_up_complete(*, actor: Any, follow_up: FollowUp) -> FollowUp:
    policy.require(actor, "log", follow_up.contact)
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if locked.done_at is not None:
        raise ValidationError(_("This follow-up is already done."))
    locked.done_at, locked.done_by = timezone.now(), actor
    locked.save(update_fields=["done_at", "done_by"])
    audit_record(action="helpline.follow_up.complete", obj=locked.contact)
    return locked


@transaction.atomic
def job_offer_check_record(*, actor: Any, contact: Contact, level: str, sign_codes: Sequence[str]) -> JobOfferCheck:
    """Keep the outcome of a job-offer check on the contact (never the offer's text)."""
    policy.require(actor, "log", contact)
    if level not in RiskLevel.values:
        raise ValidationError({"level": _("Unknown risk level.")})
    codes = _sign_codes(sign_codes)
    check = JobOfferCheck.objects.create(contact=contact, level=level, sign_codes=codes, checked_by=actor)
    audit_record(action="helpline.job_offer.check", obj=contact, details={"level": level, "signs": codes})
    return check
