from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from atis.audit.services import audit_record
from atis.codelists.models import Code

EDITABLE_FIELDS = ("label_en", "label_ro", "order", "is_active")


@transaction.atomic
def code_update(*, actor: Any, code: Code, label_en: str, label_ro: str, order: int, is_active: bool) -> Code:
    """Labels, order and availability change; the code itself never does (statistics rely on it)."""
    if not actor.has_perm("codelists.manage_codes"):
        raise PermissionDenied
    # From the database: a bound ModelForm has already copied the new values onto `code`.
    before = Code.objects.filter(pk=code.pk).values(*EDITABLE_FIELDS).get()
    code.label_en, code.label_ro, code.order, code.is_active = label_en, label_ro, order, is_active
    code.full_clean()
    code.save(update_fields=list(EDITABLE_FIELDS))
    changes = {
        field: [before[field], getattr(code, field)]
        for field in EDITABLE_FIELDS
        if before[field] != getattr(code, field)
    }
    audit_record(action="code.update", obj=code, object_label=f"{code.list}:{code.code}", details={"changes": changes})
    return code
