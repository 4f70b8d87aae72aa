"""Full-text search on each database engine's own machinery, behind one small API.

A domain that wants its texts searchable declares one index and keeps it current from the
service that writes the texts (no signals, no ``save()`` logic):

    ARTICLES = fulltext.SearchIndex("knowledge_search")

    # in a migration of the app:
    operations = [*fulltext.create_index_operations(ARTICLES)]

    # in the service that publishes a text:
    fulltext.index_document(ARTICLES, doc_id=version.pk, language="ro", title=..., body=...)
    fulltext.remove_document(ARTICLES, old_version.pk)

    # in a selector:
    hits = fulltext.search(ARTICLES, request.GET["q"], language=None, limit=50)
    ids = fulltext.search_ids(ARTICLES, "munca in strainatate")   # best first

``doc_id`` is the primary key of whatever row the caller indexes; the caller joins the ids
back to its own (scoped) queryset, so the index never decides who sees what.

How each engine does it:

- PostgreSQL: a table ``<name>`` with a ``tsvector`` column, computed on write with the text
  search configuration of the document's language and a GIN index. The configurations
  ``atis_romanian``, ``atis_english`` and ``atis_simple`` are the built-in ``romanian``,
  ``english`` and ``simple`` with the ``unaccent`` dictionary in front, so "munca in
  strainatate" and "muncă în străinătate" reduce to the same lexemes (and stems). Queries go
  through ``websearch_to_tsquery`` (quotes, ``or`` and ``-word`` work; nothing the user types
  is SQL). Ranking: ``ts_rank_cd`` with the title weighted above the body.
- SQLite: an FTS5 virtual table ``<name>`` (``unicode61 remove_diacritics 2``) whose rowid is
  ``doc_id``. The query is cut into words and each becomes a quoted prefix term ("term"*),
  all of which must match, so no FTS5 syntax from the user reaches the engine. No stemming:
  the prefix match stands in for it. Ranking: ``bm25`` with the title weighted ten times.

Snippets come back with the matches marked; ``Hit.snippet_html`` escapes the text and wraps
the matches in ``<mark>``, so it may be shown as is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.migrations.operations.base import Operation
from django.db.migrations.operations.special import RunPython
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Text search configurations by document language; any other language uses the fallback.
PG_CONFIGS: dict[str, str] = {"ro": "atis_romanian", "en": "atis_english"}
PG_FALLBACK = "atis_simple"
_PG_BASE = {"atis_romanian": ("romanian", "romanian_stem"), "atis_english": ("english", "english_stem")}

# Private-use characters mark the matches in snippets: they cannot come from the indexed
# text (index_document strips them) and survive escaping untouched.
_START, _STOP = "\ue000", "\ue001"
_MARKERS = re.compile(f"[{_START}{_STOP}]")
# SQL here is built with f-strings only for identifiers (a SearchIndex name, checked against
# this pattern) and the constants above; every value typed by a user goes as a parameter.
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,50}$")
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12


@dataclass(frozen=True)
class SearchIndex:
    """A named full-text index; ``name`` becomes a table name, so it is checked here."""

    name: str

    def __post_init__(self) -> None:
        if not _IDENTIFIER.match(self.name):
            raise ValueError(f"Invalid full-text index name: {self.name!r}")

    @property
    def table(self) -> str:
        return str(connection.ops.quote_name(self.name))


@dataclass(frozen=True)
class Hit:
    doc_id: int
    rank: float
    snippet: str

    @property
    def snippet_html(self) -> SafeString:
        # Escape first, then turn the markers into tags: no markup from the text survives.
        escaped = str(escape(self.snippet))
        return mark_safe(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


def query_terms(query: str) -> list[str]:
    """The words of a query, as the SQLite engine searches them (letters and digits only)."""
    return _WORD.findall(query[:MAX_QUERY_LENGTH])[:MAX_TERMS]


def _pg_config_sql(column: str) -> str:
    # Built only from the constants above; the column name is the index's own.
    cases = " ".join(f"WHEN '{language}' THEN '{config}'" for language, config in PG_CONFIGS.items())
    return f"(CASE {column} {cases} ELSE '{PG_FALLBACK}' END)::regconfig"


def pg_config(language: str | None) -> str:
    return PG_CONFIGS.get(language or "", PG_FALLBACK)


# --- Schema -------------------------------------------------------------------------------


def _pg_configurations_sql() -> list[str]:
    statements = ["CREATE EXTENSION IF NOT EXISTS unaccent"]
    configs = {**{name: base for name, base in _PG_BASE.items()}, PG_FALLBACK: ("simple", "simple")}
    for name, (copy_of, dictionary) in configs.items():
        statements.append(
            f"""DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{name}') THEN
                    CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {copy_of});
                    ALTER TEXT SEARCH CONFIGURATION {name}
                        ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {dictionary};
                END IF;
            END $$"""  # noqa: S608
        )
    return statements


def create_index(schema_editor: Any, index: SearchIndex) -> None:
    """Create the engine's structures for ``index``; safe to run again."""
    vendor = schema_editor.connection.vendor
    table = schema_editor.connection.ops.quote_name(index.name)
    if vendor == "postgresql":
        for statement in _pg_configurations_sql():
            schema_editor.execute(statement)
        schema_editor.execute(
            f"CREATE TABLE IF NOT EXISTS {table} ("
            "doc_id bigint PRIMARY KEY, language varchar(8) NOT NULL, "
            "title text NOT NULL, body text NOT NULL, document tsvector NOT NULL)"
        )
        gin = schema_editor.connection.ops.quote_name(f"{index.name}_document")
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {gin} ON {table} USING gin (document)")
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5("
            "title, body, language UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')"
        )
    else:
        raise NotImplementedError(f"Full-text search is not available on {vendor}.")


