"""The library's pages: the public list and search, a document, its downloads, the feed, and
the staff's pages to add, publish and withdraw documents.

The list works as a plain GET form (filters in the URL, shareable, no JavaScript needed);
htmx only swaps the results in place and pushes the same URL.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from atis.lib.access import public, requires
from atis.lib.forms import add_service_errors
from atis.library import selectors, services
from atis.library.files import CONTENT_TYPES
from atis.library.forms import DocumentForm, FileForm, FilterForm, ManageFilterForm, NewDocumentForm
from atis.library.models import Category, Document, DocumentFile, DocumentLanguage, FileKind
from atis.library.search import Piece

MANAGE = selectors.MANAGE
PAGE_SIZE = 20


@dataclass
class Page:
    rows: list[Any]
    number: int
    has_next: bool
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1


@dataclass
class Result:
    document: Document
    snippet: list[Piece]
    # Looked up once per page: get_FOO_display translates every choice on every call.
    category_label: str = ""
    language_label: str = ""


def _page(queryset: QuerySet[Any], raw_number: str | None, size: int = PAGE_SIZE) -> Page:
    number = int(raw_number) if raw_number and raw_number.isdigit() and 0 < int(raw_number) < 10_000 else 1
    offset = (number - 1) * size
    rows = list(queryset[offset : offset + size + 1])
    # Only a full page needs counting, unless its rows carry the count (a search does); a
    # shorter one is the last and says how many there are (none, past the end).
    if len(rows) > size:
        counted = getattr(rows[0], selectors.FOUND_TOTAL, None)
        total = queryset.count() if counted is None else counted
    else:
        total = offset + len(rows) if rows else 0
    return Page(rows=rows[:size], number=number, has_next=len(rows) > size, total=total)


def _results(user: Any, filters: selectors.Filters, raw_number: str | None) -> Page:
    """The page of results the list shows, each with its snippet."""
    found = selectors.documents_filter(selectors.documents_listed_to(user), filters)
    page = _page(selectors.listing_rows(found), raw_number, PAGE_SIZE)
    selectors.add_listing_data(page.rows)
    snippets = selectors.snippets_for(page.rows, filters.terms)
    categories = {value: str(label) for value, label in Category.choices}
    languages = {value: str(label) for value, label in DocumentLanguage.choices}
    page.rows = [
        Result(
            document,
            snippets.get(document.pk, []),
            category_label=categories.get(document.category, document.category),
            language_label=languages.get(document.language, document.language),
        )
        for document in page.rows
    ]
    return page


def _partial(request: HttpRequest, target: str) -> bool:
    """htmx asks for one part of the page; restoring its history needs the whole page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx and htmx.target == target and not htmx.history_restore_request)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Public ---------------------------------------------------------------------------------


@public
def document_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None, years=selectors.listed_years(request.user))
    filters = form.filters()
    context = {
        "form": form,
        "filters": filters,
        "page": _results(request.user, filters, request.GET.get("page")),
        "query": _query_without_page(request),
        "can_manage": selectors.can_manage(request.user),
    }
    template = "library/_results.html" if _partial(request, "library-results") else "library/list.html"
    return render(request, template, context)


@public
def document_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    document = selectors.document_for(request.user, public_id)
    return render(
        request,
        "library/detail.html",
        {
            "document": document,
            "downloads": selectors.document_downloads(document),
            "can_manage": selectors.can_manage(request.user),
        },
    )


@public
def file_download(request: HttpRequest, public_id: str) -> FileResponse:
    document_file = selectors.file_for(request.user, public_id)
    services.file_download_count(document_file=document_file)
    response = FileResponse(
        document_file.file.open("rb"),
        as_attachment=True,
        filename=document_file.name,
        content_type=CONTENT_TYPES[FileKind(document_file.kind)],
    )
    # The file is never rendered as a page of this site, whatever it holds.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


class LatestDocumentsFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed
    title = gettext_lazy("New publications of the agency against trafficking in persons")
    subtitle = gettext_lazy("Documents published in the library: reports, strategies, studies, guides and more.")

    def link(self) -> str:
        return reverse("library:list")

    def items(self) -> QuerySet[Document]:
        return selectors.documents_for_feed()

    def item_title(self, item: Document) -> str:
        return item.title

    def item_description(self, item: Document) -> str:
        return item.description

    def item_link(self, item: Document) -> str:
        return reverse("library:detail", kwargs={"public_id": item.public_id})

    def item_pubdate(self, item: Document) -> datetime.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Document) -> datetime.datetime | None:
        return item.published_at

    def item_categories(self, item: Document) -> list[str]:
        return [str(item.get_category_display())]


