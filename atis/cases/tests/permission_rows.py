"""Every case URL × every persona.

The case: opened in Iași by manager_iasi, identified, and referred with consent to the
Iași NGO ("ngo"), which was granted only the case details and the trafficking events. So
the NGO sees those two parts and gets 404 for the others; Cluj's centre and the HelpLine
operator (own records only) get 404 for all of it; roles without case rights get 403.
POST-only URLs answer 405 to a GET from anyone who passes the permission check.
"""

from __future__ import annotations

import atexit
import datetime
import hashlib
import os
from typing import Any

from atis.core.tests.matrix import FORBIDDEN, NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Row, only

VIEWERS = {"coordinator", "manager_iasi", "manager_cluj", "ngo", "operator"}
# The HelpLine notifies (opens) cases but never changes, identifies, refers or closes one.
NOTIFIERS = {"coordinator", "manager_iasi", "manager_cluj", "operator"}
MANAGERS = {"coordinator", "manager_iasi", "manager_cluj"}
NOTE_WRITERS = VIEWERS
ANSWERERS = {"manager_iasi", "manager_cluj", "ngo"}
EXPORTERS = {"coordinator", "manager_iasi", "manager_cluj"}
IN_CHARGE = {"coordinator", "manager_iasi"}  # see the whole case: national and the Iași centre


def _tab(granted_to_ngo: bool) -> dict[str, int]:
    """A tab of the case file, read with cases.view_case."""
    expected = only(VIEWERS, no=FORBIDDEN)
    for persona in VIEWERS:
        expected[persona] = OK if persona in IN_CHARGE else NOT_FOUND
    if granted_to_ngo:
        expected["ngo"] = OK
    return expected


def _manage_page() -> dict[str, int]:
    """A form page that changes the case (cases.edit_case): 404 outside the scope."""
    expected = only(MANAGERS, no=FORBIDDEN)
    for persona in MANAGERS:
        expected[persona] = OK if persona in IN_CHARGE else NOT_FOUND
    return expected


_POST_MANAGE = only(MANAGERS, yes=NOT_ALLOWED)

ROWS: dict[str, Row] = {
    "cases:list": (None, only(VIEWERS), REDIRECT),
    "cases:search": (None, only(VIEWERS), REDIRECT),
    "cases:create": (None, only(NOTIFIERS), REDIRECT),
    "cases:localities": (None, only(NOTIFIERS), REDIRECT),
    "cases:referral_inbox": (None, only(ANSWERERS), REDIRECT),
    "cases:referral_accept": ("referral", only(ANSWERERS, yes=NOT_ALLOWED), REDIRECT),
    "cases:referral_reject": ("referral", only(ANSWERERS, yes=NOT_ALLOWED), REDIRECT),
    "cases:referral_complete": ("referral", only(ANSWERERS, yes=NOT_ALLOWED), REDIRECT),
    "cases:referral_revoke": ("referral", _POST_MANAGE, REDIRECT),
    "cases:detail": ("case", _tab(granted_to_ngo=True), REDIRECT),
    "cases:person": ("case", _tab(granted_to_ngo=False), REDIRECT),
    "cases:events": ("case", _tab(granted_to_ngo=True), REDIRECT),
    "cases:consent": ("case", _tab(granted_to_ngo=True), REDIRECT),
    "cases:referrals": ("case", _tab(granted_to_ngo=True), REDIRECT),
    "cases:proceedings": ("case", _tab(granted_to_ngo=False), REDIRECT),
    "cases:notes": ("case", _tab(granted_to_ngo=False), REDIRECT),
    # Who read and changed the case: the national coordination and the centre in charge.
    "cases:history": ("case", _tab(granted_to_ngo=False), REDIRECT),
    # The export asks for the second factor again before it looks at the case.
    "cases:export_pdf": ("case", only(EXPORTERS, yes=REDIRECT), REDIRECT),
    "cases:edit": ("case", _manage_page(), REDIRECT),
    "cases:person_edit": ("case", _manage_page(), REDIRECT),
    "cases:identify": ("case", _POST_MANAGE, REDIRECT),
    "cases:not_victim": ("case", _POST_MANAGE, REDIRECT),
    "cases:start_assistance": ("case", _POST_MANAGE, REDIRECT),
    "cases:follow_up": ("case", _POST_MANAGE, REDIRECT),
    "cases:close": ("case", _POST_MANAGE, REDIRECT),
    "cases:task_done": ("case_task", _POST_MANAGE, REDIRECT),
    "cases:consent_record": ("case", _POST_MANAGE, REDIRECT),
    "cases:consent_withdraw": ("case", _POST_MANAGE, REDIRECT),
    "cases:referral_send": ("case", _POST_MANAGE, REDIRECT),
    "cases:event_add": ("case", _manage_page(), REDIRECT),
    "cases:event_edit": ("case_event", _manage_page(), REDIRECT),
    "cases:event_delete": ("case_event", _POST_MANAGE, REDIRECT),
    "cases:proceeding_add": ("case", _manage_page(), REDIRECT),
    "cases:proceeding_edit": ("case_proceeding", _manage_page(), REDIRECT),
    # Notes need cases.write_note and the notes section (checked by the policy).
    "cases:note_add": ("case", only(NOTE_WRITERS, yes=NOT_ALLOWED), REDIRECT),
    "cases:attachment_add": ("case", only(NOTE_WRITERS, yes=NOT_ALLOWED), REDIRECT),
    "cases:attachment_download": ("case_attachment", _tab(granted_to_ngo=False), REDIRECT),
}


