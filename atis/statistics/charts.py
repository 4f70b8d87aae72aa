"""Charts and the county map of the annual report as plain SVG, drawn on the server.

WeasyPrint runs no JavaScript, so the dashboard's plotly charts cannot be printed. These draw
only published figures: a hidden cell ("<11", "x") gets no bar and a grey county, never a
length or a shade that would give its value away.
"""

from __future__ import annotations

import math

from django.utils.html import escape
from django.utils.translation import gettext as _

from atis.geo.outlines import HIDDEN_FILL, NO_FIGURE_FILL, county_rings, shade
from atis.lib.disclosure import Protected

_BAR = "rgb(49,130,189)"


def _totals(published: Protected) -> list[tuple[str, int]]:
    """Each row's published total (the last column), without the table's total row."""
    out = []
    for i, label in enumerate(published.table.rows):
        value = published.grid[i][len(published.grid[i]) - 1]
        if value is not None:
            out.append((label, value))
    return out


def bar_chart_svg(published: Protected, *, width: int = 480) -> str:
    """Horizontal bars of the rows' totals; "" when no figure may be drawn."""
    bars = _totals(published)
    if not bars or not any(value for _label, value in bars):
        return ""
    top = max(value for _label, value in bars)
    label_width, row_height, value_width = 170, 16, 50
    scale = (width - label_width - value_width) / top
    height = row_height * len(bars) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="9">'
    ]
    for index, (label, value) in enumerate(bars):
        y = index * row_height + 2
        length = max(value * scale, 0.5 if value else 0)
        text = escape(label if len(label) <= 32 else label[:31] + "…")
        parts.append(f'<text x="{label_width - 4}" y="{y + 11}" text-anchor="end">{text}</text>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{row_height - 4}" fill="{_BAR}"/>')
        parts.append(f'<text x="{label_width + length + 3:.1f}" y="{y + 11}">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def county_map_svg(published: Protected, *, width: int = 480) -> str:
    """A choropleth of a published county table (row keys: county ids); "" without outlines."""
    from atis.geo.models import County

    outlines = county_rings()
    if not outlines:
        return ""
    mnemonics = {str(pk): mnemonic for pk, mnemonic in County.objects.values_list("pk", "mnemonic")}
    values: dict[str, int | None] = {}
    for i, key in enumerate(published.table.row_keys):
        mnemonic = mnemonics.get(str(key))
        if mnemonic is not None:
            values[mnemonic] = published.grid[i][len(published.grid[i]) - 1]
    top = max((value for value in values.values() if value is not None), default=0)
    points = [point for rings in outlines.values() for ring in rings for point in ring]
    west, east = min(x for x, _y in points), max(x for x, _y in points)
    south, north = min(y for _x, y in points), max(y for _x, y in points)
    # Longitude degrees shrink with latitude: without this the country looks stretched.
    aspect = math.cos(math.radians((south + north) / 2))
    scale = width / ((east - west) * aspect)
    height = round((north - south) * scale) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="9">'
    ]
    for mnemonic, rings in sorted(outlines.items()):
        if mnemonic not in values:
            fill = NO_FIGURE_FILL
        else:
            value = values[mnemonic]
            fill = HIDDEN_FILL if value is None else shade(value, top)
        path = " ".join(
            "M" + " L".join(f"{(x - west) * aspect * scale:.1f},{(north - y) * scale:.1f}" for x, y in ring) + " Z"
            for ring in rings
        )
        parts.append(f'<path d="{path}" fill="{fill}" stroke="#666" stroke-width="0.4"/>')
    legend_y = height - 8
    # Outside the f-strings: xgettext does not see a text marked inside one.
    hidden_label = escape(_("figure hidden by disclosure control"))
    top_label = escape(_("most victims: %(n)s") % {"n": top})
    parts.append(f'<rect x="0" y="{legend_y - 8}" width="10" height="10" fill="{HIDDEN_FILL}" stroke="#666"/>')
    parts.append(f'<text x="14" y="{legend_y}">{hidden_label}</text>')
    parts.append(f'<rect x="240" y="{legend_y - 8}" width="10" height="10" fill="{shade(top, top)}"/>')
    parts.append(f'<text x="254" y="{legend_y}">{top_label}</text>')
    parts.append("</svg>")
    return "".join(parts)
