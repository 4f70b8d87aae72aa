"""Every change to a case goes through here: permission, rule, audit, in one transaction.

The workflow follows the National Identification and Referral Mechanism:
notified → identified (or not a victim) → referred → assisted → follow-up → closed.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from atis.accounts.selectors import active_membership
from atis.audit.services import audit_record
from atis.cases import attachments
from atis.cases.changes import case_changed
from atis.cases.models import (
    OPEN_REFERRAL_STATUSES,
    Attachment,
    Case,
    CaseStatus,
    CaseTask,
    Consent,
    ConsentPurpose,
    Note,
    Person,
    Proceeding,
    Referral,
    ReferralStatus,
    Section,
    TaskKind,
    TraffickingEvent,
    TraffickingStatus,
)
from atis.cases.permissions import cases as policy
from atis.cases.permissions import referrals as referral_policy
from atis.codelists.models import Code
from atis.lib.crypto import lookup_hash
from atis.lib.phones import normalise_phone
from atis.organisations.models import CentreCoverage, Organisation, OrganisationKind

# Law 678/2001, art. 39: a recovery and reflection period of up to 90 days.
REFLECTION_DAYS = 90
FOLLOW_UP_MONTHS = {TaskKind.FOLLOW_UP_3: 3, TaskKind.FOLLOW_UP_6: 6, TaskKind.FOLLOW_UP_12: 12}
ADULT_AGE = 18
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread

TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.NOTIFIED: {CaseStatus.IDENTIFIED, CaseStatus.NOT_VICTIM},
    CaseStatus.IDENTIFIED: {CaseStatus.REFERRED, CaseStatus.ASSISTED, CaseStatus.CLOSED},
    CaseStatus.REFERRED: {CaseStatus.ASSISTED, CaseStatus.CLOSED},
    CaseStatus.ASSISTED: {CaseStatus.FOLLOW_UP, CaseStatus.CLOSED},
    CaseStatus.FOLLOW_UP: {CaseStatus.CLOSED},
    CaseStatus.NOT_VICTIM: {CaseStatus.CLOSED},
    CaseStatus.CLOSED: set(),
}


class ConflictError(Exception):
    """Someone else saved the record since this user opened it."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this record after you opened it. Nothing was saved: reload it and apply your change again."
            )
        )


def _organisation_of(actor: Any) -> Organisation:
    membership = active_membership(actor)
    if membership is None:
        raise PermissionDenied
    return membership.organisation


def _new_reference(model: type[Model], prefix: str) -> str:
    for _attempt in range(20):
        candidate = prefix + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))
        if not model._default_manager.filter(reference=candidate).exists():
            return candidate
    raise IntegrityError("could not draw a free reference")


def age_on(birth: datetime.date | None, day: datetime.date | None) -> int | None:
    if birth is None or day is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def centre_for(county_id: int) -> Organisation:
    coverage = CentreCoverage.objects.select_related("centre").filter(county_id=county_id).first()
    if coverage is None:
        raise ValidationError({"county": _("No regional centre covers this county: an administrator must assign one.")})
    return coverage.centre


def validate_cnp(cnp: str) -> None:
    """The Romanian personal numeric code: 13 digits, a valid date and its control digit."""
    if len(cnp) != 13 or not cnp.isdigit():
        raise ValidationError(_("A CNP has exactly 13 digits."), code="cnp_format")
    weights = "279146358279"
    total = sum(int(digit) * int(weight) for digit, weight in zip(cnp[:12], weights, strict=True))
    control = total % 11
    if (1 if control == 10 else control) != int(cnp[12]):
        raise ValidationError(_("This CNP is not valid: its control digit does not match."), code="cnp_checksum")
    century = {"1": 1900, "2": 1900, "3": 1800, "4": 1800, "5": 2000, "6": 2000, "7": 1900, "8": 1900, "9": 1900}
    try:
        datetime.date(century[cnp[0]] + int(cnp[1:3]), int(cnp[3:5]), int(cnp[5:7]))
    except (KeyError, ValueError):
        raise ValidationError(
            _("This CNP is not valid: it does not hold a real date of birth."), code="cnp_date"
        ) from None


def _set_person_lookups(person: Person) -> None:
    person.cnp_lookup = lookup_hash(person.cnp, purpose="cnp") if person.cnp else ""
    person.phone_lookup = lookup_hash(normalise_phone(person.phone), purpose="phone") if person.phone else ""
    if person.date_of_birth:
        person.birth_year = person.date_of_birth.year


