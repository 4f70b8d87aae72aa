"""Reads of screening data. Screenings are reached only through `cases_visible_to` and the
case section of the case, so a screening outside the user's scope answers 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from atis.cases.models import Case, Section
from atis.cases.selectors import case_for, case_sections_for, cases_visible_to
from atis.lib.scope import get_in_scope_or_404
from atis.screening.models import Answer, CallbackRequest, Indicator, IndicatorChange, Screening, ScreeningAnswer
from atis.screening.results import rule_result_of
from atis.screening.rules import Dimension, DimensionResult, RuleResult


def screening_open_to(user: Any, case: Case) -> bool:
    return user.has_perm("screening.run_screening") and Section.CASE in case_sections_for(user, case)


def screening_case_for(user: Any, public_id: Any) -> Case:
    """The case, or 404 when it is outside the user's scope or its case details are not open to them."""
    case = case_for(user, public_id)
    if not screening_open_to(user, case):
        raise Http404
    return case


def screening_for(user: Any, public_id: Any) -> Screening:
    screening = get_in_scope_or_404(
        Screening.objects.filter(case__in=cases_visible_to(user)).select_related("case", "performed_by"),
        public_id=public_id,
    )
    if not screening_open_to(user, screening.case):
        raise Http404
    return screening


def screenings_of(case: Case) -> QuerySet[Screening]:
    """The caller has checked `screening_open_to`."""
    return Screening.objects.filter(case=case).select_related("performed_by").order_by("-performed_at", "-id")


def active_indicators(indicator_list: str) -> QuerySet[Indicator]:
    return Indicator.objects.filter(list=indicator_list, is_active=True).order_by("dimension", "order", "code")


def indicators_of(indicator_list: str) -> QuerySet[Indicator]:
    return Indicator.objects.filter(list=indicator_list).select_related("control_method", "exploitation_form")


def indicator_changes(indicator: Indicator | None = None) -> QuerySet[IndicatorChange]:
    changes = IndicatorChange.objects.select_related("indicator", "changed_by")
    return changes.filter(indicator=indicator) if indicator is not None else changes


def callbacks_waiting(user: Any) -> QuerySet[CallbackRequest]:
    if not user.has_perm("screening.handle_callbacks"):
        return CallbackRequest.objects.none()
    return CallbackRequest.objects.filter(handled_at__isnull=True).order_by("created_at")


@dataclass
class DimensionExplanation:
    result: DimensionResult
    present_answers: list[ScreeningAnswer]

    @property
    def label(self) -> str:
        return str(Dimension(self.result.dimension).label)


@dataclass
class ScreeningReport:
    screening: Screening
    result: RuleResult
    answers: list[ScreeningAnswer]
    dimensions: list[DimensionExplanation]

    @property
    def missing_labels(self) -> list[str]:
        return [
            " / ".join(str(Dimension(letter).label) for letter in sorted(group)) for group in self.result.missing_groups
        ]


def screening_report(screening: Screening) -> ScreeningReport:
    """The result recomputed from the answers as graded when asked, with its explanation."""
    answers = list(
        ScreeningAnswer.objects.filter(screening=screening)
        .select_related("indicator")
        .order_by("dimension", "indicator__order", "id")
    )
    result = rule_result_of(
        screening.list, [(row.indicator.code, row.answer, row.dimension, row.strength) for row in answers]
    )
    explanations = [
        DimensionExplanation(
            result=dimension,
            present_answers=[
                row for row in answers if row.dimension == dimension.dimension and row.answer == Answer.PRESENT
            ],
        )
        for dimension in result.dimensions
    ]
    return ScreeningReport(screening=screening, result=result, answers=answers, dimensions=explanations)


@dataclass
class Comparison:
    earlier: Screening
    later: Screening
    added: list[ScreeningAnswer]
    removed: list[ScreeningAnswer]
    dimensions_gained: list[str]
    dimensions_lost: list[str]


def screenings_compare(first: Screening, second: Screening) -> Comparison:
    """What changed between two screenings of the same case (in time order)."""
    if first.case_id != second.case_id:
        raise Http404
    earlier, later = sorted((first, second), key=lambda item: (item.performed_at, item.pk))

    def present(screening: Screening) -> dict[str, ScreeningAnswer]:
        return {
            row.indicator.code: row
            for row in ScreeningAnswer.objects.filter(screening=screening, answer=Answer.PRESENT).select_related(
                "indicator"
            )
        }

    before, after = present(earlier), present(later)
    dims_before, dims_after = set(earlier.dimensions_present), set(later.dimensions_present)
    return Comparison(
        earlier=earlier,
        later=later,
        added=[after[code] for code in sorted(set(after) - set(before))],
        removed=[before[code] for code in sorted(set(before) - set(after))],
        dimensions_gained=[str(Dimension(letter).label) for letter in sorted(dims_after - dims_before)],
        dimensions_lost=[str(Dimension(letter).label) for letter in sorted(dims_before - dims_after)],
    )
