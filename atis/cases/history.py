"""The case file's history as people read it: a timeline, not the audit log's raw codes.

Every audit entry about the case, its person, referrals, assistance, screenings and
proceedings carries the case's reference (`AuditEntry.case_ref`), so one indexed query finds
them all. Entries written before that column existed are found by the object they hang on.
Successive reads by one user within a visit fold into one line naming the parts opened.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from atis.accounts.roles import ROLES
from atis.audit.models import AuditEntry
from atis.cases.models import Case, Section

# Reads closer together than this are one visit of the file.
VISIT_GAP = datetime.timedelta(minutes=30)

ACTION_LABELS: dict[str, str | Promise] = {
    "read": _("Opened the file"),
    "case.create": _("Opened the case (notification)"),
    "case.update": _("Changed the case details"),
    "person.update": _("Changed the person's details"),
    "case.identify": _("Identified the person as a victim"),
    "case.not_victim": _("Found that the person is not a victim"),
    "case.assist": _("Started assistance"),
    "case.follow_up": _("Started follow-up"),
    "case.close": _("Closed the case"),
    "case.export": _("Exported the case file"),
    "task.complete": _("Completed a task"),
    "consent.record": _("Recorded a consent"),
    "consent.withdraw": _("Recorded the withdrawal of a consent"),
    "referral.send": _("Sent a referral"),
    "referral.accept": _("Accepted a referral"),
    "referral.rejected": _("Rejected a referral"),
    "referral.revoked": _("Revoked a referral"),
    "referral.completed": _("Completed a referral"),
    "note.add": _("Added a note"),
    "attachment.add": _("Added a file"),
    "attachment.download": _("Downloaded a file"),
    "event.add": _("Added a trafficking event"),
    "event.update": _("Changed a trafficking event"),
    "event.delete": _("Deleted a trafficking event"),
    "proceeding.add": _("Added a criminal proceeding"),
    "proceeding.update": _("Changed a criminal proceeding"),
    "assistance.plan_create": _("Drew up the assistance plan"),
    "assistance.goal_add": _("Added an assistance goal"),
    "assistance.goal_update": _("Changed an assistance goal"),
    "assistance.review_add": _("Reviewed the assistance plan"),
    "assistance.service_record": _("Recorded a service given"),
    "assistance.service_update": _("Changed a service given"),
    "assistance.shelter_place": _("Placed the person in a shelter"),
    "assistance.shelter_release": _("Recorded the person's leaving the shelter"),
    "screening.record": _("Recorded a screening"),
    "screening.prefill_case": _("Filled the case from a screening"),
    "helpline.contact.escalate": _("Notified the case from a HelpLine contact"),
    "transnational.open": _("Opened a transnational referral"),
    "transnational.update": _("Changed a transnational referral"),
    "transnational.packet_export": _("Exported a transnational referral packet"),
    "access.denied": _("Was refused access"),
}
SECTION_LABELS: dict[str, str | Promise] = {
    **dict(Section.choices),
    "consent": _("consent"),
    "referrals": _("referrals"),
    "history": _("history"),
}


def entries_of(case: Case) -> QuerySet[AuditEntry]:
    """Every audit entry about the case file, newest first."""
    earlier = [str(case.public_id), str(case.person.public_id)]
    return AuditEntry.objects.filter(Q(case_ref=str(case.public_id)) | Q(object_ref__in=earlier)).order_by("-sequence")


@dataclass
class Line:
    at: datetime.datetime
    actor: str
    role: str | Promise
    organisation: str
    action: str | Promise
    details: str
    outcome: str
    denied: bool
    # For a folded visit: the first read's time and the parts opened.
    since: datetime.datetime | None = None
    parts: list[str] = field(default_factory=list)
    reads: int = 1


def role_label(code: str) -> str | Promise:
    spec = ROLES.get(code)
    return spec.label if spec else code


def _details(entry: AuditEntry) -> str:
    shown = []
    for key, value in (entry.details or {}).items():
        if key in ("section", "cases", "page"):
            continue
        if isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        shown.append(f"{key}: {value}")
    return "; ".join(shown)


def timeline(entries: Iterable[AuditEntry]) -> list[Line]:
    """Entries newest first; reads by one user, one after another within VISIT_GAP, fold into one line."""
    lines: list[Line] = []
    for entry in entries:
        section = str((entry.details or {}).get("section", ""))
        part = str(SECTION_LABELS.get(section, section)) if section else ""
        previous = lines[-1] if lines else None
        if (
            entry.action == "read"
            and previous is not None
            and previous.reads
            and previous.action == ACTION_LABELS["read"]
            and previous.actor == entry.actor_label
            and (previous.since or previous.at) - entry.at <= VISIT_GAP
        ):
            previous.since = entry.at
            previous.reads += 1
            if part and part not in previous.parts:
                previous.parts.append(part)
            continue
        lines.append(
            Line(
                at=entry.at,
                actor=entry.actor_label or "—",
                role=role_label(entry.role),
                organisation=entry.organisation_label,
                action=ACTION_LABELS.get(entry.action, entry.action),
                details=_details(entry),
                outcome=entry.get_outcome_display(),
                denied=entry.outcome != "success",
                parts=[part] if part else [],
                reads=1 if entry.action == "read" else 0,
            )
        )
    return lines
