"""Building screening scenes in tests through the real services."""

from __future__ import annotations

from typing import Any

from atis.cases.models import Case
from atis.codelists.models import Code
from atis.screening import services
from atis.screening.models import Answer, Indicator, IndicatorChange, Screening
from atis.screening.reference import load_indicators


def catalogue() -> None:
    """The shipped catalogue (transactional tests flush the migration's copy)."""
    load_indicators(Indicator, IndicatorChange, Code)


def screen(actor: Any, case: Case, indicator_list: str, present: set[str]) -> Screening:
    answers = [
        services.AnswerInput(indicator=item, answer=Answer.PRESENT if item.code in present else Answer.ABSENT)
        for item in Indicator.objects.filter(list=indicator_list, is_active=True)
    ]
    return services.screening_record(actor=actor, case=case, indicator_list=indicator_list, answers=answers)
