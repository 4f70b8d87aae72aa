"""The library URLs in the permission matrix (see atis.core.tests.matrix).

The public pages answer everyone; the staff pages only the national coordinator, who
publishes. Writes are POST only, so a GET by the coordinator answers 405.
"""

from __future__ import annotations

from typing import Any

from atis.core.tests.matrix import NOT_ALLOWED, OK, REDIRECT, Row, everyone, only

PUBLISHERS = {"coordinator"}

ROWS: dict[str, Row] = {
    "library:list": (None, everyone(OK), OK),
    "library:feed": (None, everyone(OK), OK),
    "library:detail": ("library_document", everyone(OK), OK),
    "library:download": ("library_file", everyone(OK), OK),
    "library:manage": (None, only(PUBLISHERS), REDIRECT),
    "library:create": (None, only(PUBLISHERS), REDIRECT),
    "library:edit": ("library_document", only(PUBLISHERS), REDIRECT),
    "library:file_add": ("library_document", only(PUBLISHERS, yes=NOT_ALLOWED), REDIRECT),
    "library:publish": ("library_document", only(PUBLISHERS, yes=NOT_ALLOWED), REDIRECT),
    "library:withdraw": ("library_document", only(PUBLISHERS, yes=NOT_ALLOWED), REDIRECT),
    "library:file_status": ("library_file", only(PUBLISHERS), REDIRECT),
    "library:file_remove": ("library_file", only(PUBLISHERS, yes=NOT_ALLOWED), REDIRECT),
}


def url_kwargs(personas: Any) -> dict[str, dict[str, Any]]:
    from atis.library.tests.helpers import add_document

    document = add_document(personas["coordinator"].user)
    return {
        "library_document": {"public_id": document.public_id},
        "library_file": {"public_id": document.files.get().public_id},
    }