def _set_minor_flags(case: Case, person: Person) -> None:
    identified_age = age_on(person.date_of_birth, case.identified_on or case.notified_on)
    if identified_age is not None:
        case.age_at_identification = identified_age
        case.minor_at_identification = identified_age < ADULT_AGE
    exploited_age = age_on(person.date_of_birth, case.exploitation_started_on)
    if exploited_age is not None:
        case.minor_at_exploitation = exploited_age < ADULT_AGE
    elif identified_age is not None and identified_age < ADULT_AGE:
        case.minor_at_exploitation = True


PERSON_FIELDS = (
    "first_name",
    "last_name",
    "cnp",
    "date_of_birth",
    "phone",
    "email",
    "address",
    "sex",
    "citizenship",
    "county",
    "locality",
    "languages",
    "education",
)
CASE_FIELDS = (
    "trafficking_scope",
    "destination_country",
    "recruitment_method",
    "recruiter_relation",
    "notifying_institution",
    "county",
    "notified_on",
    "exploitation_started_on",
    "exploitation_ended_on",
    "summary",
    "case_manager",
)
CASE_M2M = ("exploitation_forms", "sexual_exploitation_types", "labour_industries", "control_methods")


def _apply(instance: Model, data: dict[str, Any], allowed: Iterable[str]) -> list[str]:
    """Set allowed fields only (mass-assignment guard); returns the names that changed."""
    allowed = set(allowed)
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"Fields not editable here: {sorted(unknown)}")
    changed = []
    for name, value in data.items():
        field = instance._meta.get_field(name)
        if field.many_to_one:
            current, new = getattr(instance, f"{name}_id"), (value.pk if value is not None else None)
        else:
            current, new = getattr(instance, name), value
        if current != new or instance.pk is None:
            setattr(instance, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def case_open(
    *,
    actor: Any,
    person: dict[str, Any],
    case: dict[str, Any],
    vulnerabilities: Iterable[Code] = (),
    m2m: dict[str, Iterable[Code]] | None = None,
    assistance_consent_on: datetime.date | None = None,
) -> Case:
    """Record a notification of a presumed victim: a new person and a new case.

    The person's consent to assistance, when the notifier heard it, is part of the
    notification: a notifier (the HelpLine) may not otherwise change the case.
    """
    policy.require_may(actor, "notify")
    organisation = _organisation_of(actor)
    new_person = Person(reference=_new_reference(Person, "P-"))
    _apply(new_person, person, PERSON_FIELDS)
    if new_person.cnp:
        validate_cnp(new_person.cnp)
    _set_person_lookups(new_person)
    new_person.full_clean(exclude=["reference"])
    new_person.save()
    new_person.vulnerabilities.set(vulnerabilities)

    new_case = Case(
        reference=_new_reference(Case, f"C{timezone.localdate().year % 100:02d}-"),
        person=new_person,
        owner_organisation=organisation,
        created_by=actor,
    )
    _apply(new_case, case, CASE_FIELDS)
    # Whoever may carry the case manages it; a notifier (the HelpLine) leaves it to the centre.
    if "case_manager" not in case and policy.may(actor, "edit"):
        new_case.case_manager = actor
    new_case.centre = centre_for(new_case.county_id)
    _set_minor_flags(new_case, new_person)
    new_case.full_clean(exclude=["reference", "person", "centre", "owner_organisation", "created_by"])
    new_case.save()
    for name, values in (m2m or {}).items():
        if name not in CASE_M2M:
            raise ValueError(f"Not a case code list: {name}")
        getattr(new_case, name).set(values)
    case_changed([new_case.pk])
    audit_record(action="case.create", obj=new_case)
    if assistance_consent_on is not None:
        consent = Consent(
            case=new_case,
            purpose=ConsentPurpose.ASSISTANCE,
            given_on=assistance_consent_on,
            recorded_by=actor,
        )
        consent.full_clean(exclude=["recorded_by"])
        consent.save()
        audit_record(action="consent.record", obj=new_case, details={"purpose": ConsentPurpose.ASSISTANCE})
    return new_case


def _save_versioned(instance: Case | Person, expected_version: int, fields: list[str]) -> None:
    """Write only if nobody saved since `expected_version` was read; bump the version."""
    model = type(instance)
    values = {name: getattr(instance, name) for name in fields}
    # The field's own get_prep_value encrypts; update() passes values through the field too.
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    if updated != 1:
        raise ConflictError
    instance.version = expected_version + 1


@transaction.atomic
def case_update(
    *,
    actor: Any,
    case: Case,
    expected_version: int,
    data: dict[str, Any],
    m2m: dict[str, Iterable[Code]] | None = None,
) -> Case:
    policy.require(actor, "edit", case)
    changed = _apply(case, data, CASE_FIELDS)
    if "county" in changed:
        case.centre = centre_for(case.county_id)
        changed.append("centre")
    _set_minor_flags(case, case.person)
    changed += ["minor_at_identification", "minor_at_exploitation", "age_at_identification"]
    case.full_clean(exclude=["reference", "person", "centre", "owner_organisation", "created_by"])
    _save_versioned(case, expected_version, changed)
    for name, values in (m2m or {}).items():
        if name not in CASE_M2M:
            raise ValueError(f"Not a case code list: {name}")
        before = set(getattr(case, name).values_list("pk", flat=True))
        after = {code.pk for code in values}
        if before != after:
            getattr(case, name).set(values)
            changed.append(name)
    case_changed([case.pk])
    audit_record(action="case.update", obj=case, details={"fields": sorted(set(changed))})
    return case


@transaction.atomic
def person_update(
    *,
    actor: Any,
    case: Case,
    expected_version: int,
    data: dict[str, Any],
    vulnerabilities: Iterable[Code] | None = None,
) -> Person:
    policy.require(actor, "edit", case, section=Section.PERSON)
    person = case.person
    changed = _apply(person, data, PERSON_FIELDS)
    if "cnp" in changed and person.cnp:
        validate_cnp(person.cnp)
    _set_person_lookups(person)
    changed += ["cnp_lookup", "phone_lookup", "birth_year"]
    person.full_clean(exclude=["reference"])
    _save_versioned(person, expected_version, changed)
    if vulnerabilities is not None:
        person.vulnerabilities.set(vulnerabilities)
    if {"date_of_birth"} & set(changed):
        _set_minor_flags(case, person)
        case.save(update_fields=["minor_at_identification", "minor_at_exploitation", "age_at_identification"])
    case_changed(person.cases.values_list("pk", flat=True))
    # Field names only: the audit log must never hold identity values.
    audit_record(
        action="person.update", obj=person, case=case, details={"case": case.reference, "fields": sorted(set(changed))}
    )
    return person


# --- Workflow -----------------------------------------------------------------------------


# The act each step of the workflow is, in the role × action table.
TRANSITION_ACTIONS: dict[str, str] = {
    CaseStatus.IDENTIFIED: "identify",
    CaseStatus.NOT_VICTIM: "identify",
    CaseStatus.REFERRED: "refer",
    CaseStatus.ASSISTED: "edit",
    CaseStatus.FOLLOW_UP: "edit",
    CaseStatus.CLOSED: "close",
}


def _transition(actor: Any, case: Case, target: str) -> None:
    policy.require(actor, TRANSITION_ACTIONS[target], case)
    if target not in TRANSITIONS[case.status]:
        raise ValidationError(
            _("A case that is %(current)s cannot become %(target)s.")
            % {"current": CaseStatus(case.status).label, "target": CaseStatus(target).label},
            code="illegal_transition",
        )


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("person").get(pk=case.pk)


def _task(case: Case, kind: str, due_on: datetime.date) -> None:
    CaseTask.objects.get_or_create(case=case, kind=kind, defaults={"due_on": due_on})


def child_protection_for(county_id: int) -> Organisation | None:
    return Organisation.objects.filter(kind=OrganisationKind.DGASPC, county_id=county_id, is_active=True).first()


@transaction.atomic
def case_identify(
    *,
    actor: Any,
    case: Case,
    identified_on: datetime.date,
    identifying_institution: Organisation,
    deciding_institution: Organisation | None = None,
    reflection_days: int = REFLECTION_DAYS,
) -> Case:
    """The person is identified as a victim. Starts the recovery and reflection period and,
    for a minor, sends the case to the county's child protection service as the law requires."""
    case = _locked(case)
    _transition(actor, case, CaseStatus.IDENTIFIED)
    if identified_on < case.notified_on:
        raise ValidationError({"identified_on": _("Identification cannot come before the notification.")})
    case.status = CaseStatus.IDENTIFIED
    case.trafficking_status = TraffickingStatus.IDENTIFIED
    case.identified_on = identified_on
    case.identifying_institution = identifying_institution
    case.deciding_institution = deciding_institution or identifying_institution
    case.reflection_starts_on = identified_on
    case.reflection_ends_on = identified_on + datetime.timedelta(days=reflection_days)
    _set_minor_flags(case, case.person)
    fields = [
        "status",
        "trafficking_status",
        "identified_on",
        "identifying_institution",
        "deciding_institution",
        "reflection_starts_on",
        "reflection_ends_on",
        "minor_at_identification",
        "minor_at_exploitation",
        "age_at_identification",
    ]
    _task(case, TaskKind.REFLECTION_END, case.reflection_ends_on)
    if case.minor_at_identification:
        _route_minor(actor, case)
        fields.append("child_protection")
    _save_versioned(case, case.version, fields)
    case_changed([case.pk])
    audit_record(action="case.identify", obj=case, details={"minor": case.minor_at_identification})
    return case


def _route_minor(actor: Any, case: Case) -> None:
    """Children go to child protection (DGASPC) whatever the consent on file (Law 272/2004)."""
    dgaspc = child_protection_for(case.county_id)
    if dgaspc is None:
        raise ValidationError(
            _("No child protection service (DGASPC) is registered for this county; an administrator must add it.")
        )
    case.child_protection = dgaspc
    _task(case, TaskKind.CHILD_PROTECTION, case.identified_on or timezone.localdate())
    if not Referral.objects.filter(case=case, to_organisation=dgaspc).exclude(status=ReferralStatus.REVOKED).exists():
        referral = Referral.objects.create(
            case=case,
            from_organisation=_organisation_of(actor),
            to_organisation=dgaspc,
            sections=list(Section.values),
            override_reason=_("Minor: child protection must be notified by law (Law 272/2004)."),
            sent_by=actor,
        )
        audit_record(action="referral.send", obj=referral, details={"minor_routing": True})


@transaction.atomic
def case_mark_not_victim(*, actor: Any, case: Case, deciding_institution: Organisation) -> Case:
    case = _locked(case)
    _transition(actor, case, CaseStatus.NOT_VICTIM)
    case.status = CaseStatus.NOT_VICTIM
    case.trafficking_status = TraffickingStatus.NOT_VICTIM
    case.deciding_institution = deciding_institution
    _save_versioned(case, case.version, ["status", "trafficking_status", "deciding_institution"])
    case_changed([case.pk])
    audit_record(action="case.not_victim", obj=case)
    return case


@transaction.atomic
def case_start_assistance(*, actor: Any, case: Case) -> Case:
    case = _locked(case)
    _transition(actor, case, CaseStatus.ASSISTED)
    case.status = CaseStatus.ASSISTED
    _save_versioned(case, case.version, ["status"])
    case_changed([case.pk])
    audit_record(action="case.assist", obj=case)
    return case


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate_day)
        except ValueError:
            continue
    raise ValueError(day)


