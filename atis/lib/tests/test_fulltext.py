"""Full-text search behaves the same for users on PostgreSQL and SQLite: diacritics do not
matter either way, ranking puts title matches first, and typed syntax is never SQL."""

from __future__ import annotations

import pytest
from django.db import connection

from atis.lib import fulltext

INDEX = fulltext.SearchIndex("test_fulltext_sample")


class _Editor:
    """Stands for a migration's schema editor inside the test's transaction (SQLite's own
    refuses to open there); the table goes away with the rollback."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


@pytest.fixture
def index(db):  # type: ignore[no-untyped-def]
    fulltext.create_index(_Editor(), INDEX)
    fulltext.index_document(
        INDEX,
        doc_id=1,
        language="ro",
        title="Munca în străinătate",
        body="Înainte de plecare cereți un contract de muncă scris, în limba română, semnat de angajator.",
    )
    fulltext.index_document(
        INDEX,
        doc_id=2,
        language="ro",
        title="Ambasade și consulate",
        body="Consulatul României vă ajută când vă pierdeți pașaportul sau când munca în străinătate devine un pericol.",
    )
    fulltext.index_document(
        INDEX,
        doc_id=3,
        language="en",
        title="Working abroad legally",
        body="Ask for a written employment contract in a language you read before you travel.",
    )
    yield INDEX
    fulltext.drop_index(_Editor(), INDEX)


def test_a_query_without_diacritics_finds_a_text_with_them(index) -> None:  # type: ignore[no-untyped-def]
    assert set(fulltext.search_ids(index, "munca in strainatate")) == {1, 2}


def test_a_query_with_diacritics_finds_a_text_without_them(index) -> None:  # type: ignore[no-untyped-def]
    fulltext.index_document(index, doc_id=4, language="ro", title="Pasaport", body="Pastrati pasaportul asupra dvs.")
    assert 4 in fulltext.search_ids(index, "pașaportul")
    assert set(fulltext.search_ids(index, "pașaport")) == {2, 4}


def test_a_title_match_ranks_above_a_body_match(index) -> None:  # type: ignore[no-untyped-def]
    assert fulltext.search_ids(index, "munca strainatate")[0] == 1


def test_every_word_must_match(index) -> None:  # type: ignore[no-untyped-def]
    assert fulltext.search_ids(index, "contract angajator") == [1]
    assert fulltext.search_ids(index, "contract pericol") == []


def test_the_language_narrows_the_search(index) -> None:  # type: ignore[no-untyped-def]
    assert fulltext.search_ids(index, "contract") in ([1, 3], [3, 1])
    assert fulltext.search_ids(index, "contract", language="en") == [3]


def test_a_replaced_document_is_found_by_its_new_text_only(index) -> None:  # type: ignore[no-untyped-def]
    fulltext.index_document(index, doc_id=3, language="en", title="Embassies", body="Consular help abroad.")
    assert fulltext.search_ids(index, "written contract") == []
    assert fulltext.search_ids(index, "consular") == [3]
    fulltext.remove_document(index, 3)
    assert fulltext.search_ids(index, "consular") == []


@pytest.mark.parametrize(
    "query",
    [
        'contract" OR 1=1 --',
        "contract'; DROP TABLE test_fulltext_sample; --",
        "title:contract",
        "(contract",
        "contract NEAR(angajator)",
        "*",
        '"',
        "-",
    ],
)
def test_search_syntax_typed_by_a_user_never_breaks_the_query(index, query: str) -> None:  # type: ignore[no-untyped-def]
    found = fulltext.search_ids(index, query)
    assert isinstance(found, list)
    # The table is still there and searchable.
    assert 1 in fulltext.search_ids(index, "angajator")


def test_an_empty_query_finds_nothing(index) -> None:  # type: ignore[no-untyped-def]
    assert fulltext.search(index, "   ") == []
    assert fulltext.search(index, "!!!") == []


def test_the_snippet_marks_the_match_and_escapes_the_text(index) -> None:  # type: ignore[no-untyped-def]
    fulltext.index_document(
        index,
        doc_id=9,
        language="en",
        title="Markup",
        body="A <script>alert(1)</script> recruiter asked for fees & costs.",
    )
    (hit,) = fulltext.search(index, "recruiter")
    html = str(hit.snippet_html)
    assert "<mark>recruiter</mark>" in html
    assert "<script>" not in html
    assert "&amp; costs" in html


def test_rebuild_replaces_the_whole_index(index) -> None:  # type: ignore[no-untyped-def]
    count = fulltext.rebuild(index, [fulltext.Document(doc_id=7, language="ro", title="Agenții", body="Licență")])
    assert count == 1
    assert fulltext.search_ids(index, "agentii") == [7]
    assert fulltext.search_ids(index, "angajator") == []


def test_an_index_name_that_is_not_an_identifier_is_refused() -> None:
    with pytest.raises(ValueError):
        fulltext.SearchIndex("x; DROP TABLE users")
