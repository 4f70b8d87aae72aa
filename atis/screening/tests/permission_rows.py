"""The screening URLs in the permission matrix (see atis.core.tests.matrix).

The case is an Iași case referred to the test NGO with the case section: the national
coordinator, the Iași centre and that NGO may screen it; the Cluj centre gets 404. The
job-offer check is public; its operator page is for the HelpLine and case managers.
"""

from __future__ import annotations

from typing import Any

from atis.core.tests.matrix import FORBIDDEN, NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Row, everyone, only

SCREENERS = {"coordinator", "manager_iasi", "manager_cluj", "ngo"}
IN_SCOPE = {"coordinator", "manager_iasi", "ngo"}
CHECKERS = {"coordinator", "manager_iasi", "manager_cluj", "operator"}
EDITORS = {"coordinator"}
CALLBACK_HANDLERS = {"coordinator", "operator"}


def _case_row() -> dict[str, int]:
    return {**only(IN_SCOPE, no=FORBIDDEN), "manager_cluj": NOT_FOUND}


ROWS: dict[str, Row] = {
    "screening:case": ("screening_case", _case_row(), REDIRECT),
    "screening:new": (
        "screening_case",
        {**only(set(), no=FORBIDDEN), **dict.fromkeys(IN_SCOPE, NOT_FOUND), "manager_cluj": NOT_FOUND},
        REDIRECT,
    ),
    "screening:detail": ("screening", _case_row(), REDIRECT),
    "screening:prefill": (
        "screening",
        {**only({"coordinator", "manager_iasi", "manager_cluj"}, yes=NOT_ALLOWED)},
        REDIRECT,
    ),
    "screening:compare": ("screening_pair", _case_row(), REDIRECT),
    "screening:indicators": (None, only(EDITORS), REDIRECT),
    "screening:indicator_create": (None, only(EDITORS), REDIRECT),
    "screening:indicator_history": (None, only(EDITORS), REDIRECT),
    "screening:indicator_edit": ("indicator", only(EDITORS), REDIRECT),
    "screening:job_offer": (None, everyone(OK), OK),
    "screening:job_offer_check": (None, only(CHECKERS), REDIRECT),
    "screening:callbacks": (None, only(CALLBACK_HANDLERS), REDIRECT),
    "screening:callback_done": ("callback", only(CALLBACK_HANDLERS, yes=NOT_ALLOWED), REDIRECT),
}


def url_kwargs(personas: Any) -> dict[str, dict[str, Any]]:
    from django.utils import timezone

    from atis.assistance.tests.helpers import identified_case, refer
    from atis.cases.models import Section
    from atis.screening.models import CallbackRequest, Indicator
    from atis.screening.tests.helpers import screen

    manager = personas["manager_iasi"].user
    case = identified_case(manager)
    refer(manager, case, personas["ngo"].organisation, sections=(Section.CASE,))
    first = screen(manager, case, "adult_labour", {"excessive_hours"})
    second = screen(manager, case, "adult_labour", {"excessive_hours", "debt_bondage"})
    callback = CallbackRequest.objects.create(
        phone="0722000000", language="ro", consent_given_at=timezone.now(), level="low"
    )
    return {
        "screening_case": {"public_id": case.public_id},
        "screening": {"public_id": first.public_id},
        "screening_pair": {"public_id": first.public_id, "other_id": second.public_id},
        "indicator": {"public_id": Indicator.objects.first().public_id},  # type: ignore[union-attr]
        "callback": {"public_id": callback.public_id},
    }