_feed = LatestDocumentsFeed()


@public
def feed(request: HttpRequest) -> HttpResponse:
    return _feed(request)


# --- Staff ----------------------------------------------------------------------------------


@requires(MANAGE)
def manage_list(request: HttpRequest) -> HttpResponse:
    form = ManageFilterForm(request.GET or None)
    status, query = "", ""
    if form.is_valid():
        status, query = form.cleaned_data["status"], form.cleaned_data["q"]
    page = _page(selectors.documents_managed(request.user, status=status, query=query), request.GET.get("page"))
    template = "library/_manage_rows.html" if _partial(request, "manage-rows") else "library/manage.html"
    return render(request, template, {"form": form, "page": page, "query": _query_without_page(request)})


@requires(MANAGE)
def document_create(request: HttpRequest) -> HttpResponse:
    form = NewDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            document = services.document_create(
                actor=request.user,
                data=form.document_data(),
                upload=upload,
                upload_name=upload.name if upload else "",
                upload_size=upload.size if upload else 0,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The document was saved as a draft."))
            return redirect("library:edit", public_id=document.public_id)
    return render(request, "library/create.html", {"form": form})


def _render_edit(
    request: HttpRequest, document: Document, form: DocumentForm | None = None, file_form: FileForm | None = None
) -> HttpResponse:
    return render(
        request,
        "library/edit.html",
        {
            "document": document,
            "form": form or DocumentForm(initial=DocumentForm.initial_for(document)),
            "file_form": file_form or FileForm(),
            "files": document.files.defer("extracted_text").order_by("created_at", "id"),
        },
    )


@requires(MANAGE)
def document_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    document = selectors.document_for(request.user, public_id)
    if request.method != "POST":
        return _render_edit(request, document)
    form = DocumentForm(request.POST)
    if form.is_valid():
        try:
            services.document_update(actor=request.user, document=document, data=form.document_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The document was saved."))
            return redirect("library:edit", public_id=document.public_id)
    return _render_edit(request, document, form=form)


@requires(MANAGE)
@require_POST
def file_add(request: HttpRequest, public_id: str) -> HttpResponse:
    document = selectors.document_for(request.user, public_id)
    file_form = FileForm(request.POST, request.FILES)
    if file_form.is_valid():
        upload = file_form.cleaned_data["file"]
        try:
            services.document_file_add(
                actor=request.user, document=document, upload=upload, name=upload.name, size=upload.size
            )
        except ValidationError as error:
            add_service_errors(file_form, error)
        else:
            messages.success(request, _("The file was added; its text is being read."))
            return redirect("library:edit", public_id=document.public_id)
    return _render_edit(request, document, file_form=file_form)


@requires(MANAGE)
@require_POST
def file_remove(request: HttpRequest, public_id: str) -> HttpResponse:
    document_file = selectors.file_for(request.user, public_id)
    try:
        services.document_file_remove(actor=request.user, document_file=document_file)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The file was removed."))
    return redirect("library:edit", public_id=document_file.document.public_id)


@requires(MANAGE)
def file_status(request: HttpRequest, public_id: str) -> HttpResponse:
    """The extraction progress of one file; htmx polls it until the text is read."""
    document_file: DocumentFile = selectors.file_for(request.user, public_id)
    return render(request, "library/_file_status.html", {"file": document_file})


def _transition(request: HttpRequest, public_id: str, action: Any, done: str) -> HttpResponse:
    document = selectors.document_for(request.user, public_id)
    try:
        action(actor=request.user, document=document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("library:edit", public_id=document.public_id)


@requires(MANAGE)
@require_POST
def document_publish(request: HttpRequest, public_id: str) -> HttpResponse:
    return _transition(request, public_id, services.document_publish, _("The document is published."))


@requires(MANAGE)
@require_POST
def document_withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    return _transition(request, public_id, services.document_withdraw, _("The document was withdrawn."))
