"""Both languages are complete: every string of the interface has its Romanian text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "ro" / "LC_MESSAGES" / "django.po"


def _entries() -> list[str]:
    return [block for block in CATALOGUE.read_text(encoding="utf-8").split("\n\n") if "msgid" in block]


def test_the_romanian_catalogue_has_no_missing_or_fuzzy_entry() -> None:
    problems = []
    for block in _entries()[1:]:  # the first entry is the header
        msgid = re.search(r'^msgid "(.*)"$', block, re.M)
        if "#, fuzzy" in block or re.search(r'^msgstr(\[\d\])? ""$', block, re.M):
            problems.append(msgid.group(1) if msgid else block)
    assert problems == [], f"untranslated or fuzzy: {problems}"


def test_romanian_plurals_have_their_three_forms() -> None:
    for block in _entries()[1:]:
        if "msgid_plural" in block:
            assert all(f"msgstr[{n}]" in block for n in range(3)), block


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "heading"), [("ro", "Autentificare"), ("en", "Sign in")])
def test_the_language_comes_from_the_url(language: str, heading: str) -> None:
    response = Client().get(f"/{language}/accounts/login/")
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    assert f'<h1 class="h3 mb-3">{heading}</h1>' in content


@pytest.mark.django_db
def test_the_language_switch_links_to_the_same_page_in_the_other_language() -> None:
    content = Client().get("/ro/accounts/login/").content.decode()
    assert 'href="/en/accounts/login/"' in content
    assert reverse("accounts:login").startswith("/ro/")
