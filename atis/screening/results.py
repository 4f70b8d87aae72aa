"""The combination rule applied to stored answers: what a screening's result is.

Shared by the service that records a screening and the selectors that show one, apart from
both so a read never imports the module that writes (`services`).
"""

from __future__ import annotations

from collections.abc import Iterable

from atis.screening.models import Answer
from atis.screening.rules import PresentIndicator, RuleResult, combine


def rule_result_of(indicator_list: str, answers: Iterable[tuple[str, str, str, str]]) -> RuleResult:
    """The rule over (code, answer, dimension, strength) rows: only "present" counts."""
    return combine(
        indicator_list,
        [
            PresentIndicator(code, dimension, strength)
            for code, answer, dimension, strength in answers
            if answer == Answer.PRESENT
        ],
    )
