"""The staff menu offers each role the pages it can open, and only those."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import PERSONAS

pytestmark = pytest.mark.django_db

MENU_LINK = re.compile(r'<a class="dropdown-item" href="([^"]+)">([^<]+)</a>')


def _menu(client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        page = client.get(reverse("core:dashboard")).content.decode()
    return {label: url for url, label in MENU_LINK.findall(page)}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_menu_entry_opens_for_the_role_that_sees_it(signed_in, persona: str) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(persona)
    menu = _menu(client)
    assert menu, f"{persona} sees an empty menu"
    for label, url in menu.items():
        assert client.get(url).status_code == 200, f"{persona}: {label} ({url})"


def test_each_role_sees_its_own_work_first(signed_in) -> None:  # type: ignore[no-untyped-def]
    manager = _menu(signed_in("manager_iasi"))
    assert "Cases" in manager and "National strategies" not in manager
    operator = _menu(signed_in("operator"))
    assert {"New contact", "Knowledge base", "Recruitment agencies"} <= set(operator) and "Campaigns" not in operator
    analyst = _menu(signed_in("analyst"))
    assert "Identified victims" in analyst and "Cases" not in analyst and "New contact" not in analyst


def test_anonymous_visitors_get_no_staff_menu(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("accounts:login")).content.decode()
    assert "dropdown-item" not in page
