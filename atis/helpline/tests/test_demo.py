from __future__ import annotations

import pytest

from atis.helpline.demo import DEMO_CONTACTS, load_demo_content
from atis.helpline.models import Contact

pytestmark = pytest.mark.django_db


def test_the_demo_log_is_loaded_once(personas) -> None:  # type: ignore[no-untyped-def]
    first = load_demo_content(7)
    assert f"{DEMO_CONTACTS} in all" in first
    assert Contact.objects.count() == DEMO_CONTACTS
    assert "already there" in load_demo_content(7)
    assert Contact.objects.count() == DEMO_CONTACTS
    assert Contact.objects.filter(escalated_at__isnull=False).exists()