def _sample_attachment(case: Any, user: Any, organisation: Any) -> Any:
    """One small file per test process, removed when it ends.

    The matrix builds its objects for every row; through the upload service each build
    would leave one more file in the private storage, which the test run shares with the
    demo. A fixed name per process keeps it to one file, gone at exit.
    """
    from atis.cases import attachments
    from atis.cases.models import Attachment

    content = b"A plain text statement.\n"
    name = f"permission-matrix-{os.getpid()}"
    path = attachments.storage_dir() / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        atexit.register(path.unlink, missing_ok=True)
    return Attachment.objects.create(
        case=case,
        storage_name=name,
        original_name="statement.txt",
        content_type="text/plain",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
        uploaded_by_organisation=organisation,
    )


def url_kwargs(personas: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from atis.cases import services
    from atis.cases.models import ConsentPurpose, Section, TaskKind
    from atis.cases.tests.helpers import code, open_case
    from atis.codelists.models import CodeList
    from atis.organisations.models import Organisation

    manager = personas["manager_iasi"].user
    day = datetime.date(2026, 3, 10)
    case = open_case(manager)
    case = services.case_identify(
        actor=manager,
        case=case,
        identified_on=day,
        identifying_institution=Organisation.objects.get(name="Test Police Iași"),
    )
    services.consent_record(
        actor=manager,
        case=case,
        purpose=ConsentPurpose.SHARING,
        organisation=personas["ngo"].organisation,
        given_on=day,
    )
    referral = services.referral_send(
        actor=manager,
        case=case,
        request=services.ReferralRequest(
            to_organisation=personas["ngo"].organisation,
            services=[code(CodeList.SERVICE_TYPE, "psychological")],
            sections=[Section.CASE, Section.EVENTS],
        ),
    )
    event = services.event_add(actor=manager, case=case, data={"kind": "recruitment", "country": "IT"})
    proceeding = services.proceeding_save(
        actor=manager, case=case, data={"role": "injured_party", "stage": "investigation", "updated_on": day}
    )
    attachment = _sample_attachment(case, manager, personas["manager_iasi"].organisation)
    case_kwargs = {"public_id": case.public_id}
    return {
        "case": case_kwargs,
        "case_task": {**case_kwargs, "kind": TaskKind.REFLECTION_END.value},
        "case_event": {**case_kwargs, "event_id": event.pk},
        "case_proceeding": {**case_kwargs, "proceeding_id": proceeding.pk},
        "case_attachment": {**case_kwargs, "attachment_id": attachment.public_id},
        "referral": {"public_id": referral.public_id},
    }
