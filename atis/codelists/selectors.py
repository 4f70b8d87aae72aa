from __future__ import annotations

from django.db.models import QuerySet

from atis.codelists.models import Code, CodeList


def codes(code_list: CodeList, *, include_inactive: bool = False) -> QuerySet[Code]:
    found = Code.objects.filter(list=code_list)
    return found if include_inactive else found.filter(is_active=True)