@transaction.atomic
def case_start_follow_up(*, actor: Any, case: Case, started_on: datetime.date) -> Case:
    """Assistance ended with reintegration: follow-ups at 3, 6 and 12 months become tasks."""
    case = _locked(case)
    _transition(actor, case, CaseStatus.FOLLOW_UP)
    case.status = CaseStatus.FOLLOW_UP
    for kind, months in FOLLOW_UP_MONTHS.items():
        _task(case, kind, _add_months(started_on, months))
    _save_versioned(case, case.version, ["status"])
    case_changed([case.pk])
    audit_record(action="case.follow_up", obj=case)
    return case


@transaction.atomic
def case_close(*, actor: Any, case: Case, closed_on: datetime.date, reason: Code) -> Case:
    case = _locked(case)
    _transition(actor, case, CaseStatus.CLOSED)
    if case.referrals.filter(status__in=OPEN_REFERRAL_STATUSES).exists():
        raise ValidationError(_("Complete, reject or revoke the open referrals before closing the case."))
    if closed_on < case.notified_on:
        raise ValidationError({"closed_on": _("A case cannot close before it was notified.")})
    case.status = CaseStatus.CLOSED
    case.closed_on = closed_on
    case.closure_reason = reason
    _save_versioned(case, case.version, ["status", "closed_on", "closure_reason"])
    case_changed([case.pk])
    audit_record(action="case.close", obj=case, details={"reason": reason.code})
    return case


