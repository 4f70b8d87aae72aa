"""Demo content of screening: the shipped indicator catalogue (in case a flush emptied it)."""

from __future__ import annotations

from atis.codelists.models import Code
from atis.screening.models import Indicator, IndicatorChange
from atis.screening.reference import load_indicators


def load_demo_content(seed: int) -> str:
    created = load_indicators(Indicator, IndicatorChange, Code)
    return f"screening: {created} indicators added, {Indicator.objects.count()} in the catalogue"
