"""The public portal answers everyone, signed in or not (see atis.core.tests.matrix)."""

from __future__ import annotations

from atis.core.tests.matrix import OK, Row, everyone

ROWS: dict[str, Row] = {
    "portal:home": (None, everyone(OK), OK),
    "portal:about": (None, everyone(OK), OK),
}