@transaction.atomic
def task_complete(*, actor: Any, task: CaseTask, done_on: datetime.date, outcome: str = "") -> CaseTask:
    policy.require(actor, "edit", task.case)
    if task.done_on is not None:
        raise ValidationError(_("This task is already done."))
    task.done_on, task.done_by, task.outcome = done_on, actor, outcome[:300]
    task.save(update_fields=["done_on", "done_by", "outcome"])
    audit_record(action="task.complete", obj=task.case, details={"task": task.kind})
    return task


# --- Consent ------------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    actor: Any,
    case: Case,
    purpose: str,
    given_on: datetime.date,
    organisation: Organisation | None = None,
    given_by_representative: bool = False,
    notes: str = "",
) -> Consent:
    policy.require(actor, "edit", case)
    if purpose == ConsentPurpose.SHARING and organisation is None:
        raise ValidationError({"organisation": _("Name the organisation the data may be shared with.")})
    consent = Consent(
        case=case,
        purpose=purpose,
        organisation=organisation if purpose == ConsentPurpose.SHARING else None,
        given_on=given_on,
        given_by_representative=given_by_representative,
        recorded_by=actor,
        notes=notes,
    )
    consent.full_clean(exclude=["recorded_by"])
    consent.save()
    case_changed([case.pk])
    audit_record(
        action="consent.record",
        obj=case,
        details={"purpose": purpose, "organisation": str(organisation) if organisation else ""},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: Any, consent: Consent, withdrawn_on: datetime.date) -> int:
    """Withdrawal stops further sharing: the referrals that relied on it are revoked."""
    policy.require(actor, "edit", consent.case)
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": _("Consent cannot be withdrawn before it was given.")})
    consent.withdrawn_on, consent.withdrawn_by = withdrawn_on, actor
    consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
    revoked = 0
    for referral in consent.referrals.select_for_update().filter(status__in=OPEN_REFERRAL_STATUSES):
        _close_referral(referral, ReferralStatus.REVOKED, actor, _("Consent withdrawn."))
        revoked += 1
    case_changed([consent.case_id])
    audit_record(
        action="consent.withdraw", obj=consent.case, details={"purpose": consent.purpose, "referrals_revoked": revoked}
    )
    return revoked


