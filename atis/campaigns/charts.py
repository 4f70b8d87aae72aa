"""What the campaign pages draw: bars computed on the server (SVG, so the same markup serves
the page and the PDF, with no script) and the county map as a plotly specification for
`atis.lib.charts`' drawer (plotly.js served by atis, data through json_script)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from atis.campaigns.selectors import ContactPeriod, Indicator, Reach
from atis.geo.models import County
from atis.geo.outlines import county_map_figure, shade


def indicator_label(key: str) -> str:
    return {
        "people": _("People reached"),
        "events": _("Activities"),
        "materials": _("Materials distributed"),
        "media_reach": _("Online and media reach"),
    }[key]


def period_label(key: str) -> str:
    return {"before": _("Before"), "during": _("During"), "after": _("After")}[key]


def indicator_bars(indicators: Sequence[Indicator]) -> list[dict[str, Any]]:
    """One bar per indicator, as a share of its target (capped at the drawing's width)."""
    return [
        {
            "label": indicator_label(indicator.key),
            "actual": indicator.actual,
            "target": indicator.target,
            "percent": indicator.percent,
            "width": min(indicator.percent or 0, 150) * 2,
            "y": 10 + index * 34,
        }
        for index, indicator in enumerate(indicators)
    ]


def period_bars(periods: Sequence[ContactPeriod]) -> list[dict[str, Any]]:
    top = max((period.per_30_days or 0 for period in periods), default=0) or 1
    return [
        {
            "label": period_label(period.key),
            "contacts": period.contacts,
            "rate": period.per_30_days,
            "since": period.since,
            "until": period.until,
            "width": round(300 * (period.per_30_days or 0) / top),
            "y": 10 + index * 34,
        }
        for index, period in enumerate(periods)
    ]


def county_rows(by_county: Mapping[int, Reach]) -> list[tuple[County, Reach]]:
    return [(county, by_county.get(county.pk, Reach())) for county in County.objects.order_by("name")]


def county_map(rows: Sequence[tuple[County, Reach]], *, title: str) -> dict[str, Any]:
    top = max((reach.events for _county, reach in rows), default=0)
    counties = [
        (county.mnemonic, county.name, shade(reach.events, top), f"{county.name}: {reach.events}")
        for county, reach in rows
    ]
    return county_map_figure(counties, title=title, height=380)
