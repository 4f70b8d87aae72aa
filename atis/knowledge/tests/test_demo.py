"""The demonstration articles load once, cover the main destinations in both languages and
are searchable."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from atis.accounts.services import user_create_by_system
from atis.knowledge import selectors
from atis.knowledge.demo import DEMO_EDITOR, load_demo_content
from atis.knowledge.models import Article, ArticleVersion
from atis.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_the_demo_articles_cover_five_countries_in_two_languages_and_load_once(personas) -> None:  # type: ignore[no-untyped-def]
    user_create_by_system(
        username=DEMO_EDITOR,
        first_name="Demo",
        last_name="Coordonator",
        email="coordonator@example.org",
        password="Correct-horse-battery-77",
        organisation=Organisation.objects.get(name="Agenția Națională împotriva Traficului de Persoane"),
        role="national_coordinator",
    )
    load_demo_content(1)
    count = Article.objects.count()
    load_demo_content(1)
    assert Article.objects.count() == count >= 20
    for country in ("IT", "ES", "DE", "GB", "FR"):
        kinds = set(Article.objects.filter(country=country).values_list("kind", flat=True))
        assert {"working_legally", "job_portals", "embassy"} <= kinds, country
    assert not Article.objects.exclude(versions__language="en").exists()
    assert not Article.objects.exclude(versions__language="ro").exists()
    assert ArticleVersion.objects.filter(is_published=False).count() == 0
    operator = personas["operator"].user
    found = selectors.articles_search(selectors.articles_visible_to(operator), query="pasaportul", language="ro")
    assert any("înșelătoare" in card.title for card in found)
    assert get_user_model().objects.filter(username=DEMO_EDITOR).exists()