def active_sharing_consent(case: Case, organisation: Organisation) -> Consent | None:
    return (
        Consent.objects.filter(
            case=case, purpose=ConsentPurpose.SHARING, organisation=organisation, withdrawn_on__isnull=True
        )
        .order_by("-given_on")
        .first()
    )


# --- Referrals ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralRequest:
    to_organisation: Organisation
    services: list[Code]
    sections: list[str]
    reason: Code | None = None
    message: str = ""
    override_reason: str = ""


@transaction.atomic
def referral_send(*, actor: Any, case: Case, request: ReferralRequest) -> Referral:
    """Refer the person to another organisation for stated services.

    Refused without the person's active consent to share with that organisation, unless the
    actor's role may override and records why.
    """
    policy.require(actor, "refer", case)
    sender = _organisation_of(actor)
    if case.status in (CaseStatus.CLOSED, CaseStatus.NOT_VICTIM):
        raise ValidationError(_("A closed case, or one of a person found not to be a victim, cannot be referred."))
    if request.to_organisation == sender:
        raise ValidationError({"to_organisation": _("Choose another organisation than your own.")})
    unknown_sections = set(request.sections) - set(Section.values)
    if unknown_sections or not request.sections:
        raise ValidationError({"sections": _("Choose which parts of the case the organisation may see.")})
    if not request.services:
        raise ValidationError({"services": _("Choose at least one service.")})
    consent = active_sharing_consent(case, request.to_organisation)
    override = request.override_reason.strip()
    if consent is None:
        if not override:
            raise ValidationError(
                _("The person has not consented to share data with %(organisation)s. Record the consent first.")
                % {"organisation": request.to_organisation},
                code="consent_missing",
            )
        if not actor.has_perm("cases.override_consent"):
            raise PermissionDenied(_("Your role may not refer without the person's consent."))
    referral = Referral.objects.create(
        case=case,
        from_organisation=sender,
        to_organisation=request.to_organisation,
        sections=sorted(set(request.sections)),
        reason=request.reason,
        message=request.message[:500],
        consent=consent,
        override_reason="" if consent else override[:300],
        sent_by=actor,
    )
    referral.services.set(request.services)
    if case.status == CaseStatus.IDENTIFIED:
        case.status = CaseStatus.REFERRED
        _save_versioned(case, case.version, ["status"])
    case_changed([case.pk])
    audit_record(
        action="referral.send",
        obj=referral,
        details={"to": str(request.to_organisation), "override": not consent, "sections": referral.sections},
    )
    return referral


