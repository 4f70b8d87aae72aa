"""Every persona × every case action × cases inside and outside their scope, through the services.

The route matrix (core/tests/test_permission_matrix.py) proves who reaches a URL; this one
proves what the case policy lets each role do to which case, and that an allowed act really
goes through the service while a refused one is refused: 404 for a case outside the scope
(or a part of it not granted, for a read), 403 for a case in scope the role may not act on
that way.

The expectation is worked out from two written tables, never from the policy's code: the
role × action table (atis.accounts.actions.CASE_TABLE) and RELATIONS below, which says how
each persona stands to each case. A policy change the table does not carry fails here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from atis.accounts.actions import CASE_ACTIONS, CASE_TABLE
from atis.accounts.selectors import active_membership
from atis.cases import pdf, services
from atis.cases.models import Case, CaseStatus, Consent, ConsentPurpose, ReferralStatus, Section
from atis.cases.permissions import cases as policy
from atis.cases.selectors import case_for
from atis.cases.tests.helpers import code, identify_and_refer, open_case
from atis.codelists.models import CodeList
from atis.organisations.models import Organisation
from conftest import PERSONAS

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 10)
ALLOWED, NOT_FOUND, FORBIDDEN = "allowed", 404, 403


@dataclass(frozen=True)
class Relation:
    kind: str  # "national" | "centre" (in the counties or the charge of their centre) | "own" | "receiver"
    sections: frozenset[str] = frozenset(Section.values)


NATIONAL, CENTRE, OWN = Relation("national"), Relation("centre"), Relation("own")
PARTIAL = frozenset({Section.CASE, Section.EVENTS})

# The cases (see `_cases`): opened by the HelpLine operator in Iași, opened by Iași's centre,
# opened by Cluj's centre, and two Iași cases referred to the Iași NGO, one with only the
# case details and events granted, one with every part granted.
OBJECTS = ("operator_case", "iasi_case", "cluj_case", "referred_partial", "referred_full")
RELATIONS: dict[str, dict[str, Relation]] = {
    "coordinator": dict.fromkeys(OBJECTS, NATIONAL),
    "manager_iasi": {
        "operator_case": CENTRE,
        "iasi_case": CENTRE,
        "referred_partial": CENTRE,
        "referred_full": CENTRE,
    },
    "manager_cluj": {"cluj_case": CENTRE},
    "ngo": {
        "referred_partial": Relation("receiver", PARTIAL),
        "referred_full": Relation("receiver"),
    },
    "operator": {"operator_case": OWN},
    # Every other persona stands in no relation to any case.
}

# Reads refused answer 404: they must not confirm that the case, or the part, exists.
READS = {"view", "view_identity", "see_history"}
SECTION_OF = {"view_identity": Section.PERSON, "note": Section.NOTES}
# Acts that decide about a case belong to its owning side, never to an organisation it was referred to.
OWNERS_ONLY = {"edit", "identify", "refer", "close", "see_history", "export"}


def role_of(persona: str) -> str:
    from conftest import PERSONA_SPECS

    return PERSONA_SPECS[persona][0]


def expected(persona: str, action: str, obj: str) -> Any:
    relation = RELATIONS.get(persona, {}).get(obj)
    if relation is None:
        return NOT_FOUND
    refused = NOT_FOUND if action in READS else FORBIDDEN
    if action not in CASE_TABLE[role_of(persona)].actions:
        return refused
    if relation.kind == "receiver" and action in OWNERS_ONLY:
        return refused
    if action == "see_history" and relation.kind not in ("national", "centre"):
        return refused
    section = SECTION_OF.get(action)
    if section and section not in relation.sections:
        return refused
    return ALLOWED


# --- The acts, each through the service that does it ---------------------------------------


def _fresh(case: Case) -> Case:
    return Case.objects.select_related("person").get(pk=case.pk)


def _view(user: Any, case: Case) -> None:
    case_for(user, case.public_id)


def _require(action: str) -> Callable[[Any, Case], None]:
    # Reads with no service of their own (the identity tab, the history tab) ask the policy
    # exactly as their views do.
    def act(user: Any, case: Case) -> None:
        policy.require(user, action, case)

    return act


def _edit(user: Any, case: Case) -> None:
    case = _fresh(case)
    services.case_update(actor=user, case=case, expected_version=case.version, data={"destination_country": "ES"})


def _identify(user: Any, case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.NOTIFIED)
    services.case_identify(
        actor=user,
        case=_fresh(case),
        identified_on=DAY,
        identifying_institution=Organisation.objects.get(name="Test Police Iași"),
    )


def _refer(user: Any, case: Case) -> None:
    target = Organisation.objects.get(name="Test DGASPC Cluj")
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.IDENTIFIED)
    Consent.objects.create(
        case=case, purpose=ConsentPurpose.SHARING, organisation=target, given_on=DAY, recorded_by=case.created_by
    )
    services.referral_send(
        actor=user,
        case=_fresh(case),
        request=services.ReferralRequest(
            to_organisation=target, services=[code(CodeList.SERVICE_TYPE, "psychological")], sections=[Section.CASE]
        ),
    )


def _close(user: Any, case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.ASSISTED)
    # Completed referrals still open the case to their organisation, and let it close.
    case.referrals.update(status=ReferralStatus.COMPLETED)
    services.case_close(actor=user, case=_fresh(case), closed_on=DAY, reason=code(CodeList.CLOSURE_REASON, "other"))


def _note(user: Any, case: Case) -> None:
    services.note_add(actor=user, case=case, body="<p>Checked.</p>")


def _export(user: Any, case: Case) -> None:
    assert pdf.case_export(actor=user, case=case).startswith(b"%PDF")


ACTS: dict[str, Callable[[Any, Case], None]] = {
    "view": _view,
    "view_identity": _require("view_identity"),
    "edit": _edit,
    "identify": _identify,
    "refer": _refer,
    "close": _close,
    "note": _note,
    "see_history": _require("see_history"),
    "export": _export,
}


class _Undo(Exception):
    """Raised to roll an allowed act back, so the next act starts from the same cases."""


def outcome(act: Callable[[Any, Case], object], user: Any, case: Case) -> Any:
    try:
        with transaction.atomic():
            act(user, case)
            raise _Undo
    except _Undo:
        return ALLOWED
    except Http404:
        return NOT_FOUND
    except PermissionDenied:
        return FORBIDDEN
    except ValidationError as error:  # an allowed act must not trip on its own set-up
        return f"refused by a rule: {error.messages}"


# --- The cases -----------------------------------------------------------------------------


def _referred(manager: Any, ngo: Organisation, sections: list[str]) -> Case:
    return identify_and_refer(manager, open_case(manager), ngo, sections, service="psychological", on=DAY).case


def _cases(personas: Any) -> dict[str, Case]:
    manager = personas["manager_iasi"].user
    ngo = personas["ngo"].organisation
    return {
        "operator_case": open_case(personas["operator"].user),
        "iasi_case": open_case(manager),
        "cluj_case": open_case(personas["manager_cluj"].user, county="CJ"),
        "referred_partial": _referred(manager, ngo, sorted(PARTIAL)),
        "referred_full": _referred(manager, ngo, list(Section.values)),
    }


def test_every_case_action_has_a_row_in_the_table_and_an_act_here() -> None:
    assert set(ACTS) | {"notify"} == set(CASE_ACTIONS)
    assert {role_of(persona) for persona in PERSONAS} == set(CASE_TABLE)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_case_policy_matches_the_table_for(persona: str, personas: Any) -> None:
    cases = _cases(personas)
    user = personas[persona].user
    found: dict[tuple[str, str], Any] = {}
    wanted: dict[tuple[str, str], Any] = {}
    for action, act in ACTS.items():
        for name, case in cases.items():
            wanted[action, name] = expected(persona, action, name)
            found[action, name] = outcome(act, user, case)
            # What pages draw their buttons from agrees with what the services let through.
            shown = action in policy.allowed(user, case)
            assert shown == (wanted[action, name] == ALLOWED), (action, name)
    notify = "allowed" if "notify" in CASE_TABLE[role_of(persona)].actions else FORBIDDEN
    wanted["notify", "new"] = notify
    found["notify", "new"] = outcome(lambda user, _case: open_case(user), user, cases["iasi_case"])
    differences = {key: (found[key], wanted[key]) for key in wanted if found[key] != wanted[key]}
    assert differences == {}, f"{persona}: (found, expected) per (action, case)"


def test_a_persona_without_an_organisation_is_refused_everything(personas: Any) -> None:
    """Deny by default: a membership ended leaves no scope, whatever the role's table row."""
    manager = personas["manager_iasi"].user
    case = open_case(manager)
    membership = active_membership(manager)
    assert membership is not None
    membership.is_active, membership.ended_at = False, timezone.now()
    membership.save()
    manager = type(manager).objects.get(pk=manager.pk)  # a new request: nothing cached
    assert outcome(_view, manager, case) == NOT_FOUND
    assert outcome(_edit, manager, case) == NOT_FOUND
