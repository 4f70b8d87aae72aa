"""Both languages are complete: every string of the interface has its Romanian text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

ATIS = Path(__file__).resolve().parents[2]
PROJECT_CATALOGUE = ATIS / "locale" / "ro" / "LC_MESSAGES" / "django.po"
# Each app may keep its own catalogue (atis/<app>/locale), so that apps built side by side
# do not edit one shared file; every one of them must be complete.
CATALOGUES = sorted(ATIS.glob("**/locale/ro/LC_MESSAGES/django.po"))
APP_CATALOGUES = [catalogue for catalogue in CATALOGUES if catalogue != PROJECT_CATALOGUE]


def _entries(catalogue: Path) -> list[str]:
    return [block for block in catalogue.read_text(encoding="utf-8").split("\n\n") if "msgid" in block][1:]


def _name(catalogue: Path) -> str:
    return str(catalogue.relative_to(ATIS).parents[2])


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=_name)
def test_the_romanian_catalogue_has_no_missing_fuzzy_or_obsolete_entry(catalogue: Path) -> None:
    problems = []
    for block in _entries(catalogue):
        msgid = re.search(r'^msgid "(.*)"$', block, re.M)
        if "#, fuzzy" in block or block.lstrip().startswith("#~") or re.search(r'^msgstr(\[\d\])? ""$', block, re.M):
            problems.append(msgid.group(1) if msgid else block)
    assert problems == [], f"untranslated, fuzzy or obsolete: {problems}"


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=_name)
def test_romanian_plurals_have_their_three_forms(catalogue: Path) -> None:
    for block in _entries(catalogue):
        if "msgid_plural" in block:
            assert all(f"msgstr[{n}]" in block for n in range(3)), block


@pytest.mark.parametrize("catalogue", APP_CATALOGUES, ids=_name)
def test_no_other_catalogue_overrides_a_text_of_an_app(catalogue: Path) -> None:
    """The project catalogue (LOCALE_PATHS) wins over an app's: a shared English text with
    another meaning there ("Places" as geography) would show the wrong Romanian in the app."""
    overridden = {}
    with translation.override("ro"):
        for block in _entries(catalogue):
            found = re.search(r'^msgid "(.*)"\nmsgstr "(.*)"$', block, re.M)
            if found and "msgctxt" not in block:
                msgid, msgstr = (part.replace('\\"', '"') for part in found.groups())
                if gettext(msgid) != msgstr:
                    overridden[msgid] = gettext(msgid)
    assert overridden == {}


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
