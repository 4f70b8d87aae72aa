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

from django.db.models import Count, F, Prefetch, QuerySet, Sum

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
        documents = search_index.matching(documents, filters.query)
        if filters.effective_sort == Sort.RELEVANCE:
            return search_index.by_rank(documents, filters.query)
    return documents.order_by(F("published_at").desc(nulls_last=True), "-id")


def with_listing_data(documents: QuerySet[Document]) -> QuerySet[Document]:
    """What a row of the list shows: no extracted text is loaded for it."""
    return documents.prefetch_related(
        "tags",
        Prefetch("files", queryset=DocumentFile.objects.defer("extracted_text").order_by("created_at", "id")),
    )


def year_choices(documents: QuerySet[Document]) -> list[int]:
    return list(documents.order_by("-year").values_list("year", flat=True).distinct())


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
    result = {}
    for document_id, parts in texts.items():
        folded_terms = terms
        chosen = next((part for part in parts if part and search.contains_any(part, folded_terms)), parts[0])
        result[document_id] = search.snippet(chosen, folded_terms)
    return result
