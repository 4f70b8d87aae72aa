"""The HelpLine URLs in the permission matrix (see atis.core.tests.matrix).

The contact is logged by the operator at headquarters. Operators and the national
coordinator open the log; analysts see only the statistics; everyone else gets 403
(no HelpLine permission at all). Writes and the intake's panels that take POST answer 405
to a GET. The export first asks for the second factor again, hence a redirect.
"""

from __future__ import annotations

from typing import Any

from atis.core.tests.matrix import NOT_ALLOWED, REDIRECT, Row, only

OPERATORS = {"operator"}
READERS = {"operator", "coordinator"}
FIGURES = {"coordinator", "analyst", "analyst_iasi"}

ROWS: dict[str, Row] = {
    "helpline:intake": (None, only(OPERATORS), REDIRECT),
    "helpline:list": (None, only(READERS), REDIRECT),
    "helpline:detail": ("helpline_contact", only(READERS), REDIRECT),
    "helpline:escalate_case": ("helpline_contact", only(OPERATORS, yes=NOT_ALLOWED), REDIRECT),
    "helpline:notify": ("helpline_contact", only(OPERATORS, yes=NOT_ALLOWED), REDIRECT),
    "helpline:follow_up_add": ("helpline_contact", only(OPERATORS, yes=NOT_ALLOWED), REDIRECT),
    "helpline:follow_up_done": ("helpline_follow_up", only(OPERATORS, yes=NOT_ALLOWED), REDIRECT),
    "helpline:caller_check": (None, only(OPERATORS, yes=NOT_ALLOWED), REDIRECT),
    "helpline:job_offer_check": (None, only(OPERATORS, yes=NOT_ALLOWED), REDIRECT),
    "helpline:suggestions": (None, only(OPERATORS), REDIRECT),
    "helpline:agencies": (None, only(OPERATORS), REDIRECT),
    "helpline:statistics": (None, only(FIGURES), REDIRECT),
    "helpline:statistics_export": (None, only(FIGURES, yes=REDIRECT), REDIRECT),
}


def url_kwargs(personas: Any) -> dict[str, dict[str, Any]]:
    from django.utils import timezone

    from atis.helpline import services
    from atis.helpline.tests.helpers import log_contact

    operator = personas["operator"].user
    contact = log_contact(operator)
    follow_up = services.follow_up_add(actor=operator, contact=contact, description="Call back", due_at=timezone.now())
    return {
        "helpline_contact": {"public_id": contact.public_id},
        "helpline_follow_up": {"public_id": follow_up.public_id},
    }
