"""The statistics URLs in the permission matrix (see atis.core.tests.matrix).

Aggregates only: analysts (national and regional) and the national coordinator; every other
role is refused, whatever cases it may work on.
"""

from __future__ import annotations

from typing import Any

from atis.core.tests.matrix import FORBIDDEN, OK, REDIRECT, Row, only

READERS = {"coordinator", "analyst", "analyst_iasi"}

ROWS: dict[str, Row] = {
    "statistics:dashboard": (None, only(READERS, yes=OK), REDIRECT),
    "statistics:export": ("statistics_csv", only(READERS, yes=OK), REDIRECT),
    "statistics:counties_geojson": (None, only(READERS, yes=OK), REDIRECT),
    "statistics:comparison": (None, only(READERS, yes=OK), REDIRECT),
    "statistics:reports": (None, only(READERS, yes=OK), REDIRECT),
    "statistics:annual_report": ("statistics_xlsx", only(READERS, yes=OK), REDIRECT),
    "statistics:international": ("statistics_glotip", only(READERS, yes=OK), REDIRECT),
    # Microdata: the coordinator only, and only after giving the second factor again.
    "statistics:microdata": (None, only({"coordinator"}, yes=REDIRECT, no=FORBIDDEN), REDIRECT),
}


def url_kwargs(personas: Any) -> dict[str, dict[str, Any]]:
    return {
        "statistics_csv": {"file_format": "csv"},
        "statistics_xlsx": {"file_format": "xlsx"},
        "statistics_glotip": {"standard": "glotip"},
    }
