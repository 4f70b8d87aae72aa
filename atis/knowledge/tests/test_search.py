"""Finding articles: full text without regard to diacritics (on SQLite and PostgreSQL alike),
filters, languages, and the suggestions beside the HelpLine intake screen."""

from __future__ import annotations

import pytest
from django.utils import translation

from atis.knowledge import selectors
from atis.knowledge.tests.helpers import article, translate

pytestmark = pytest.mark.django_db


def _titles(cards) -> list[str]:  # type: ignore[no-untyped-def]
    return [card.title for card in cards]


def _search(user, query: str, **filters):  # type: ignore[no-untyped-def]
    return selectors.articles_search(selectors.articles_visible_to(user), query=query, **filters)


def test_words_without_diacritics_find_a_text_with_them(personas) -> None:  # type: ignore[no-untyped-def]
    editor = personas["coordinator"].user
    article(editor, title="Munca în străinătate", body="Înainte de plecare, verificați agenția.")
    article(editor, title="Ambasade", body="Consulatul vă eliberează un titlu de călătorie.", kind="embassy")
    assert _titles(_search(personas["operator"].user, "munca in strainatate")) == ["Munca în străinătate"]
    assert _titles(_search(personas["operator"].user, "calatorie")) == ["Ambasade"]


def test_words_with_diacritics_find_a_text_without_them(personas) -> None:  # type: ignore[no-untyped-def]
    editor = personas["coordinator"].user
    article(editor, title="Pasaportul", body="Nu predati pasaportul angajatorului.")
    assert _titles(_search(personas["operator"].user, "pașaportul")) == ["Pasaportul"]


def test_results_carry_a_marked_snippet(personas) -> None:  # type: ignore[no-untyped-def]
    article(personas["coordinator"].user, body="Cereți contractul înainte de plecare.")
    (card,) = _search(personas["operator"].user, "contractul")
    assert "<mark>" in str(card.snippet_html)


def test_only_the_current_text_is_searched(personas) -> None:  # type: ignore[no-untyped-def]
    editor = personas["coordinator"].user
    item = article(editor, body="Vechea adresă a consulatului.")
    translate(editor, item, language="ro", title="Munca în străinătate", body="Noua locație a consulatului.")
    assert _search(personas["operator"].user, "adresa") == []
    assert len(_search(personas["operator"].user, "locatie")) == 1


def test_drafts_are_not_found_by_readers(personas) -> None:  # type: ignore[no-untyped-def]
    article(personas["coordinator"].user, title="Ciornă", body="Text nepublicat despre vize.", publish=False)
    assert _search(personas["operator"].user, "vize") == []
    assert selectors.articles_visible_to(personas["operator"].user).count() == 0


def test_filters_narrow_the_results(personas) -> None:  # type: ignore[no-untyped-def]
    editor = personas["coordinator"].user
    article(editor, title="Contract Italia", body="Contractul scris.", country="IT", kind="contract")
    article(editor, title="Contract Spania", body="Contractul scris.", country="ES", kind="contract")
    user = personas["operator"].user
    assert _titles(_search(user, "contractul", country="ES")) == ["Contract Spania"]
    assert _titles(_search(user, "", country="IT")) == ["Contract Italia"]


def test_a_reader_sees_the_text_in_their_language_or_the_other(personas) -> None:  # type: ignore[no-untyped-def]
    editor = personas["coordinator"].user
    item = article(editor, title="Munca legală", body="Text românesc.")
    only_ro = article(editor, title="Doar în română", body="Alt text.", kind="contract")
    translate(editor, item, title="Legal work", body="English text.")
    with translation.override("en"):
        cards = {card.article.pk: card for card in _search(personas["operator"].user, "")}
    assert cards[item.pk].title == "Legal work"
    assert not cards[item.pk].is_fallback
    assert cards[only_ro.pk].title == "Doar în română"
    assert cards[only_ro.pk].is_fallback


def test_people_without_the_permission_find_nothing(personas) -> None:  # type: ignore[no-untyped-def]
    article(personas["coordinator"].user)
    assert _search(personas["analyst"].user, "munca") == []
    assert selectors.articles_suggested_for(personas["analyst"].user, ["job_offer_abroad"], "IT") == []


def test_suggestions_put_the_country_first_then_general_articles_by_topic(personas) -> None:  # type: ignore[no-untyped-def]
    editor = personas["coordinator"].user
    article(editor, title="General: agenții", country="", kind="job_portals", topics=("recruitment_agency",))
    article(editor, title="Italia: contract", country="IT", kind="contract", topics=("contract",))
    article(editor, title="Italia: agenții", country="IT", kind="job_portals", topics=("recruitment_agency",))
    article(editor, title="Spania: agenții", country="ES", kind="job_portals", topics=("recruitment_agency",))
    article(editor, title="General: călătorie", country="", kind="support", topics=("travel",))
    cards = selectors.articles_suggested_for(personas["operator"].user, ["recruitment_agency"], "it")
    assert _titles(cards) == ["Italia: agenții", "Italia: contract", "General: agenții"]
    assert _titles(selectors.articles_suggested_for(personas["operator"].user, ["travel"], None)) == [
        "General: călătorie"
    ]
    assert len(selectors.articles_suggested_for(personas["operator"].user, ["recruitment_agency"], "IT", limit=1)) == 1
    assert selectors.articles_suggested_for(personas["operator"].user, [], None) == []


def test_suggestions_come_in_the_users_language(personas) -> None:  # type: ignore[no-untyped-def]
    editor = personas["coordinator"].user
    item = article(editor, title="Munca în Italia")
    translate(editor, item, title="Working in Italy", body="Text.")
    with translation.override("en"):
        (card,) = selectors.articles_suggested_for(personas["operator"].user, ["job_offer_abroad"], "IT")
    assert card.title == "Working in Italy"
    assert card.url.endswith(f"/articles/{item.public_id}/")


def test_a_suggestion_reads_as_its_title_and_links_to_the_article(personas) -> None:  # type: ignore[no-untyped-def]
    item = article(personas["coordinator"].user, title="Munca în Italia")
    (card,) = selectors.articles_suggested_for(
        personas["operator"].user, topic_codes=["job_offer_abroad"], country_code="IT"
    )
    assert str(card) == "Munca în Italia"
    assert card.get_absolute_url() == item.get_absolute_url()
