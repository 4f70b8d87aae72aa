"""The assistance screens are complete in Romanian (the app keeps its own catalogue)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "ro" / "LC_MESSAGES" / "django.po"


def _blocks() -> list[str]:
    return [block for block in CATALOGUE.read_text(encoding="utf-8").split("\n\n") if "msgid" in block][1:]


def test_the_romanian_catalogue_has_no_missing_fuzzy_or_obsolete_entry() -> None:
    problems = [
        block
        for block in _blocks()
        if "#, fuzzy" in block or block.lstrip().startswith("#~") or re.search(r'^msgstr(\[\d\])? ""$', block, re.M)
    ]
    assert problems == []


def test_no_other_catalogue_overrides_a_text_of_this_app() -> None:
    """The project catalogue (LOCALE_PATHS) wins over an app's: a shared English text with
    another meaning there ("Places" as geography) would show the wrong Romanian here."""
    overridden = {}
    with translation.override("ro"):
        for block in _blocks():
            found = re.search(r'^msgid "(.*)"\nmsgstr "(.*)"$', block, re.M)
            if found and "msgctxt" not in block:
                msgid, msgstr = (part.replace('\\"', '"') for part in found.groups())
                if gettext(msgid) != msgstr:
                    overridden[msgid] = gettext(msgid)
    assert overridden == {}


@pytest.mark.django_db
def test_the_shelter_list_speaks_romanian(signed_in) -> None:  # type: ignore[no-untyped-def]
    content = signed_in("coordinator").get(reverse("assistance:shelters")).content.decode()
    assert '<h1 class="mb-0">Adăposturi</h1>' in content and "Capacitate" in content
