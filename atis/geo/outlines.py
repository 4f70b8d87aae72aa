"""County outlines for the maps atis draws itself (campaign reach, victims, the annual report).

A copy of ../shared/data/romania/counties.geojson simplified to about 1 km (75 kB) ships with
atis in atis/static/atis/counties.geojson: the shared folder does not exist in production. Maps
are drawn as filled shapes (plotly on plain axes, or SVG for the PDF report) rather than a
plotly geo map, which would fetch a world map from plotly's CDN (refused by the CSP).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

GEOJSON = Path(__file__).resolve().parents[1] / "static" / "atis" / "counties.geojson"
Ring = list[tuple[float, float]]
Outline = tuple[list[float | None], list[float | None]]
# Light to dark blue as a county's figure grows; maps show hidden figures in grey, never a shade.
_LIGHT, _DARK = (239, 243, 255), (8, 81, 156)


@cache
def county_rings() -> dict[str, list[Ring]]:
    """Each county's rings of (longitude, latitude), by county mnemonic."""
    rings: dict[str, list[Ring]] = {}
    for feature in json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        rings[feature["properties"]["mnemonic"]] = [
            [(float(x), float(y)) for x, y, *_rest in ring] for polygon in polygons for ring in polygon
        ]
    return rings


@cache
def county_outlines() -> dict[str, Outline]:
    """Each county's rings as plotly wants them: longitudes and latitudes, rings split by None."""
    outlines: dict[str, Outline] = {}
    for mnemonic, rings in county_rings().items():
        xs: list[float | None] = []
        ys: list[float | None] = []
        for ring in rings:
            xs.extend(x for x, _y in ring)
            ys.extend(y for _x, y in ring)
            xs.append(None)
            ys.append(None)
        outlines[mnemonic] = (xs, ys)
    return outlines


# A county whose figure is hidden by disclosure control, and one with no figure to show.
HIDDEN_FILL = "rgb(206,212,218)"
NO_FIGURE_FILL = "rgb(248,249,250)"


def shade(value: int, top: int) -> str:
    share = value / top if top else 0.0
    red, green, blue = (round(low + (high - low) * share) for low, high in zip(_LIGHT, _DARK, strict=True))
    return f"rgb({red},{green},{blue})"


def county_map_figure(counties: Iterable[tuple[str, str, str, str]], *, title: str, height: int) -> dict[str, Any]:
    """A plotly figure (for `static/atis/charts.js`) of filled county outlines on hidden axes.

    `counties`: (mnemonic, name, fill colour, hover text) of each county to draw. There is no
    colour bar: plotly.js draws it with inline styles, which the CSP refuses; the figures are
    in the hover texts and in the table beside the map.
    """
    outlines = county_outlines()
    traces = []
    for mnemonic, name, fill, text in counties:
        if mnemonic not in outlines:
            continue
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
                "text": text,
                "hoverinfo": "text",
                "hoveron": "fills",
                "showlegend": False,
            }
        )
    hidden_axis = {"visible": False, "fixedrange": True}
    return {
        "data": traces,
        "layout": {
            "title": {"text": title},
            "xaxis": hidden_axis,
            # One degree of latitude is about 1.4 degrees of longitude at Romania's latitude.
            "yaxis": {**hidden_axis, "scaleanchor": "x", "scaleratio": 1.4},
            "margin": {"l": 0, "r": 0, "t": 50, "b": 0},
            "height": height,
            "plot_bgcolor": "rgba(0,0,0,0)",
            "paper_bgcolor": "rgba(0,0,0,0)",
            "font": {"family": "system-ui, sans-serif", "size": 13},
        },
    }
