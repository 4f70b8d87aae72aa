"""The public pages, read as a visitor would, in both languages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference(db):  # type: ignore[no-untyped-def]
    from conftest import ensure_reference_data

    ensure_reference_data()


@pytest.mark.parametrize("language", ["ro", "en"])
def test_home_tells_how_to_get_help(reference, language) -> None:  # type: ignore[no-untyped-def]
    with translation.override(language):
        url = reverse("portal:home")
    assert url.startswith(f"/{language}/")
    response = Client().get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="tel:0800800678"' in html and 'href="tel:112"' in html
    assert f'<html lang="{language}">' in html
    assert "<script>" not in html  # no inline script: the CSP forbids it anyway
    with translation.override(language):
        others = [reverse("knowledge:public_list"), reverse("screening:job_offer"), reverse("library:list")]
    for link in others:
        assert f'href="{link}"' in html


def test_about_lists_the_regional_centres_with_their_counties(reference) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(reverse("portal:about"))
    centres = response.context["centres"]
    assert len(centres) == 15
    iasi = next(item for item in centres if item.centre.name == "Centrul Regional Iași")
    assert "Iași" in {county.name for county in iasi.counties}
    assert sum(len(item.counties) for item in centres) == 42
    assert "Centrul Regional Iași" in response.content.decode()


def test_public_pages_send_a_strict_csp(reference) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(reverse("portal:home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
