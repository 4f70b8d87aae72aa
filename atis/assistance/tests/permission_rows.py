"""The assistance URLs in the permission matrix (see atis.core.tests.matrix).

The case is an Iași case referred to the test NGO with the assistance section: the national
coordinator, the Iași centre and that NGO open it; the Cluj centre gets 404 (outside its
scope). Writes are POST only, so a GET by a role that may write answers 405.
"""

from __future__ import annotations

from typing import Any

from atis.core.tests.matrix import FORBIDDEN, NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Row, only

CASE_MANAGERS = {"coordinator", "manager_iasi", "manager_cluj"}
RECORDERS = CASE_MANAGERS | {"ngo"}

ROWS: dict[str, Row] = {
    "assistance:case": (
        "assistance_case",
        {**only({"coordinator", "manager_iasi", "ngo"}, no=FORBIDDEN), "manager_cluj": NOT_FOUND},
        REDIRECT,
    ),
    "assistance:shelters": (None, only(CASE_MANAGERS, yes=OK), REDIRECT),
    "assistance:plan_create": ("assistance_case", only(RECORDERS, yes=NOT_ALLOWED), REDIRECT),
    "assistance:goal_add": ("assistance_case", only(RECORDERS, yes=NOT_ALLOWED), REDIRECT),
    "assistance:review_add": ("assistance_case", only(RECORDERS, yes=NOT_ALLOWED), REDIRECT),
    "assistance:service_record": ("assistance_case", only(RECORDERS, yes=NOT_ALLOWED), REDIRECT),
    "assistance:goal_update": ("assistance_goal", only(RECORDERS, yes=NOT_ALLOWED), REDIRECT),
    "assistance:service_update": ("assistance_service", only(RECORDERS, yes=NOT_ALLOWED), REDIRECT),
    "assistance:shelter_place": ("assistance_case", only(CASE_MANAGERS, yes=NOT_ALLOWED), REDIRECT),
    "assistance:shelter_release": ("assistance_placement", only(CASE_MANAGERS, yes=NOT_ALLOWED), REDIRECT),
}


def url_kwargs(personas: Any) -> dict[str, dict[str, Any]]:
    from atis.assistance import services
    from atis.assistance.tests.helpers import DAY, identified_case, refer, service_type, shelter

    manager = personas["manager_iasi"].user
    case = identified_case(manager)
    refer(manager, case, personas["ngo"].organisation)
    plan = services.plan_create(actor=manager, case=case, needs_assessment="Safe housing, counselling.")
    goal = services.goal_add(actor=manager, plan=plan, description="Stable housing", domain=service_type())
    service = services.service_record(
        actor=manager, case=case, service_type=service_type(), provider=personas["ngo"].organisation, started_on=DAY
    )
    place = shelter(personas["admin"].user, capacity=3)
    placement = services.shelter_place(actor=manager, case=case, shelter=place, starts_on=DAY)
    return {
        "assistance_case": {"public_id": case.public_id},
        "assistance_goal": {"public_id": goal.public_id},
        "assistance_service": {"public_id": service.public_id},
        "assistance_placement": {"public_id": placement.public_id},
    }