def _close_referral(referral: Referral, status: str, actor: Any, reason: str = "") -> None:
    referral.status = status
    referral.closed_at = timezone.now()
    if status in (ReferralStatus.REJECTED, ReferralStatus.REVOKED):
        referral.response_reason = reason[:300]
    referral.save(update_fields=["status", "closed_at", "response_reason"])
    # An accepted referral counted the person as assisted; revoked, it no longer does. Before
    # the audit entry: the case is locked before the counts' lock, as in every case service.
    case_changed([referral.case_id])
    # The reason is encrypted on the referral; the audit log, which is not, records only that one was given.
    audit_record(action=f"referral.{status}", obj=referral, details={"reason_given": True} if reason else None)


def _locked_referral(referral: Referral, expected: tuple[str, ...]) -> Referral:
    referral = Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)
    if referral.status not in expected:
        raise ValidationError(
            _("This referral is already %(status)s.") % {"status": ReferralStatus(referral.status).label},
            code="referral_state",
        )
    return referral


@transaction.atomic
def referral_accept(*, actor: Any, referral: Referral) -> Referral:
    referral_policy.require(actor, "answer", referral)
    referral = _locked_referral(referral, (ReferralStatus.SENT,))
    referral.status = ReferralStatus.ACCEPTED
    referral.answered_by, referral.answered_at = actor, timezone.now()
    referral.save(update_fields=["status", "answered_by", "answered_at"])
    case_changed([referral.case_id])
    audit_record(action="referral.accept", obj=referral)
    return referral


@transaction.atomic
def referral_reject(*, actor: Any, referral: Referral, reason: str) -> Referral:
    referral_policy.require(actor, "answer", referral)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the referral is rejected.")})
    referral = _locked_referral(referral, (ReferralStatus.SENT,))
    referral.answered_by, referral.answered_at = actor, timezone.now()
    referral.save(update_fields=["answered_by", "answered_at"])
    _close_referral(referral, ReferralStatus.REJECTED, actor, reason.strip())
    return referral


@transaction.atomic
def referral_complete(*, actor: Any, referral: Referral) -> Referral:
    referral_policy.require(actor, "answer", referral)
    referral = _locked_referral(referral, (ReferralStatus.ACCEPTED,))
    _close_referral(referral, ReferralStatus.COMPLETED, actor)
    return referral


@transaction.atomic
def referral_revoke(*, actor: Any, referral: Referral, reason: str) -> Referral:
    """The sending side takes a referral back; the receiver loses access at once."""
    policy.require(actor, "refer", referral.case)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the referral is revoked.")})
    referral = _locked_referral(referral, OPEN_REFERRAL_STATUSES)
    _close_referral(referral, ReferralStatus.REVOKED, actor, reason.strip())
    return referral


# --- Notes --------------------------------------------------------------------------------

NOTE_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li"}


@transaction.atomic
def note_add(*, actor: Any, case: Case, body: str) -> Note:
    policy.require(actor, "note", case)
    clean = nh3.clean(body, tags=NOTE_TAGS, attributes={}).strip()
    if not clean:
        raise ValidationError({"body": _("The note is empty.")})
    note = Note.objects.create(case=case, body=clean, author=actor, author_organisation=_organisation_of(actor))
    audit_record(action="note.add", obj=case)
    return note


# --- Trafficking events -------------------------------------------------------------------

EVENT_FIELDS = ("kind", "country", "county", "locality", "place", "started_on", "ended_on", "notes")


