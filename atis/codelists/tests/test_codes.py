from __future__ import annotations

import csv

import pytest
from django.urls import reverse

from atis.audit.models import AuditEntry
from atis.codelists.models import Code, CodeList
from atis.codelists.reference import CODES_CSV

pytestmark = pytest.mark.django_db


def test_every_shipped_code_is_loaded_with_both_labels() -> None:
    with CODES_CSV.open(encoding="utf-8") as handle:
        shipped = {(row["list"], row["code"]) for row in csv.DictReader(handle)}
    assert set(Code.objects.values_list("list", "code")) >= shipped
    assert not Code.objects.filter(label_ro="").exists()
    assert Code.objects.filter(list=CodeList.CONTROL_METHOD).count() == 16


def test_the_label_follows_the_language(settings) -> None:  # type: ignore[no-untyped-def]
    from django.utils import translation

    code = Code.objects.get(list=CodeList.EXPLOITATION_FORM, code="sexual")
    with translation.override("en"):
        english = code.label
    with translation.override("ro"):
        romanian = code.label
    assert english != romanian and "sexual" in english.lower()


def test_an_expert_corrects_a_label_and_the_change_is_audited(signed_in) -> None:  # type: ignore[no-untyped-def]
    code = Code.objects.get(list=CodeList.EXPLOITATION_FORM, code="forced_begging")
    response = signed_in("coordinator").post(
        reverse("codelists:edit", kwargs={"pk": code.pk}),
        {"label_en": "Forced begging", "label_ro": "Cerșetorie forțată", "order": 5, "is_active": ""},
    )
    assert response.status_code == 302
    code.refresh_from_db()
    assert (code.label_ro, code.order, code.is_active, code.code) == ("Cerșetorie forțată", 5, False, "forced_begging")
    entry = AuditEntry.objects.get(action="code.update")
    assert entry.details["changes"]["is_active"] == [True, False]
