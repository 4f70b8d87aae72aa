"""Romania's figures from atis beside UNODC GLOTIP (EU states) and the CTDC global dataset.

atis's own figures pass the same disclosure step as everywhere else; the international
figures are already published, and a GLOTIP "<5" stays "<5" (never a number).
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import JSONField
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from atis.lib.charts import bar_chart
from atis.statistics import selectors
from atis.statistics.imports import PERPETRATOR_ROLES
from atis.statistics.models import CtdcRecord, GlotipValue, ImportRun, ImportStatus

VICTIMS = "Detected trafficking victims"
POPULATION_FILE = Path(__file__).resolve().parent / "data" / "population_eu27.csv"


def populations() -> dict[str, int]:
    """Resident population by ISO3 (Eurostat, 1 January 2021), for rates per 100,000."""
    with POPULATION_FILE.open(encoding="utf-8") as handle:
        return {row["iso3"]: int(row["population"]) for row in csv.DictReader(handle)}


# The 27 member states of the European Union (since 1 February 2020), by ISO 3166-1 alpha-3:
# the EU table lists these whatever else an imported file covers.
EU27 = (
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL",
    "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE",
)  # fmt: skip


@dataclass(frozen=True)
class Figure:
    """One GLOTIP cell as the source gives it: a number, a suppressed "<5", or several values
    when the source file gives the same cell twice (a conflict, never resolved here)."""

    values: tuple[tuple[int | None, int | None, int], ...]  # (value, below, line in the file)

    @property
    def conflicting(self) -> bool:
        return len(self.values) > 1

    @property
    def number(self) -> int | None:
        """The count, only when the source gives exactly one and it is not suppressed."""
        return self.values[0][0] if len(self.values) == 1 else None

    @property
    def lines(self) -> str:
        return ", ".join(str(line) for _value, _below, line in self.values)

    def __str__(self) -> str:
        return " / ".join(f"<{below}" if below is not None else str(value) for value, below, _line in self.values)


def glotip_totals() -> dict[str, dict[int, Figure]]:
    """Detected victims, all sexes and ages, by country and year."""
    found: dict[str, dict[int, list[tuple[int | None, int | None, int]]]] = {}
    for iso3, year, value, below, line in (
        GlotipValue.objects.filter(
            indicator=VICTIMS, dimension="Total", category="Total", sex="Total", age="Total", unit="Counts"
        )
        .order_by("iso3", "year", "line")
        .values_list("iso3", "year", "value", "below", "line")
    ):
        found.setdefault(iso3, {}).setdefault(year, []).append((value, below, line))
    return {iso3: {year: Figure(tuple(v)) for year, v in years.items()} for iso3, years in found.items()}


def glotip_conflicts(countries: tuple[str, ...] = EU27) -> list[dict[str, Any]]:
    """Every cell the source gave with different values, each value with its line."""
    cells: dict[tuple[Any, ...], list[tuple[int | None, int | None, int]]] = {}
    for row in (
        GlotipValue.objects.filter(conflicting=True, iso3__in=countries)
        .order_by("iso3", "indicator", "dimension", "category", "sex", "age", "year", "line")
        .values_list("iso3", "indicator", "dimension", "category", "sex", "age", "year", "value", "below", "line")
    ):
        cells.setdefault(row[:7], []).append(row[7:])
    return [
        {
            "iso3": key[0],
            "indicator": key[1],
            "breakdown": " · ".join(part for part in key[2:6] if part and part != "Total") or "Total",
            "year": key[6],
            "figure": Figure(tuple(values)),
        }
        for key, values in cells.items()
    ]


# What each CTDC layout lets one compare with atis's own figures.
COMPARISONS = {
    "forms": (gettext_lazy("Forms of exploitation"), {"ctdc_global", "ctdc_synthetic", "ctdc_vp"}),
    "controls": (gettext_lazy("Means of control"), {"ctdc_global", "ctdc_synthetic"}),
    "relations": (
        gettext_lazy("Relation to the recruiter or perpetrator"),
        {"ctdc_global", "ctdc_synthetic", "ctdc_vp"},
    ),
    "countries": (
        gettext_lazy("Countries of citizenship and exploitation (Romania itself)"),
        {"ctdc_global", "ctdc_synthetic"},
    ),
    "regions": (
        gettext_lazy("UN regions of citizenship and exploitation"),
        {"ctdc_global", "ctdc_synthetic", "ctdc_vp"},
    ),
    "age": (gettext_lazy("Age bands"), {"ctdc_global", "ctdc_synthetic"}),
    "minors": (gettext_lazy("Minors and adults"), {"ctdc_global", "ctdc_vp"}),
    "years": (gettext_lazy("Single years of registration"), {"ctdc_global", "ctdc_synthetic"}),
    "perpetrators": (gettext_lazy("Perpetrators (role, sex, age, region)"), {"ctdc_vp"}),
}


def ctdc_datasets() -> list[ImportRun]:
    """The imported CTDC releases, newest release first."""
    return list(
        ImportRun.objects.filter(source=ImportRun.Source.CTDC, status=ImportStatus.DONE).order_by(
            "-release", "-started_at"
        )
    )


def ctdc_dataset(datasets: list[ImportRun], chosen: str | None) -> ImportRun | None:
    """The release the reader chose, or the newest one."""
    for dataset in datasets:
        if chosen and str(dataset.public_id) == chosen:
            return dataset
    return datasets[0] if datasets else None


def ctdc_distribution(field: str, dataset: ImportRun | None) -> list[tuple[str, int, float]]:
    """How many records of one release name each value of a field, with the share of records
    where the field is known (empty is missing, not a category). Never over several releases:
    they describe largely the same victims."""
    if dataset is None:
        return []
    counter: Counter[str] = Counter()
    known = 0
    multi = isinstance(CtdcRecord._meta.get_field(field), JSONField)
    for values in CtdcRecord.objects.filter(run=dataset).values_list(field, flat=True).iterator(chunk_size=5_000):
        if values:
            known += 1
            counter.update(set(values) if multi else [values])
    return [(value, count, round(100 * count / known, 1) if known else 0.0) for value, count in counter.most_common(12)]


def ctdc_frequencies(dataset: ImportRun) -> dict[str, Counter[str]]:
    """The frequency of every value of every variable of a victim-perpetrator release, as its
    dictionary's TabStat sheet publishes them (multi-valued cells joined as the source wrote
    them, flags as 1)."""
    flags = {"isForcedLabour": ("forms", "forced labour"), "isSexualExploit": ("forms", "sexual exploitation")}
    flags.update({name: ("perpetrator_roles", label) for name, label in PERPETRATOR_ROLES.items()})
    texts = {
        "yearRegister": "period",
        "gender": "gender",
        "majorityStatus": "majority",
        "UN_COO_Region": "citizenship_region",
        "UN_COE_Region": "exploitation_region",
        "IP_Gender": "perpetrator_gender",
        "IP_ageBroad": "perpetrator_age",
        "IP_citizen_UNRegion": "perpetrator_region",
        "IP_PayMoney": "paid_perpetrator",
    }
    counts: dict[str, Counter[str]] = {name: Counter() for name in [*texts, "IP_Relation", *flags]}
    fields = sorted({*texts.values(), "recruiter_relations", "forms", "perpetrator_roles"})
    for record in CtdcRecord.objects.filter(run=dataset).values(*fields).iterator(chunk_size=5_000):
        for name, column in texts.items():
            if record[column]:
                counts[name][record[column]] += 1
        if record["recruiter_relations"]:
            counts["IP_Relation"][";".join(record["recruiter_relations"])] += 1
        for name, (column, label) in flags.items():
            if label in record[column]:
                counts[name]["1"] += 1
    return counts


def ctdc_romania(dataset: ImportRun | None) -> dict[str, int] | None:
    """Records of Romanian citizens and records exploited in Romania, where the release names
    countries (None where it gives regions only)."""
    if dataset is None or dataset.layout not in COMPARISONS["countries"][1]:
        return None
    records = CtdcRecord.objects.filter(run=dataset)
    return {
        "citizens": records.filter(citizenship__in=("RO", "ROU")).count(),
        "exploited": records.filter(exploitation_country__in=("RO", "ROU")).count(),
        "total": records.count(),
    }


def comparison_context(user: Any, chosen_release: str | None = None) -> dict[str, Any]:
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
    trend_rows = [(year, atis_by_year.get(year), romania.get(year)) for year in years]
    # A year the source gives two values for is left out of the line, never one picked.
    glotip_years = [y for y in years if y in romania and romania[y].number is not None]
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
                "x": glotip_years,
                "y": [romania[y].number for y in glotip_years],
            },
        ],
        "layout": {
            "title": {"text": _("Identified victims per year")},
            "height": 340,
            "margin": {"l": 50, "r": 20, "t": 50, "b": 40},
            "yaxis": {"rangemode": "tozero"},
        },
    }
    latest = max((year for iso3 in EU27 for year in glotip.get(iso3, {})), default=None)
    rates: list[tuple[str, Figure | None, float | None]] = []
    if latest is not None:
        for iso3 in EU27:
            figure = glotip.get(iso3, {}).get(latest)
            number = figure.number if figure is not None else None
            rate = round(100_000 * number / population[iso3], 2) if number is not None and iso3 in population else None
            rates.append((iso3, figure, rate))
    ranked = sorted(((iso3, rate) for iso3, _figure, rate in rates if rate is not None), key=lambda r: -r[1])
    rate_chart = bar_chart(
        _("Detected victims per 100,000 inhabitants, %(year)s") % {"year": latest},
        [iso3 for iso3, _rate in ranked],
        [rate for _iso3, rate in ranked],
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
    datasets = ctdc_datasets()
    dataset = ctdc_dataset(datasets, chosen_release)
    layout = dataset.layout if dataset is not None else ""
    return {
        "trend_rows": trend_rows,
        "trend": trend,
        "rates": rates,
        "rate_chart": rate_chart,
        "latest": latest,
        "conflicts": glotip_conflicts(),
        "atis_forms": atis_forms,
        "ctdc_datasets": datasets,
        "ctdc_dataset": dataset,
        "ctdc_supports": [
            (label, [ds.layout in layouts for ds in datasets]) for label, layouts in COMPARISONS.values()
        ],
        "ctdc_forms": ctdc_distribution("forms", dataset),
        "ctdc_controls": ctdc_distribution("control_methods", dataset)
        if layout in COMPARISONS["controls"][1]
        else None,
        "ctdc_relations": ctdc_distribution("recruiter_relations", dataset),
        "ctdc_citizenship_regions": ctdc_distribution("citizenship_region", dataset),
        "ctdc_exploitation_regions": ctdc_distribution("exploitation_region", dataset),
        "ctdc_romania": ctdc_romania(dataset),
        "imports": ImportRun.objects.all()[:10],
    }


def _share(count: int | None, total: int | None) -> float | None:
    """A percentage of the total, or None when either figure is hidden or the total is zero."""
    if not total or count is None:
        return None
    return round(100 * count / total, 1)
