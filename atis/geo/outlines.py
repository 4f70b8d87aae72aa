"""County outlines for the maps atis draws itself (campaign reach, victims, the annual report).

A copy of ../shared/data/romania/counties.geojson simplified to about 1 km (75 kB) ships with
atis in atis/static/atis/counties.geojson: the shared folder does not exist in production. Maps
are drawn as filled shapes (plotly on plain axes, or SVG for the PDF report) rather than a
plotly geo map, which would fetch a world map from plotly's CDN (refused by the CSP).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

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
