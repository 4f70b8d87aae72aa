"""Romania's figures from atis beside UNODC GLOTIP (EU states) and the CTDC global dataset.

atis's own figures pass the same disclosure step as everywhere else; the international
figures are already published, and a GLOTIP "<5" stays "<5" (never a number).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from atis.lib.charts import bar_chart
from atis.statistics import selectors
from atis.statistics.models import CtdcRecord, GlotipValue, ImportRun

VICTIMS = "Detected trafficking victims"
POPULATION_FILE = Path(__file__).resolve().parent / "data" / "population_eu27.csv"


def populations() -> dict[str, int]:
    """Resident population by ISO3 (Eurostat, 1 January 2021), for rates per 100,000."""
    with POPULATION_FILE.open(encoding="utf-8") as handle:
        return {row["iso3"]: int(row["population"]) for row in csv.DictReader(handle)}


def glotip_totals() -> dict[str, dict[int, tuple[int | None, int | None]]]:
    """Detected victims, all sexes and ages, by country and year: (value, below)."""
    out: dict[str, dict[int, tuple[int | None, int | None]]] = {}
    for iso3, year, value, below in GlotipValue.objects.filter(
        indicator=VICTIMS, dimension="Total", category="Total", sex="Total", age="Total", unit="Counts"
    ).values_list("iso3", "year", "value", "below"):
        out.setdefault(iso3, {})[year] = (value, below)
    return out


def ctdc_distribution(field: str, release: str | None = None) -> list[tuple[str, int, float]]:
    """How many CTDC records name each value of a multi-valued field, with the share of records
    where the field is known (empty lists are missing, not a category)."""
    records = CtdcRecord.objects.all()
    if release:
        records = records.filter(release=release)
    counter: Counter[str] = Counter()
    known = 0
    for values in records.values_list(field, flat=True).iterator(chunk_size=5_000):
        if values:
            known += 1
            counter.update(set(values))
    return [(value, count, round(100 * count / known, 1) if known else 0.0) for value, count in counter.most_common(12)]


def comparison_context(user: Any) -> dict[str, Any]:
    glotip = glotip_totals()
    population = populations()
    atis_years = selectors.published_table(user, "identified_year")
    atis_by_year = {
        int(key): atis_years.grid[i][0]
        for i, key in enumerate(atis_years.table.row_keys)
        if key not in ("other", "unknown") and atis_years.grid[i][0] is not None
    }
    romania = glotip.get("ROU", {})
    years = sorted(set(romania) | set(atis_by_year))
    trend_rows = [
        (
            year,
            atis_by_year.get(year),
            _glotip_display(romania.get(year)),
        )
        for year in years
    ]
    trend = {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": _("Romania (atis)"),
                "x": [y for y in years if y in atis_by_year],
                "y": [atis_by_year[y] for y in years if y in atis_by_year],
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": _("Romania (UNODC GLOTIP)"),
                "x": [y for y in years if romania.get(y, (None, None))[0] is not None],
                "y": [romania[y][0] for y in years if romania.get(y, (None, None))[0] is not None],
            },
        ],
        "layout": {
            "title": {"text": _("Identified victims per year")},
            "height": 340,
            "margin": {"l": 50, "r": 20, "t": 50, "b": 40},
            "yaxis": {"rangemode": "tozero"},
        },
    }
    latest = max((year for series in glotip.values() for year in series), default=None)
    rates: list[tuple[str, str, float | None]] = []
    if latest is not None:
        for iso3 in sorted(glotip):
            value, below = glotip[iso3].get(latest, (None, None))
            rate = round(100_000 * value / population[iso3], 2) if value is not None and iso3 in population else None
            rates.append((iso3, _glotip_display((value, below)) if (value, below) != (None, None) else "—", rate))
    rate_chart = bar_chart(
        _("Detected victims per 100,000 inhabitants, %(year)s") % {"year": latest},
        [iso3 for iso3, _shown, rate in sorted(rates, key=lambda r: -(r[2] or 0)) if rate is not None],
        [rate for _iso3, _shown, rate in sorted(rates, key=lambda r: -(r[2] or 0)) if rate is not None],
        value_title=_("per 100,000"),
    )
    forms = selectors.published_table(user, "form")
    total_index = len(forms.grid) - 1
    total = forms.grid[total_index][0] if len(forms.grid) > 1 else None
    atis_forms = [
        (
            label,
            forms.display(i, 0),
            _share(forms.grid[i][0], total),
        )
        for i, label in enumerate(forms.table.rows)
    ]
    return {
        "trend_rows": trend_rows,
        "trend": trend,
        "rates": rates,
        "rate_chart": rate_chart,
        "latest": latest,
        "atis_forms": atis_forms,
        "ctdc_forms": ctdc_distribution("forms"),
        "ctdc_controls": ctdc_distribution("control_methods"),
        "ctdc_relations": ctdc_distribution("recruiter_relations"),
        "imports": ImportRun.objects.all()[:10],
    }


def _glotip_display(pair: tuple[int | None, int | None] | None) -> str:
    if pair is None:
        return "—"
    value, below = pair
    if below is not None:
        return f"<{below}"
    return "—" if value is None else str(value)


def _share(count: int | None, total: int | None) -> float | None:
    """A percentage of the total, or None when either figure is hidden or the total is zero."""
    if not total or count is None:
        return None
    return round(100 * count / total, 1)