def _check_event(event: TraffickingEvent) -> None:
    """Where it happened: a county and locality in Romania, a named place abroad."""
    errors: dict[str, str] = {}
    if event.country == "RO":
        if event.place:
            errors["place"] = _("Name a place only for events abroad; in Romania choose the county and locality.")
        locality = event.locality
        if locality is not None and event.county_id and locality.county_id != event.county_id:
            errors["locality"] = _("This locality is not in the chosen county.")
        if locality is not None and not event.county_id:
            event.county_id = locality.county_id
    elif event.county_id or event.locality_id:
        errors["county"] = _("County and locality apply only to events in Romania.")
    if event.started_on and event.ended_on and event.ended_on < event.started_on:
        errors["ended_on"] = _("The end cannot come before the start.")
    if errors:
        raise ValidationError(errors)
    event.full_clean(exclude=["case"])


@transaction.atomic
def event_add(*, actor: Any, case: Case, data: dict[str, Any]) -> TraffickingEvent:
    policy.require(actor, "edit", case, section=Section.EVENTS)
    event = TraffickingEvent(case=case)
    _apply(event, data, EVENT_FIELDS)
    _check_event(event)
    event.save()
    audit_record(action="event.add", obj=case, details={"kind": event.kind})
    return event


@transaction.atomic
def event_update(*, actor: Any, event: TraffickingEvent, data: dict[str, Any]) -> TraffickingEvent:
    policy.require(actor, "edit", event.case, section=Section.EVENTS)
    changed = _apply(event, data, EVENT_FIELDS)
    _check_event(event)
    if changed:
        event.save(update_fields=sorted(set(changed) | {"county"}))
    audit_record(action="event.update", obj=event.case, details={"kind": event.kind, "fields": sorted(changed)})
    return event


@transaction.atomic
def event_delete(*, actor: Any, event: TraffickingEvent) -> None:
    policy.require(actor, "edit", event.case, section=Section.EVENTS)
    case, kind = event.case, event.kind
    event.delete()
    audit_record(action="event.delete", obj=case, details={"kind": kind})


# --- Criminal proceedings -----------------------------------------------------------------

PROCEEDING_FIELDS = (
    "role",
    "prosecuting_unit",
    "file_number",
    "stage",
    "protection_measures",
    "compensation_claimed",
    "compensation_awarded",
    "updated_on",
)


@transaction.atomic
def proceeding_save(
    *, actor: Any, case: Case, data: dict[str, Any], proceeding: Proceeding | None = None
) -> Proceeding:
    """Add a proceeding to the case, or update one of its proceedings."""
    policy.require(actor, "edit", case, section=Section.PROCEEDINGS)
    if proceeding is not None and proceeding.case_id != case.pk:
        raise PermissionDenied
    target = proceeding or Proceeding(case=case)
    creating = target.pk is None
    changed = _apply(target, data, PROCEEDING_FIELDS)
    errors = {
        name: _("An amount cannot be negative.")
        for name in ("compensation_claimed", "compensation_awarded")
        if getattr(target, name) is not None and getattr(target, name) < 0
    }
    if errors:
        raise ValidationError(errors)
    target.full_clean(exclude=["case"])
    target.save()
    # Field names only: the file number and protection measures are confidential.
    audit_record(
        action="proceeding.add" if creating else "proceeding.update",
        obj=case,
        details={"stage": target.stage, "fields": sorted(changed)},
    )
    return target


# --- Attachments --------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, actor: Any, case: Case, upload: UploadedFile, description: str = "") -> Attachment:
    """Keep a file with the case: checked by content and size, its metadata stripped,
    encrypted under a key of its own and stored under a random name.

    A refused file leaves nothing behind, on disk or in the database.
    """
    policy.require(actor, "note", case)
    organisation = _organisation_of(actor)
    clean = attachments.check_upload(upload)
    content_type = clean.content_type
    stored = attachments.store_clean(clean, encrypt=True)
    try:
        attachment = Attachment.objects.create(
            case=case,
            storage_name=stored.name,
            original_name=attachments.clean_name(upload.name or ""),
            content_type=content_type,
            size=stored.size,
            sha256=stored.sha256,
            file_key=stored.key,
            description=description.strip()[:200],
            uploaded_by=actor,
            uploaded_by_organisation=organisation,
        )
        audit_record(
            action="attachment.add",
            obj=case,
            details={"attachment": str(attachment.public_id), "type": content_type, "size": stored.size},
        )
    except BaseException:
        attachments.discard(stored.name)
        raise
    return attachment
