"""The county map of identified victims, as a plotly specification for `static/atis/charts.js`.

Each county is a filled outline on plain hidden axes. A plotly geo choropleth cannot be used:
it fetches a world topojson from plotly's CDN even when given the counties' GeoJSON, which the
strict CSP refuses, and the map is never drawn. The outlines come from atis.geo.outlines.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from atis.geo.models import County
from atis.geo.outlines import HIDDEN_FILL, NO_FIGURE_FILL, county_map_figure, shade
from atis.lib.disclosure import Protected


def county_choropleth(published: Protected, *, counted: set[int] | None) -> dict[str, Any]:
    """Victims by county of origin from the published (already suppressed) county table.

    A county without a row is 0 when the figures count all its victims (`counted`: those
    counties, None for every one); otherwise it is outside the reader's scope or filter and
    gets no figure at all.
    """
    shown: dict[str, tuple[int | None, str]] = {}
    for i, key in enumerate(published.table.row_keys):
        if key.isdigit():
            shown[key] = (published.grid[i][0], published.display(i, 0))
    top = max((value for value, _text in shown.values() if value is not None), default=0)
    counties = []
    for pk, mnemonic, name in County.objects.order_by("name").values_list("pk", "mnemonic", "name"):
        if str(pk) in shown:
            value, text = shown[str(pk)]
            fill = HIDDEN_FILL if value is None else shade(value, top)
        else:
            fill, text = NO_FIGURE_FILL, ("0" if counted is None or pk in counted else "")
        counties.append((mnemonic, name, fill, f"{name}: {text}" if text else name))
    return county_map_figure(counties, title=_("Identified victims by county of origin"), height=460)
