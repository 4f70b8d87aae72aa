"""The county map of identified victims, as a plotly specification for `static/atis/charts.js`.

Each county is a filled outline on plain hidden axes. A plotly geo choropleth cannot be used:
it fetches a world topojson from plotly's CDN even when given the counties' GeoJSON, which the
strict CSP refuses, and the map is never drawn. The outlines come from atis.geo.outlines.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from atis.geo.models import County
from atis.geo.outlines import HIDDEN_FILL, NO_FIGURE_FILL, county_outlines, shade
from atis.lib.disclosure import Protected


def county_choropleth(published: Protected, *, counted: set[int] | None) -> dict[str, Any]:
    """Victims by county of origin from the published (already suppressed) county table.

    A county without a row is 0 when the figures count all its victims (`counted`: those
    counties, None for every one); otherwise it is outside the reader's scope or filter and
    gets no figure at all. There is no colour bar:
    plotly.js draws it with inline styles, which the CSP refuses; each county's figure is in
    its hover text and in the county table.
    """
    outlines = county_outlines()
    shown: dict[str, tuple[int | None, str]] = {}
    for i, key in enumerate(published.table.row_keys):
        if key.isdigit():
            shown[key] = (published.grid[i][0], published.display(i, 0))
    top = max((value for value, _text in shown.values() if value is not None), default=0)
    traces: list[dict[str, Any]] = []
    for pk, mnemonic, name in County.objects.order_by("name").values_list("pk", "mnemonic", "name"):
        if mnemonic not in outlines:
            continue
        if str(pk) in shown:
            value, text = shown[str(pk)]
            fill = HIDDEN_FILL if value is None else shade(value, top)
        else:
            fill, text = NO_FIGURE_FILL, ("0" if counted is None or pk in counted else "")
        xs, ys = outlines[mnemonic]
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": xs,
                "y": ys,
                "fill": "toself",
                "fillcolor": fill,
                "line": {"color": "#6c757d", "width": 0.6},
                "name": name,
                "text": f"{name}: {text}" if text else name,
                "hoverinfo": "text",
                "hoveron": "fills",
                "showlegend": False,
            }
        )
    hidden_axis = {"visible": False, "fixedrange": True}
    return {
        "data": traces,
        "layout": {
            "title": {"text": _("Identified victims by county of origin")},
            "xaxis": hidden_axis,
            # One degree of latitude is about 1.4 degrees of longitude at Romania's latitude.
            "yaxis": {**hidden_axis, "scaleanchor": "x", "scaleratio": 1.4},
            "margin": {"l": 0, "r": 0, "t": 50, "b": 0},
            "height": 460,
            "plot_bgcolor": "rgba(0,0,0,0)",
            "paper_bgcolor": "rgba(0,0,0,0)",
            "font": {"family": "system-ui, sans-serif", "size": 13},
        },
    }
