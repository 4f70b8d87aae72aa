"""Every read of the library goes through here.

Who sees what, in one place (lists, search, the feed, a single document and its files all
start from `documents_visible_to`):
- anyone, signed in or not: documents both published and public;
- staff with `library.view_internal_documents` (both factors given): published ones, internal too;
- staff with `library.manage_documents`: everything, drafts and withdrawn ones included.
Anything else answers 404, so a draft's address reveals nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Prefetch, QuerySet, Sum, Window, prefetch_related_objects

from atis.lib.access import is_verified
from atis.lib.scope import get_in_scope_or_404
from atis.library import index as search_index
from atis.library import search
from atis.library.models import Document, DocumentFile, DocumentStatus, Visibility

MANAGE = "library.manage_documents"
VIEW_INTERNAL = "library.view_internal_documents"
FEED_SIZE = 30


class Sort:
    DATE = "date"
    RELEVANCE = "relevance"


def can_manage(user: Any) -> bool:
    return is_verified(user) and bool(user.has_perm(MANAGE))


def can_read_internal(user: Any) -> bool:
    return is_verified(user) and bool(user.has_perm(VIEW_INTERNAL) or user.has_perm(MANAGE))


def documents_visible_to(user: Any) -> QuerySet[Document]:
    documents = Document.objects.all()
    if can_manage(user):
        return documents
    published = documents.filter(status=DocumentStatus.PUBLISHED)
    if can_read_internal(user):
        return published
    return published.filter(visibility=Visibility.PUBLIC)


def documents_listed_to(user: Any) -> QuerySet[Document]:
    """The library's list: published documents only, even for those who may see drafts."""
    return documents_visible_to(user).filter(status=DocumentStatus.PUBLISHED)


def document_for(user: Any, public_id: Any) -> Document:
    return get_in_scope_or_404(documents_visible_to(user).prefetch_related("tags", "files"), public_id=public_id)


def file_for(user: Any, public_id: Any) -> DocumentFile:
    files = DocumentFile.objects.filter(document__in=documents_visible_to(user)).select_related("document")
    return get_in_scope_or_404(files, public_id=public_id)


@dataclass(frozen=True)
class Filters:
    category: str = ""
    year: int | None = None
    language: str = ""
    query: str = ""
    sort: str = ""

    @property
    def terms(self) -> list[str]:
        return search.terms_of(self.query)

    @property
    def effective_sort(self) -> str:
        if self.sort in (Sort.DATE, Sort.RELEVANCE):
            return self.sort if self.terms else Sort.DATE
        return Sort.RELEVANCE if self.terms else Sort.DATE


# The name under which a search's rows carry the number of its matches.
FOUND_TOTAL = "found_total"


def documents_filter(documents: QuerySet[Document], filters: Filters) -> QuerySet[Document]:
    """Narrow by the chosen facets and the search words, then order as asked.

    A query whose words are all too short to search finds nothing rather than everything.
    """
    if filters.category:
        documents = documents.filter(category=filters.category)
    if filters.year:
        documents = documents.filter(year=filters.year)
    if filters.language:
        documents = documents.filter(language=filters.language)
    if filters.query.strip():
        if not filters.terms:
            return documents.none()
        # The matches are all read anyway (to rank or sort them): counting them in the same
        # query spares the page a second full-text search just to say how many there are.
        documents = search_index.matching(documents, filters.query).annotate(**{FOUND_TOTAL: Window(Count("id"))})
        if filters.effective_sort == Sort.RELEVANCE:
            return search_index.by_rank(documents, filters.query)
    # Listed documents are published, and a published one always has its date (a check
    # constraint): no NULLS LAST needed, which would keep PostgreSQL off the listing index
    # and make it sort every published document for the first page.
    return documents.order_by("-published_at", "-id")


# What a row of the list shows, and no more: no extracted text, no audit columns.
LISTING_COLUMNS = (
    "id",
    "public_id",
    "title_ro",
    "title_en",
    "description_ro",
    "description_en",
    "category",
    "year",
    "language",
    "published_at",
    "visibility",
)
LISTING_FILE_COLUMNS = ("id", "public_id", "document_id", "kind", "size")


def listing_rows(documents: QuerySet[Document]) -> QuerySet[Document]:
    return documents.only(*LISTING_COLUMNS)


def add_listing_data(documents: list[Document]) -> None:
    """Load the tags and files of the rows shown, once the page is cut (not of the extra row
    fetched only to know whether a next page exists)."""
    prefetch_related_objects(
        documents,
        "tags",
        Prefetch("files", queryset=DocumentFile.objects.only(*LISTING_FILE_COLUMNS).order_by("created_at", "id")),
    )


def year_choices(documents: QuerySet[Document]) -> list[int]:
    return list(documents.order_by("-year").values_list("year", flat=True).distinct())


# The year filter offers the years that have published documents. Reading them is a scan of
# every published document, so they are kept in the cache (one list per audience) and
# forgotten by the services whenever a document is published, withdrawn or edited.
YEARS_CACHE_KEY = "library:listed-years:{audience}"
YEARS_CACHE_SECONDS = 60 * 60
_AUDIENCES = ("public", "staff")


def listed_years(user: Any) -> list[int]:
    """year_choices(documents_listed_to(user)), from the cache when it is there."""
    key = YEARS_CACHE_KEY.format(audience="staff" if can_read_internal(user) else "public")
    years: list[int] | None = cache.get(key)
    if years is None:
        years = year_choices(documents_listed_to(user))
        cache.set(key, years, YEARS_CACHE_SECONDS)
    return years


def forget_listed_years() -> None:
    """Call from every change that may add or remove a year from the list.

    Forgotten at once and again after the commit: a request that read the years between the
    two would otherwise keep the old list until it expires.
    """

    def forget() -> None:
        cache.delete_many([YEARS_CACHE_KEY.format(audience=audience) for audience in _AUDIENCES])

    forget()
    transaction.on_commit(forget)


def category_counts(documents: QuerySet[Document]) -> dict[str, int]:
    return dict(documents.order_by().values_list("category").annotate(total=Count("id")))


def document_downloads(document: Document) -> int:
    return int(document.files.aggregate(total=Sum("download_count"))["total"] or 0)


def documents_for_feed() -> QuerySet[Document]:
    public = Document.objects.filter(status=DocumentStatus.PUBLISHED, visibility=Visibility.PUBLIC)
    return public.order_by("-published_at", "-id")[:FEED_SIZE]


def documents_managed(user: Any, *, status: str = "", query: str = "") -> QuerySet[Document]:
    documents = documents_visible_to(user) if can_manage(user) else Document.objects.none()
    if status:
        documents = documents.filter(status=status)
    if query.strip():
        documents = search_index.matching(documents, query)
    return documents.annotate(file_count=Count("files")).order_by("-updated_at", "-id")


def snippets_for(documents: list[Document], terms: list[str]) -> dict[int, list[search.Piece]]:
    """A highlighted excerpt per result, cut from its description or its files' text."""
    if not terms or not documents:
        return {}
    texts: dict[int, list[str]] = {document.pk: [document.description] for document in documents}
    rows = DocumentFile.objects.filter(document__in=[document.pk for document in documents]).order_by(
        "created_at", "id"
    )
    for document_id, text in rows.values_list("document_id", "extracted_text"):
        texts[document_id].append(text)
    return {document_id: search.snippet_of(parts, terms) for document_id, parts in texts.items()}