def drop_index(schema_editor: Any, index: SearchIndex) -> None:
    # The shared text search configurations stay: other indexes may use them.
    table = schema_editor.connection.ops.quote_name(index.name)
    schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


def create_index_operations(index: SearchIndex) -> list[Operation]:
    """Migration operations that create (and on reverse drop) the index."""

    def forward(apps: Any, schema_editor: Any) -> None:
        create_index(schema_editor, index)

    def backward(apps: Any, schema_editor: Any) -> None:
        drop_index(schema_editor, index)

    return [RunPython(forward, backward, elidable=False)]


# --- Writing --------------------------------------------------------------------------------


def _clean(text: str) -> str:
    return _MARKERS.sub("", text)


def index_document(index: SearchIndex, *, doc_id: int, language: str, title: str, body: str) -> None:
    """Add or replace one document; call it inside the transaction that writes the text."""
    title, body = _clean(title), _clean(body)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            config = pg_config(language)
            cursor.execute(
                f"INSERT INTO {index.table} (doc_id, language, title, body, document) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, setweight(to_tsvector(%s::regconfig, %s), 'A') "
                "|| setweight(to_tsvector(%s::regconfig, %s), 'B')) "
                "ON CONFLICT (doc_id) DO UPDATE SET language = EXCLUDED.language, title = EXCLUDED.title, "
                "body = EXCLUDED.body, document = EXCLUDED.document",
                [doc_id, language, title, body, config, title, config, body],
            )
        else:
            cursor.execute(f"DELETE FROM {index.table} WHERE rowid = %s", [doc_id])  # noqa: S608
            cursor.execute(
                f"INSERT INTO {index.table} (rowid, title, body, language) VALUES (%s, %s, %s, %s)",  # noqa: S608
                [doc_id, title, body, language],
            )


def remove_document(index: SearchIndex, doc_id: int) -> None:
    column = "doc_id" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {index.table} WHERE {column} = %s", [doc_id])  # noqa: S608


@dataclass(frozen=True)
class Document:
    doc_id: int
    language: str
    title: str
    body: str


def rebuild(index: SearchIndex, documents: Iterable[Document]) -> int:
    """Empty the index and fill it again (after a bulk load, or to repair it); returns the count."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {index.table}")  # noqa: S608
    count = 0
    for document in documents:
        index_document(
            index, doc_id=document.doc_id, language=document.language, title=document.title, body=document.body
        )
        count += 1
    return count


# --- Searching ------------------------------------------------------------------------------


def _fts5_match(query: str) -> str:
    # Every word quoted (inner quotes doubled, though \w+ leaves none) and made a prefix term:
    # operators, column filters and parentheses typed by the user are never parsed by FTS5.
    return " ".join('"{}"*'.format(term.replace('"', '""')) for term in query_terms(query))


def search(index: SearchIndex, query: str, *, language: str | None = None, limit: int = 50) -> list[Hit]:
    """The documents matching ``query``, best first, with a marked snippet of their body.

    ``language`` narrows to documents in that language; None searches all of them, each with
    its own language's rules.
    """
    query = query.strip()[:MAX_QUERY_LENGTH]
    if not query_terms(query) or limit <= 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            config = _pg_config_sql("language")
            where_language = "AND language = %s" if language else ""
            params: list[Any] = [query]
            if language:
                params.append(language)
            params += [limit, f"StartSel={_START}, StopSel={_STOP}, MaxWords=30, MinWords=12, MaxFragments=2"]
            cursor.execute(
                f"""
                WITH ranked AS (
                    SELECT doc_id, language, body, query, ts_rank_cd(document, query) AS rank
                    FROM {index.table},
                         LATERAL (SELECT websearch_to_tsquery({config}, %s) AS query) AS parsed
                    WHERE document @@ query {where_language}
                    ORDER BY rank DESC, doc_id
                    LIMIT %s
                )
                SELECT doc_id, rank, ts_headline({config}, body, query, %s)
                FROM ranked ORDER BY rank DESC, doc_id
                """,  # noqa: S608
                params,
            )
        else:
            where_language = "AND language = %s" if language else ""
            params = [_START, _STOP, _fts5_match(query)]
            if language:
                params.append(language)
            params.append(limit)
            cursor.execute(
                f"""
                SELECT rowid, bm25({index.table}, 10.0, 1.0) AS rank,
                       snippet({index.table}, 1, %s, %s, '…', 24)
                FROM {index.table}
                WHERE {index.table} MATCH %s {where_language}
                ORDER BY rank, rowid
                LIMIT %s
                """,  # noqa: S608
                params,
            )
        rows = cursor.fetchall()
    # bm25 is better when lower; flip it so that callers always sort by "higher is better".
    flip = -1.0 if connection.vendor != "postgresql" else 1.0
    return [Hit(doc_id=int(row[0]), rank=flip * float(row[1]), snippet=row[2] or "") for row in rows]


def search_ids(index: SearchIndex, query: str, *, language: str | None = None, limit: int = 200) -> list[int]:
    """The ids of the documents matching ``query``, best first."""
    return [hit.doc_id for hit in search(index, query, language=language, limit=limit)]
