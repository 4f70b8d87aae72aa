"""The combination rule of the ILO/European Commission operational indicators (2009).

Pure functions over plain values, no database: the questionnaire, the catalogue editor's
safety check and the property tests all call exactly this.

- A dimension is present when its present indicators are: two strong; or one strong and one
  medium or weak; or three medium; or two medium and one weak.
- An adult is a presumed victim when recruitment (A, B or C), exploitation (D) and coercion
  or abuse of vulnerability at destination (E or F) are all present. For a child,
  recruitment and exploitation suffice: a child cannot consent, so no means is needed.

The result never decides for the person screening; the identification decision belongs to
the competent institution (see the disclaimer on every result page).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    DECEPTIVE_RECRUITMENT = "A", _("A. Deceptive recruitment")
    COERCIVE_RECRUITMENT = "B", _("B. Coercive recruitment")
    RECRUITMENT_BY_ABUSE = "C", _("C. Recruitment by abuse of vulnerability")
    EXPLOITATIVE_CONDITIONS = "D", _("D. Exploitative conditions of work or life")
    COERCION_AT_DESTINATION = "E", _("E. Coercion at destination")
    ABUSE_AT_DESTINATION = "F", _("F. Abuse of vulnerability at destination")


class Strength(models.TextChoices):
    STRONG = "strong", _("strong")
    MEDIUM = "medium", _("medium")
    WEAK = "weak", _("weak")


class IndicatorList(models.TextChoices):
    ADULT_LABOUR = "adult_labour", _("Adult, labour exploitation")
    ADULT_SEXUAL = "adult_sexual", _("Adult, sexual exploitation")
    CHILD_LABOUR = "child_labour", _("Child, labour exploitation")
    CHILD_SEXUAL = "child_sexual", _("Child, sexual exploitation")


RECRUITMENT = frozenset("ABC")
EXPLOITATION = frozenset("D")
MEANS = frozenset("EF")


def is_child_list(indicator_list: str) -> bool:
    return indicator_list.startswith("child_")


def required_groups(indicator_list: str) -> tuple[frozenset[str], ...]:
    """The groups of dimensions of which at least one must be present for the presumption."""
    if is_child_list(indicator_list):
        return (RECRUITMENT, EXPLOITATION)
    return (RECRUITMENT, EXPLOITATION, MEANS)


def dimension_present(strengths: Iterable[str]) -> bool:
    """The grading rule for one dimension, given the strengths of its present indicators."""
    counts = {Strength.STRONG: 0, Strength.MEDIUM: 0, Strength.WEAK: 0}
    for strength in strengths:
        counts[Strength(strength)] += 1
    strong, medium, weak = counts[Strength.STRONG], counts[Strength.MEDIUM], counts[Strength.WEAK]
    return strong >= 2 or (strong >= 1 and medium + weak >= 1) or medium >= 3 or (medium >= 2 and weak >= 1)


@dataclass(frozen=True)
class PresentIndicator:
    """What the rule needs to know about one indicator answered "present"."""

    code: str
    dimension: str
    strength: str


@dataclass(frozen=True)
class DimensionResult:
    dimension: str
    present: bool
    strong: int
    medium: int
    weak: int
    indicators: tuple[str, ...]

    @property
    def label(self) -> str:
        return str(Dimension(self.dimension).label)


@dataclass(frozen=True)
class RuleResult:
    indicator_list: str
    dimensions: tuple[DimensionResult, ...]
    presumed: bool
    missing_groups: tuple[frozenset[str], ...]

    @property
    def present_dimensions(self) -> frozenset[str]:
        return frozenset(result.dimension for result in self.dimensions if result.present)

    @property
    def dimension_codes(self) -> str:
        return "".join(sorted(self.present_dimensions))


def combine(indicator_list: str, present: Iterable[PresentIndicator]) -> RuleResult:
    """Apply the rule to the indicators found present; total over every input."""
    IndicatorList(indicator_list)  # refuses an unknown list loudly
    by_dimension: dict[str, list[PresentIndicator]] = {dimension: [] for dimension in Dimension.values}
    for indicator in present:
        by_dimension[Dimension(indicator.dimension)].append(indicator)
    results = []
    for dimension, found in by_dimension.items():
        strengths = [indicator.strength for indicator in found]
        results.append(
            DimensionResult(
                dimension=dimension,
                present=dimension_present(strengths),
                strong=strengths.count(Strength.STRONG),
                medium=strengths.count(Strength.MEDIUM),
                weak=strengths.count(Strength.WEAK),
                indicators=tuple(sorted(indicator.code for indicator in found)),
            )
        )
    present_dimensions = {result.dimension for result in results if result.present}
    missing = tuple(group for group in required_groups(indicator_list) if not group & present_dimensions)
    return RuleResult(
        indicator_list=indicator_list, dimensions=tuple(results), presumed=not missing, missing_groups=missing
    )


def unreachable_groups(indicator_list: str, active: Iterable[PresentIndicator]) -> tuple[frozenset[str], ...]:
    """The required groups that no answers could ever establish with these active indicators.

    With every active indicator answered "present" the rule gives its widest result; a group
    missing even then can never be met, and the list could never give "presumed victim".
    """
    return combine(indicator_list, active).missing_groups
