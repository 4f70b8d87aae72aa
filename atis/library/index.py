"""The library's full-text index, on the database's own engine (atis.lib.fulltext).

Each document is one entry: its titles and tags as the title (weighted higher), its
descriptions and the text of its files as the body. Searching joins the index back to the
caller's queryset inside the database, so the facets, the visibility rules and the
pagination apply to every match, not to a first batch of hits.

PostgreSQL: the query is parsed with the Romanian, English and plain configurations (all
with unaccent) and the three joined with OR, a constant the GIN index can use; a document
is indexed with its own language's configuration, so `violenta` reaches `violență` through
the Romanian stemmer. SQLite: FTS5 with `remove_diacritics 2`, each word a prefix term.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL

from atis.lib import fulltext as engine
from atis.library.models import Document, DocumentLanguage

DOCUMENTS = engine.SearchIndex("library_search")
# PostgreSQL refuses a tsvector over 1 MB; a report's first 300,000 characters are plenty.
BODY_MAX = 300_000
_INDEX_LANGUAGE = {DocumentLanguage.ROMANIAN: "ro", DocumentLanguage.ENGLISH: "en", DocumentLanguage.BILINGUAL: "ro"}


def index(document: Document, file_texts: list[str]) -> None:
    """Add or replace the document's entry; call it in the transaction that changed it."""
    title = "\n".join(
        part for part in (document.title_ro, document.title_en, " ".join(t.name for t in document.tags.all())) if part
    )
    body = "\n".join(part for part in (document.description_ro, document.description_en, *file_texts) if part)[
        :BODY_MAX
    ]
    engine.index_document(
        DOCUMENTS,
        doc_id=document.pk,
        language=_INDEX_LANGUAGE.get(DocumentLanguage(document.language), "other"),
        title=title,
        body=body,
    )


def _pg_query_sql() -> str:
    configs = [*engine.PG_CONFIGS.values(), engine.PG_FALLBACK]
    return " || ".join(f"websearch_to_tsquery('{config}', %s)" for config in configs)


def _pg_params(query: str) -> list[Any]:
    return [query] * (len(engine.PG_CONFIGS) + 1)


def _fts5_match(query: str) -> str:
    # Every word quoted and made a prefix term: no FTS5 syntax typed by a visitor is parsed.
    return " ".join('"{}"*'.format(term.replace('"', '""')) for term in engine.query_terms(query))


def _clip(query: str) -> str:
    return query.strip()[: engine.MAX_QUERY_LENGTH]


# The SQL below is built only from the index's checked table name, the constant configuration
# names and Django's quoting of this model's table; everything a visitor types is a parameter.


def matching(documents: QuerySet[Document], query: str) -> QuerySet[Document]:
    query = _clip(query)
    if not engine.query_terms(query):
        return documents.none()
    table = DOCUMENTS.table
    if connection.vendor == "postgresql":
        sql = f"SELECT doc_id FROM {table} WHERE document @@ ({_pg_query_sql()})"  # noqa: S608
        return documents.filter(pk__in=RawSQL(sql, _pg_params(query)))  # noqa: S611
    sql = f"SELECT rowid FROM {table} WHERE {table} MATCH %s"  # noqa: S608
    return documents.filter(pk__in=RawSQL(sql, [_fts5_match(query)]))  # noqa: S611


def by_rank(documents: QuerySet[Document], query: str) -> QuerySet[Document]:
    """Best match first: the engine's rank, the title weighing more than the body."""
    query = _clip(query)
    table = DOCUMENTS.table
    outer = f"{connection.ops.quote_name(Document._meta.db_table)}.{connection.ops.quote_name('id')}"
    if connection.vendor == "postgresql":
        rank = RawSQL(  # noqa: S611
            f"SELECT ts_rank_cd(s.document, {_pg_query_sql()}) FROM {table} s WHERE s.doc_id = {outer}",  # noqa: S608
            _pg_params(query),
        )
    else:
        # bm25 is better when lower; negated so that both engines sort "higher is better".
        rank = RawSQL(  # noqa: S611
            f"SELECT -bm25({table}, 10.0, 1.0) FROM {table} WHERE {table} MATCH %s AND rowid = {outer}",  # noqa: S608
            [_fts5_match(query)],
        )
    return documents.annotate(rank=rank).order_by(F("rank").desc(nulls_last=True), "-published_at", "-id")
