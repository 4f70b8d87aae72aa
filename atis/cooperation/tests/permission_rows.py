"""The cooperation URLs in the permission matrix (see atis.core.tests.matrix).

Scene: an Iași county team with the test NGO as a member and a Cluj team without it; an
internal agreement and one shared with its parties (the test NGO among them); a Cluj NGO in
the directory; a transnational referral on an Iași case. The Cluj centre gets 404 for Iași
records; the test NGO sees its own organisation, the team it sits on and the shared agreement.
Writes are POST only, so a GET by a role that may write answers 405.
"""

from __future__ import annotations

from typing import Any

from atis.core.tests.matrix import NOT_ALLOWED, NOT_FOUND, REDIRECT, Row, only

DIRECTORY = {"coordinator", "manager_iasi", "manager_cluj", "ngo", "reporter", "operator"}
READERS = {"coordinator", "manager_iasi", "manager_cluj", "ngo", "reporter"}
TEAM_MANAGERS = {"coordinator", "manager_iasi", "manager_cluj"}
MANAGERS = {"coordinator"}


def _with(base: dict[str, int], **overrides: int) -> dict[str, int]:
    return {**base, **overrides}


ROWS: dict[str, Row] = {
    "cooperation:partners": (None, only(DIRECTORY), REDIRECT),
    # The test NGO's own page: every directory reader; partners of another organisation do not see it.
    "cooperation:partner": ("coop_own_ngo", _with(only(DIRECTORY), reporter=NOT_FOUND), REDIRECT),
    "cooperation:contact_add": ("coop_own_ngo", only(MANAGERS, yes=NOT_ALLOWED), REDIRECT),
    "cooperation:service_save": ("coop_own_ngo", only(MANAGERS, yes=NOT_ALLOWED), REDIRECT),
    "cooperation:contact_remove": ("coop_contact", only(MANAGERS, yes=NOT_ALLOWED), REDIRECT),
    "cooperation:services": (None, only(DIRECTORY), REDIRECT),
    "cooperation:agreements": (None, only(READERS), REDIRECT),
    "cooperation:agreement_create": (None, only(MANAGERS), REDIRECT),
    # Internal by default: partners' staff get 404 even when their organisation is a party.
    "cooperation:agreement": (
        "coop_internal_agreement",
        _with(only(READERS), ngo=NOT_FOUND, reporter=NOT_FOUND),
        REDIRECT,
    ),
    "cooperation:agreement_edit": ("coop_internal_agreement", only(MANAGERS), REDIRECT),
    "cooperation:document_link": ("coop_internal_agreement", only(MANAGERS, yes=NOT_ALLOWED), REDIRECT),
    "cooperation:document_unlink": ("coop_agreement_document", only(MANAGERS, yes=NOT_ALLOWED), REDIRECT),
    "cooperation:obligation_add": ("coop_internal_agreement", only(MANAGERS, yes=NOT_ALLOWED), REDIRECT),
    "cooperation:activity_add": ("coop_internal_agreement", only(MANAGERS, yes=NOT_ALLOWED), REDIRECT),
    "cooperation:teams": (None, only(READERS), REDIRECT),
    "cooperation:team_create": (None, only(TEAM_MANAGERS), REDIRECT),
    "cooperation:team": (
        "coop_iasi_team",
        _with(only(READERS), manager_cluj=NOT_FOUND, reporter=NOT_FOUND),
        REDIRECT,
    ),
    "cooperation:member_add": ("coop_iasi_team", _with(only(TEAM_MANAGERS, yes=NOT_ALLOWED)), REDIRECT),
    "cooperation:meeting_create": ("coop_iasi_team", _with(only(TEAM_MANAGERS), manager_cluj=NOT_FOUND), REDIRECT),
    "cooperation:meeting": (
        "coop_iasi_meeting",
        _with(only(READERS), manager_cluj=NOT_FOUND, reporter=NOT_FOUND),
        REDIRECT,
    ),
    "cooperation:decision_add": ("coop_iasi_meeting", only(TEAM_MANAGERS, yes=NOT_ALLOWED), REDIRECT),
    "cooperation:decision_follow_up": ("coop_iasi_decision", only(READERS, yes=NOT_ALLOWED), REDIRECT),
    "cooperation:transnational_list": (None, only(TEAM_MANAGERS), REDIRECT),
    "cooperation:transnational_create": (
        "coop_iasi_case",
        _with(only(TEAM_MANAGERS), manager_cluj=NOT_FOUND),
        REDIRECT,
    ),
    "cooperation:transnational": (
        "coop_transnational",
        _with(only(TEAM_MANAGERS), manager_cluj=NOT_FOUND),
        REDIRECT,
    ),
    "cooperation:transnational_update": ("coop_transnational", only(TEAM_MANAGERS, yes=NOT_ALLOWED), REDIRECT),
    # Step-up first: those allowed are sent to confirm their second factor again.
    "cooperation:packet": ("coop_transnational", only(TEAM_MANAGERS, yes=REDIRECT), REDIRECT),
    # A token that was never issued (or was already used) is not found, whoever asks.
    "cooperation:packet_download": ("coop_token", only(TEAM_MANAGERS, yes=NOT_FOUND), REDIRECT),
}


def url_kwargs(personas: Any) -> dict[str, dict[str, Any]]:
    from atis.cooperation import services
    from atis.cooperation.models import AgreementVisibility
    from atis.cooperation.tests import helpers

    coordinator = personas["coordinator"].user
    manager = personas["manager_iasi"].user
    ngo = personas["ngo"].organisation
    hq = personas["coordinator"].organisation
    contact = services.contact_point_add(actor=coordinator, organisation=ngo, role="Focal point", name="Ana Pop")
    internal = helpers.agreement(coordinator, [hq, ngo], title="Internal protocol")
    helpers.agreement(coordinator, [hq, ngo], title="Shared protocol", visibility=AgreementVisibility.PARTIES)
    iasi_team = helpers.team(coordinator, "IS", [personas["manager_iasi"].organisation, ngo])
    helpers.team(coordinator, "CJ", [personas["manager_cluj"].organisation])
    meeting = helpers.meeting(coordinator, iasi_team)
    decision = services.decision_add(
        actor=coordinator, meeting=meeting, text="Sesiuni de informare", owner_organisation=ngo, due_on=helpers.TODAY
    )
    referral = helpers.transnational(manager)
    # Public: this setup runs outside a request, so no one here is OTP-verified for internal texts.
    document = helpers.library_document(coordinator, visibility="public")
    services.agreement_document_link(actor=coordinator, agreement=internal, document=document)
    return {
        "coop_agreement_document": {"public_id": internal.public_id, "document_id": document.public_id},
        "coop_own_ngo": {"public_id": ngo.public_id},
        "coop_contact": {"public_id": contact.public_id},
        "coop_internal_agreement": {"public_id": internal.public_id},
        "coop_iasi_team": {"public_id": iasi_team.public_id},
        "coop_iasi_meeting": {"public_id": meeting.public_id},
        "coop_iasi_decision": {"public_id": decision.public_id},
        "coop_iasi_case": {"public_id": referral.case.public_id},
        "coop_transnational": {"public_id": referral.public_id},
        "coop_token": {"token": "never-issued"},
    }
