"""The shape of the kept statistics: which breakdowns, pairs, wide cubes and crossings are
counted, and how a cube is named. Read by the selectors and written by the services; kept
apart from both so a read never imports the module that writes (`services`)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from atis.statistics.models import FACT_DIMENSIONS

UNKNOWN = "unknown"

# One-way breakdowns, each a CaseFact column.
DIMENSIONS: tuple[str, ...] = FACT_DIMENSIONS
# Two-way breakdowns the annual report prints, kept as counts too; other crossings are
# grouped from the fact table on demand (still by index, still without touching cases).
PAIRS: tuple[tuple[str, str], ...] = (
    ("form", "sex"),
    ("form", "minor"),
    ("sex", "minor"),
    ("sex", "age_band"),
    ("form", "scope"),
    ("destination", "form"),
)
# Wider counts, each answering every crossing of its dimensions by summing over the others:
# form × sex × minor is what UNODC GLOTIP asks for; the victims' profile (sex, age, internal or
# international, rural or urban, assistance) has so few combinations that a three-way crossing
# of them sums a few thousand count rows a year instead of grouping every victim's fact.
WIDE: tuple[tuple[str, ...], ...] = (
    ("form", "sex", "minor"),
    ("sex", "minor", "age_band", "scope", "settlement", "assisted"),
)
TOTAL = "total"  # one row per (year, county, centre): the victims themselves
# Kept per year for every three of these (455 crossings), nationally and per regional centre:
# a reader may cross any two or three breakdowns, or two within one county, and each such
# figure is then a sum over at most a few thousand rows, whatever the number of victims.
# Counting them costs four statements per refresh, each writing up to 455 rows per distinct
# case profile (twice that per centre when a victim counts for two centres).
# County stays last: a county filter is then a filter on the end of the value (selectors).
CROSSED: tuple[str, ...] = (*DIMENSIONS, "county")


def cube_name(dimensions: Sequence[str]) -> str:
    return "|".join(dimensions) if dimensions else TOTAL


def cubes() -> list[tuple[str, ...]]:
    return [(), *[(name,) for name in DIMENSIONS], *PAIRS, *WIDE]


def crossings() -> list[tuple[str, str, str]]:
    return list(itertools.combinations(CROSSED, 3))
