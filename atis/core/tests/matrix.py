"""Vocabulary for the permission matrix. Each app lists its URLs in `tests/permission_rows.py`:

    ROWS = {"app:url_name": (kwargs_key, {persona: status, ...}, status_for_anonymous)}
    def url_kwargs(personas) -> dict[str, dict]:   # optional: builds objects, names their kwargs

`test_permission_matrix` gathers every app's rows and fails for a URL that has none.
"""

from __future__ import annotations

from conftest import PERSONAS

ALL = set(PERSONAS)
ADMIN = {"admin"}
STAFF_WITH_ORGS = ALL - {"auditor"}

OK, FORBIDDEN, NOT_FOUND, REDIRECT, NOT_ALLOWED = 200, 403, 404, 302, 405

Row = tuple[str | None, dict[str, int], int]


def only(allowed: set[str], *, yes: int = OK, no: int = FORBIDDEN) -> dict[str, int]:
    return {persona: (yes if persona in allowed else no) for persona in PERSONAS}


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(PERSONAS, status)
