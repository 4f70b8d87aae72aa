"""Who may do what to a case: the role × action table, written once, as data.

The agency distinguishes these acts on a case file. `roles.py` turns each role's row into the
Django permissions `sync_roles` grants, and `atis.cases.permissions.CasePolicy` adds where
(the role's scope) to what (this table). A change of a role's rights is a change of this
table; the persona × action × object matrix test reads it and fails when a policy disagrees.

Role codes are written out (not imported from roles.py) because roles.py reads this module.
"""

from __future__ import annotations

from dataclasses import dataclass

# The acts on a case, in the order of the mechanism (NIRM).
NOTIFY = "notify"  # open a case for a presumed victim (also the HelpLine's escalation)
VIEW = "view"  # read the case file's granted parts
VIEW_IDENTITY = "view_identity"  # read the person's identity and contact details
EDIT = "edit"  # change case details, person, events, proceedings, consent, tasks, assistance steps
IDENTIFY = "identify"  # formal identification as a victim, or the finding that the person is not one
REFER = "refer"  # send a referral to another organisation, or take one back
CLOSE = "close"  # close the case
NOTE = "note"  # add a note or an attachment to the file
SEE_HISTORY = "see_history"  # read who read and changed the case
EXPORT = "export"  # take the case file away as a PDF

CASE_ACTIONS: tuple[str, ...] = (NOTIFY, VIEW, VIEW_IDENTITY, EDIT, IDENTIFY, REFER, CLOSE, NOTE, SEE_HISTORY, EXPORT)

# The Django permission that carries each act (route rules and sync_roles use these).
CASE_PERMISSIONS: dict[str, str] = {
    NOTIFY: "cases.notify_case",
    VIEW: "cases.view_case",
    VIEW_IDENTITY: "cases.view_identity",
    EDIT: "cases.edit_case",
    IDENTIFY: "cases.identify_victim",
    REFER: "cases.refer_case",
    CLOSE: "cases.close_case",
    NOTE: "cases.write_note",
    SEE_HISTORY: "cases.see_case_history",
    EXPORT: "cases.export_case",
}


@dataclass(frozen=True)
class Grant:
    actions: frozenset[str]
    why: str


_EVERY = frozenset(CASE_ACTIONS)
_NONE: frozenset[str] = frozenset()

CASE_TABLE: dict[str, Grant] = {
    "system_admin": Grant(_NONE, "Runs accounts and organisations; never reads a victim's record."),
    "national_coordinator": Grant(
        _EVERY, "Coordinates the mechanism nationally: every act on every case, history included."
    ),
    "regional_case_manager": Grant(
        _EVERY, "Carries the centre's cases from notification to closure; decides identification and referral."
    ),
    "provider_staff": Grant(
        frozenset({VIEW, VIEW_IDENTITY, NOTE}),
        "Assists what was referred to their organisation: reads the parts granted and adds notes; decides nothing on the case.",
    ),
    "helpline_operator": Grant(
        frozenset({NOTIFY, VIEW, VIEW_IDENTITY, NOTE}),
        "Answers the HelpLine and notifies presumed victims; identification, referral and closure belong to the case manager.",
    ),
    "campaign_officer": Grant(_NONE, "Works on prevention campaigns; no victim's record."),
    "strategy_reporter": Grant(_NONE, "Reports on strategy activities; no victim's record."),
    "analyst": Grant(_NONE, "Reads aggregate figures only, never a case."),
    "auditor": Grant(_NONE, "Reads the audit log, not the records it is about."),
}


def case_permissions(role: str) -> tuple[str, ...]:
    """The Django permissions a role's row of the table grants, in the table's order."""
    granted = CASE_TABLE[role].actions
    return tuple(CASE_PERMISSIONS[action] for action in CASE_ACTIONS if action in granted)
