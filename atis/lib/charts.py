"""Charts under a strict CSP: plotly.js served by atis itself, the figures passed as data.

Pages put a chart's specification in the page with `json_script` and a container
`<div class="atis-chart" data-chart="<id of the json_script>">`; `static/atis/charts.js`
draws every such container with the plotly.js bundled in the plotly wheel (no CDN, no
inline script). `PlotlyFinder` exposes only that one file as a static file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage
from django.core.checks import Error as CheckError
from django.core.files.storage import FileSystemStorage

PLOTLY_JS = "vendor/plotly/plotly.min.js"
_PLOTLY_DIR = Path(plotly.__file__).resolve().parent / "package_data"
_PLOTLY_FILE = "plotly.min.js"


class PlotlyFinder(BaseFinder):
    """Finds `vendor/plotly/plotly.min.js` in the installed plotly wheel and nothing else."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(_PLOTLY_DIR))
        self.storage.prefix = "vendor/plotly"  # type: ignore[attr-defined]

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        if not (_PLOTLY_DIR / _PLOTLY_FILE).is_file():
            return [CheckError(f"plotly.js is missing from the plotly package ({_PLOTLY_DIR}).", id="atis.E101")]
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        if path != PLOTLY_JS:
            return []
        found = str(_PLOTLY_DIR / _PLOTLY_FILE)
        return [found] if find_all else found

    def list(self, ignore_patterns: Any) -> Iterable[tuple[str, FileSystemStorage]]:
        yield _PLOTLY_FILE, self.storage


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[int | float],
    *,
    horizontal: bool = False,
    value_title: str = "",
) -> dict[str, Any]:
    """A plotly figure specification (data and layout) for one series of bars."""
    trace: dict[str, Any] = {"type": "bar", "x": list(labels), "y": list(values)}
    if horizontal:
        trace = {"type": "bar", "orientation": "h", "y": list(labels)[::-1], "x": list(values)[::-1]}
    layout: dict[str, Any] = {
        "title": {"text": title},
        "margin": {"l": 200 if horizontal else 50, "r": 20, "t": 50, "b": 60},
        "height": max(280, 28 * len(labels) + 100) if horizontal else 320,
        "font": {"family": "system-ui, sans-serif", "size": 13},
    }
    axis = "xaxis" if horizontal else "yaxis"
    layout[axis] = {"title": {"text": value_title}, "rangemode": "tozero"}
    return {"data": [trace], "layout": layout}


def line_chart(
    title: str, labels: Sequence[str], values: Sequence[int | float | None], *, value_title: str = ""
) -> dict[str, Any]:
    return {
        "data": [{"type": "scatter", "mode": "lines+markers", "x": list(labels), "y": list(values)}],
        "layout": {
            "title": {"text": title},
            "margin": {"l": 50, "r": 20, "t": 50, "b": 60},
            "height": 320,
            "font": {"family": "system-ui, sans-serif", "size": 13},
            "yaxis": {"title": {"text": value_title}, "rangemode": "tozero"},
        },
    }
