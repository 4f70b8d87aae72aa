"""Every change to cooperation records goes through here: permission, scope, rule, audit."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from atis.accounts.selectors import scope_of
from atis.audit.services import audit_record
from atis.cases import services as case_services
from atis.cases.models import Case, ReferralStatus, Section
from atis.cases.selectors import SHARING_STATUSES, case_sections_for, cases_visible_to
from atis.codelists.models import Code, CodeList
from atis.cooperation import packet
from atis.cooperation.models import (
    Activity,
    Agreement,
    ContactPoint,
    CountyTeam,
    Decision,
    DecisionStatus,
    DecisionUpdate,
    Direction,
    Meeting,
    Obligation,
    PacketExport,
    PacketFormat,
    PartnerService,
    ReturnStatus,
    TeamMember,
    TransnationalReferral,
    TransnationalStatus,
    TrmPhase,
)
from atis.cooperation.permissions import MANAGE_AGREEMENTS, MANAGE_TEAMS, REFER_TRANSNATIONAL, agreements, teams
from atis.geo.models import County
from atis.lib.scope import ScopeKind
from atis.organisations.models import Organisation, OrganisationKind

MANAGE = MANAGE_AGREEMENTS
TEAMS = MANAGE_TEAMS
TRANSNATIONAL = REFER_TRANSNATIONAL


# --- Partner directory --------------------------------------------------------------------


@transaction.atomic
def contact_point_add(
    *, actor: Any, organisation: Organisation, role: str, name: str, phone: str = "", email: str = ""
) -> ContactPoint:
    agreements.require_may(actor, "manage")
    if not role.strip() or not name.strip():
        raise ValidationError(_("Give the contact's role and name."))
    contact = ContactPoint(
        organisation=organisation, role=role.strip(), name=name.strip(), phone=phone.strip(), email=email.strip()
    )
    contact.full_clean()
    contact.save()
    audit_record(action="contact_point.add", obj=contact)
    return contact


@transaction.atomic
def contact_point_deactivate(*, actor: Any, contact: ContactPoint) -> ContactPoint:
    agreements.require_may(actor, "manage")
    contact.is_active = False
    contact.save(update_fields=["is_active"])
    audit_record(action="contact_point.deactivate", obj=contact)
    return contact


@transaction.atomic
def partner_service_save(
    *,
    actor: Any,
    organisation: Organisation,
    service_type: Code,
    county: County,
    capacity: int | None = None,
    conditions: str = "",
    is_active: bool = True,
) -> PartnerService:
    """Add a service or update the one the partner already lists for that county."""
    agreements.require_may(actor, "manage")
    if service_type.list != CodeList.SERVICE_TYPE:
        raise ValidationError({"service_type": _("Choose a type of service.")})
    if capacity is not None and capacity < 0:
        raise ValidationError({"capacity": _("Capacity cannot be negative.")})
    service, created = PartnerService.objects.select_for_update().get_or_create(
        organisation=organisation,
        service_type=service_type,
        county=county,
        defaults={"capacity": capacity, "conditions": conditions[:300], "is_active": is_active},
    )
    if not created:
        service.capacity, service.conditions, service.is_active = capacity, conditions[:300], is_active
        service.save(update_fields=["capacity", "conditions", "is_active", "updated_at"])
    audit_record(
        action="partner_service.add" if created else "partner_service.update",
        obj=service,
        details={"capacity": capacity, "active": is_active},
    )
    return service


# --- Agreements ---------------------------------------------------------------------------

AGREEMENT_FIELDS = ("title", "kind", "scope", "signed_on", "expires_on", "visibility")


@transaction.atomic
def agreement_save(
    *, actor: Any, agreement: Agreement | None = None, parties: Iterable[Organisation], **data: Any
) -> Agreement:
    agreements.require_may(actor, "manage")
    unknown = set(data) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    parties = list(parties)
    if len(parties) < 2:
        raise ValidationError({"parties": _("An agreement has at least two parties.")})
    creating = agreement is None
    agreement = agreement or Agreement(created_by=actor)
    for name, value in data.items():
        setattr(agreement, name, value)
    if agreement.expires_on and agreement.signed_on and agreement.expires_on < agreement.signed_on:
        raise ValidationError({"expires_on": _("An agreement cannot expire before it is signed.")})
    agreement.full_clean(exclude=["created_by", "parties"])
    agreement.save()
    agreement.parties.set(parties)
    audit_record(
        action="agreement.create" if creating else "agreement.update",
        obj=agreement,
        details={"parties": sorted(str(party.pk) for party in parties), "visibility": agreement.visibility},
    )
    return agreement


@transaction.atomic
def agreement_document_link(*, actor: Any, agreement: Agreement, document: Any) -> None:
    """Attach a library document the actor may see; the library keeps deciding who opens it."""
    from atis.cooperation.library import documents_linkable_by

    agreements.require_may(actor, "manage")
    if not documents_linkable_by(actor).filter(pk=document.pk).exists():
        raise PermissionDenied
    agreement.documents.add(document)
    audit_record(action="agreement.document_link", obj=agreement, details={"document": str(document.public_id)})


@transaction.atomic
def agreement_document_unlink(*, actor: Any, agreement: Agreement, document: Any) -> None:
    agreements.require_may(actor, "manage")
    agreement.documents.remove(document)
    audit_record(action="agreement.document_unlink", obj=agreement, details={"document": str(document.public_id)})


@transaction.atomic
def obligation_add(
    *,
    actor: Any,
    agreement: Agreement,
    description: str,
    party: Organisation | None = None,
    due_on: datetime.date | None = None,
) -> Obligation:
    agreements.require_may(actor, "manage")
    if not description.strip():
        raise ValidationError({"description": _("Describe the obligation.")})
    if party is not None and not agreement.parties.filter(pk=party.pk).exists():
        raise ValidationError({"party": _("The obligation must fall on one of the parties.")})
    obligation = Obligation.objects.create(
        agreement=agreement, party=party, description=description.strip()[:500], due_on=due_on
    )
    audit_record(action="agreement.obligation_add", obj=agreement)
    return obligation


@transaction.atomic
def activity_add(
    *,
    actor: Any,
    title: str,
    held_on: datetime.date,
    agreement: Agreement | None = None,
    partners: Iterable[Organisation] = (),
    summary: str = "",
) -> Activity:
    """A joint activity, under an agreement or directly with counterparts."""
    agreements.require_may(actor, "manage")
    partners = list(partners)
    if not title.strip():
        raise ValidationError({"title": _("Name the activity.")})
    if agreement is None and not partners:
        raise ValidationError({"partners": _("Name the partners of an activity outside any agreement.")})
    activity = Activity.objects.create(
        agreement=agreement, title=title.strip()[:300], held_on=held_on, summary=summary.strip(), created_by=actor
    )
    activity.partners.set(partners)
    audit_record(action="activity.add", obj=agreement or activity, object_label=activity.title[:200])
    return activity


# --- County teams -------------------------------------------------------------------------


def _require_county_in_scope(actor: Any, county: County) -> None:
    scope = scope_of(actor)
    if scope.kind == ScopeKind.NATIONAL:
        return
    if scope.kind == ScopeKind.CENTRE and county.pk in scope.county_ids:
        return
    raise PermissionDenied


def _require_team(actor: Any, team: CountyTeam) -> None:
    teams.require(actor, "manage", team)


@transaction.atomic
def team_create(*, actor: Any, county: County, chair: Organisation) -> CountyTeam:
    teams.require_may(actor, "manage")
    _require_county_in_scope(actor, county)
    if chair.kind != OrganisationKind.PREFECTURE:
        raise ValidationError({"chair": _("The team is chaired by the prefect's institution.")})
    if CountyTeam.objects.filter(county=county).exists():
        raise ValidationError({"county": _("This county already has a team.")})
    try:
        with transaction.atomic():
            team = CountyTeam.objects.create(county=county, chair=chair)
    except IntegrityError:
        # Two people creating the same county's team at once: the constraint decides.
        raise ValidationError({"county": _("This county already has a team.")}) from None
    TeamMember.objects.create(team=team, organisation=chair)
    audit_record(action="county_team.create", obj=team)
    return team


@transaction.atomic
def team_member_add(
    *, actor: Any, team: CountyTeam, organisation: Organisation, representative: str = "", representative_role: str = ""
) -> TeamMember:
    _require_team(actor, team)
    member, created = TeamMember.objects.get_or_create(
        team=team,
        organisation=organisation,
        defaults={"representative": representative.strip(), "representative_role": representative_role.strip()[:120]},
    )
    if not created:
        member.representative, member.representative_role = representative.strip(), representative_role.strip()[:120]
        member.save(update_fields=["representative", "representative_role"])
    audit_record(
        action="county_team.member_add" if created else "county_team.member_update",
        obj=team,
        details={"organisation": organisation.name},
    )
    return member


@transaction.atomic
def meeting_record(
    *,
    actor: Any,
    team: CountyTeam,
    held_on: datetime.date,
    agenda: str,
    minutes: str = "",
    participants: Iterable[Organisation] = (),
) -> Meeting:
    _require_team(actor, team)
    if not agenda.strip():
        raise ValidationError({"agenda": _("Write the agenda of the meeting.")})
    participants = list(participants)
    members = set(team.members.values_list("organisation_id", flat=True))
    strangers = [organisation.name for organisation in participants if organisation.pk not in members]
    if strangers:
        raise ValidationError(
            {
                "participants": _("Not members of this team: %(names)s. Add them to the team first.")
                % {"names": ", ".join(strangers)}
            }
        )
    meeting = Meeting.objects.create(
        team=team, held_on=held_on, agenda=agenda.strip(), minutes=minutes.strip(), recorded_by=actor
    )
    meeting.participants.set(participants)
    audit_record(action="county_team.meeting_record", obj=meeting, details={"participants": len(participants)})
    return meeting


@transaction.atomic
def decision_add(
    *,
    actor: Any,
    meeting: Meeting,
    text: str,
    owner_organisation: Organisation,
    due_on: datetime.date,
    owner: Any = None,
) -> Decision:
    _require_team(actor, meeting.team)
    if not text.strip():
        raise ValidationError({"text": _("Write the decision.")})
    if due_on < meeting.held_on:
        raise ValidationError({"due_on": _("A decision cannot be due before the meeting that took it.")})
    if not meeting.team.members.filter(organisation=owner_organisation).exists():
        raise ValidationError({"owner_organisation": _("The responsible institution must be a member of the team.")})
    if owner is not None and not owner.memberships.filter(organisation=owner_organisation, is_active=True).exists():
        raise ValidationError({"owner": _("The responsible person must work for the responsible institution.")})
    decision = Decision.objects.create(
        meeting=meeting, text=text.strip()[:500], owner_organisation=owner_organisation, owner=owner, due_on=due_on
    )
    audit_record(action="county_team.decision_add", obj=decision)
    return decision


@transaction.atomic
def decision_follow_up(
    *, actor: Any, decision: Decision, noted_on: datetime.date, note: str, status: str
) -> DecisionUpdate:
    """Record what was done; the team's managers and the decision's own responsible person may."""
    is_owner = decision.owner_id is not None and decision.owner_id == actor.pk
    if not is_owner:
        _require_team(actor, decision.meeting.team)
    if status not in DecisionStatus.values:
        raise ValidationError({"status": _("Choose a status.")})
    if not note.strip():
        raise ValidationError({"note": _("Say what was done.")})
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if noted_on < decision.meeting.held_on:
        raise ValidationError({"noted_on": _("A follow-up cannot come before the meeting.")})
    update = DecisionUpdate.objects.create(
        decision=decision, noted_on=noted_on, note=note.strip()[:500], status=status, recorded_by=actor
    )
    decision.status = status
    decision.closed_on = None if status == DecisionStatus.OPEN else noted_on
    decision.save(update_fields=["status", "closed_on"])
    audit_record(action="county_team.decision_follow_up", obj=decision, details={"status": status})
    return update


# --- Transnational referrals --------------------------------------------------------------


@dataclass(frozen=True)
class TransnationalRequest:
    direction: str
    counterpart: Organisation
    phase: str
    # What the counterpart may receive; empty for an incoming referral with nothing to send back.
    sections: list[str] = field(default_factory=list)
    services: list[Code] = field(default_factory=list)
    message: str = ""


def _require_case(actor: Any, case: Case) -> None:
    if not actor.has_perm(TRANSNATIONAL):
        raise PermissionDenied
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied
    if Section.CASE not in case_sections_for(actor, case):
        raise PermissionDenied


@transaction.atomic
def transnational_open(*, actor: Any, case: Case, request: TransnationalRequest) -> TransnationalReferral:
    """Record a referral to or from a foreign counterpart.

    Sharing anything with the counterpart is a case referral (atis.cases.referral_send), so the
    person's consent to share with that counterpart is checked, recorded and revocable in one
    place; an outgoing referral always shares something.
    """
    _require_case(actor, case)
    if request.counterpart.country == "RO":
        raise ValidationError({"counterpart": _("Choose a counterpart abroad.")})
    if request.direction not in Direction.values:
        raise ValidationError({"direction": _("Choose the direction.")})
    if request.phase not in TrmPhase.values:
        raise ValidationError({"phase": _("Choose the phase.")})
    if request.direction == Direction.OUTGOING and not request.sections:
        raise ValidationError({"sections": _("Choose which parts of the case the counterpart may receive.")})
    sharing = None
    if request.sections:
        sharing = case_services.referral_send(
            actor=actor,
            case=case,
            request=case_services.ReferralRequest(
                to_organisation=request.counterpart,
                services=request.services,
                sections=request.sections,
                message=request.message,
            ),
        )
    referral = TransnationalReferral.objects.create(
        case=case,
        direction=request.direction,
        counterpart=request.counterpart,
        phase=request.phase,
        sharing=sharing,
        created_by=actor,
    )
    audit_record(
        action="transnational.open",
        obj=referral,
        details={"direction": request.direction, "phase": request.phase, "country": request.counterpart.country},
    )
    return referral


TRANSNATIONAL_FIELDS = ("phase", "status", "return_status", "returned_on", "follow_up")


@transaction.atomic
def transnational_update(*, actor: Any, referral: TransnationalReferral, **data: Any) -> TransnationalReferral:
    _require_case(actor, referral.case)
    unknown = set(data) - set(TRANSNATIONAL_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    referral = TransnationalReferral.objects.select_for_update().get(pk=referral.pk)
    before = {name: getattr(referral, name) for name in ("phase", "status", "return_status")}
    for name, value in data.items():
        setattr(referral, name, value)
    if referral.return_status == ReturnStatus.COMPLETED and referral.returned_on is None:
        raise ValidationError({"returned_on": _("Give the date of the return.")})
    if referral.return_status != ReturnStatus.COMPLETED:
        referral.returned_on = None
    if referral.status not in TransnationalStatus.values or referral.phase not in TrmPhase.values:
        raise ValidationError(_("Choose a phase and a status."))
    referral.full_clean(exclude=["created_by", "case", "counterpart", "sharing"])
    referral.save()
    changes = {name: [old, getattr(referral, name)] for name, old in before.items() if old != getattr(referral, name)}
    audit_record(action="transnational.update", obj=referral, details=changes)
    return referral


def packet_sections(actor: Any, referral: TransnationalReferral) -> set[str]:
    """What a packet may hold now: the consented referral's sections the actor may open too.

    Nothing when there is no sharing referral, when it is no longer live (revoked, for instance
    because the consent was withdrawn) or when it was sent without consent (an override).
    """
    sharing = referral.sharing
    if sharing is None or sharing.status not in SHARING_STATUSES:
        return set()
    if sharing.consent is None or not sharing.consent.is_active:
        return set()
    allowed = set(sharing.sections) & case_sections_for(actor, referral.case)
    return allowed & set(packet.PACKET_SECTIONS)


@dataclass(frozen=True)
class ExportedPacket:
    content: bytes
    password: str
    filename: str
    content_type: str


@transaction.atomic
def packet_export(*, actor: Any, referral: TransnationalReferral, fmt: str) -> ExportedPacket:
    """The encrypted packet and its one-time password; the password is returned, never kept."""
    _require_case(actor, referral.case)
    if fmt not in PacketFormat.values:
        raise ValidationError(_("Choose a format."))
    if referral.sharing is not None:
        # Read again: a consent withdrawn a moment ago must stop this export.
        referral.sharing.refresh_from_db()
        if referral.sharing.consent is not None:
            referral.sharing.consent.refresh_from_db()
    sections = packet_sections(actor, referral)
    if not sections:
        raise ValidationError(
            _("Nothing may be sent: the person's consent to share with this counterpart is missing or was withdrawn.")
        )
    content = packet.packet_content(case=referral.case, sections=sections, referral=referral)
    password = packet.new_password()
    if fmt == PacketFormat.PDF:
        data, content_type = packet.seal_pdf(content, password), "application/pdf"
    else:
        data, content_type = packet.seal_json(content, password), "application/json"
    PacketExport.objects.create(
        referral=referral,
        format=fmt,
        sections=sorted(sections),
        sha256=hashlib.sha256(data).hexdigest(),
        exported_by=actor,
    )
    audit_record(
        action="transnational.packet_export",
        obj=referral.case,
        details={"format": fmt, "sections": sorted(sections), "counterpart": referral.counterpart.name},
    )
    filename = f"{referral.case.reference}-packet.{'pdf' if fmt == PacketFormat.PDF else 'json'}"
    return ExportedPacket(content=data, password=password, filename=filename, content_type=content_type)


def sharing_is_live(referral: TransnationalReferral) -> bool:
    return bool(referral.sharing and referral.sharing.status in (ReferralStatus.SENT, ReferralStatus.ACCEPTED))
