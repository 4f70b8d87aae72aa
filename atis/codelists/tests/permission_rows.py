from __future__ import annotations

from typing import Any

from atis.codelists.models import Code
from atis.core.tests.matrix import REDIRECT, Row, only

ROWS: dict[str, Row] = {
    "codelists:list": (None, only({"coordinator"}), REDIRECT),
    "codelists:edit": ("code", only({"coordinator"}), REDIRECT),
}


def url_kwargs(personas: Any) -> dict[str, dict[str, Any]]:
    return {"code": {"pk": Code.objects.get(list="exploitation_form", code="sexual").pk}}
