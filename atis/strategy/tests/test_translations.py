"""The strategy screens speak Romanian (the app keeps its own catalogue, checked with the
others in atis/core/tests/test_translations.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_the_strategy_list_speaks_romanian(signed_in) -> None:  # type: ignore[no-untyped-def]
    content = signed_in("coordinator").get(reverse("strategy:list")).content.decode()
    assert '<h1 class="mb-0">Strategia națională</h1>' in content and "Strategie nouă" in content
