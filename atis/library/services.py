"""Every change to the library goes through here: permission, rule and audit entry in one
transaction, so the screens, a command or the demo loader behave the same.

Life of a document: draft → published → withdrawn (and back to published when it is
republished). Only a document with at least one file may be published.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from atis.audit.services import audit_record
from atis.lib import uploads
from atis.library import files as library_files
from atis.library import index as search_index
from atis.library.models import (
    Category,
    Document,
    DocumentFile,
    DocumentLanguage,
    DocumentStatus,
    Extraction,
    Tag,
    Visibility,
)
from atis.library.selectors import MANAGE, forget_listed_years

logger = logging.getLogger(__name__)
MAX_TAGS = 12


@dataclass(frozen=True)
class DocumentData:
    title_ro: str
    title_en: str
    description_ro: str
    description_en: str
    category: str
    year: int
    language: str
    visibility: str
    tags: tuple[str, ...] = ()


def _require_manager(actor: Any) -> None:
    if not actor.has_perm(MANAGE):
        raise PermissionDenied


def _check(data: DocumentData) -> None:
    errors: dict[str, ValidationError] = {}
    if not (data.title_ro.strip() or data.title_en.strip()):
        errors["title_ro"] = ValidationError(_("Give the title in Romanian, in English or in both."), code="no_title")
    if data.category not in Category.values:
        errors["category"] = ValidationError(_("Choose a category."), code="category")
    if data.language not in DocumentLanguage.values:
        errors["language"] = ValidationError(_("Choose a language."), code="language")
    if data.visibility not in Visibility.values:
        errors["visibility"] = ValidationError(_("Choose who may read the document."), code="visibility")
    this_year = timezone.localdate().year
    if not 1990 <= data.year <= this_year + 1:
        errors["year"] = ValidationError(
            _("The year must be between 1990 and %(last)s.") % {"last": this_year + 1}, code="year"
        )
    if len(data.tags) > MAX_TAGS:
        errors["tags"] = ValidationError(_("At most %(count)s tags.") % {"count": MAX_TAGS}, code="tags")
    if errors:
        raise ValidationError(errors)


def _tags(names: tuple[str, ...]) -> list[Tag]:
    tags = []
    for name in names:
        clean = " ".join(name.split())[:60]
        slug = slugify(clean)[:60]
        if slug:
            tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"name": clean})
            tags.append(tag)
    return tags


def _fields(data: DocumentData) -> dict[str, Any]:
    return {
        "title_ro": data.title_ro.strip(),
        "title_en": data.title_en.strip(),
        "description_ro": data.description_ro.strip(),
        "description_en": data.description_en.strip(),
        "category": data.category,
        "year": data.year,
        "language": data.language,
        "visibility": data.visibility,
    }


def document_reindex(document: Document) -> None:
    """Put the document's current titles, descriptions, tags and files' text in the index."""
    texts = list(
        DocumentFile.objects.filter(document=document)
        .order_by("created_at", "id")
        .values_list("extracted_text", flat=True)
    )
    search_index.index(document, texts)


@transaction.atomic
def document_create(
    *, actor: Any, data: DocumentData, upload: IO[bytes] | None = None, upload_name: str = "", upload_size: int = 0
) -> Document:
    """A new draft, with its first file when one is given."""
    _require_manager(actor)
    _check(data)
    document = Document.objects.create(created_by=actor, **_fields(data))
    document.tags.set(_tags(data.tags))
    audit_record(action="library.document.create", obj=document)
    if upload is not None:
        document_file_add(actor=actor, document=document, upload=upload, name=upload_name, size=upload_size)
    document_reindex(document)
    return document


@transaction.atomic
def document_update(*, actor: Any, document: Document, data: DocumentData) -> Document:
    _require_manager(actor)
    _check(data)
    for field, value in _fields(data).items():
        setattr(document, field, value)
    document.save()
    document.tags.set(_tags(data.tags))
    document_reindex(document)
    # A published document's year or visibility may have changed.
    forget_listed_years()
    audit_record(action="library.document.update", obj=document)
    return document


@transaction.atomic
def document_publish(*, actor: Any, document: Document) -> Document:
    _require_manager(actor)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status == DocumentStatus.PUBLISHED:
        raise ValidationError(_("The document is already published."), code="already_published")
    if not document.files.exists():
        raise ValidationError(_("Add at least one file before publishing."), code="no_file")
    document.status = DocumentStatus.PUBLISHED
    # Republishing a withdrawn document keeps its first publication date.
    document.published_at = document.published_at or timezone.now()
    document.withdrawn_at = None
    document.save(update_fields=["status", "published_at", "withdrawn_at", "updated_at"])
    forget_listed_years()
    audit_record(action="library.document.publish", obj=document)
    return document


@transaction.atomic
def document_withdraw(*, actor: Any, document: Document) -> Document:
    _require_manager(actor)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status != DocumentStatus.PUBLISHED:
        raise ValidationError(_("Only a published document can be withdrawn."), code="not_published")
    document.status = DocumentStatus.WITHDRAWN
    document.withdrawn_at = timezone.now()
    document.save(update_fields=["status", "withdrawn_at", "updated_at"])
    forget_listed_years()
    audit_record(action="library.document.withdraw", obj=document)
    return document


@transaction.atomic
def document_file_add(
    *, actor: Any, document: Document, upload: IO[bytes], name: str, size: int, extract_now: bool = False
) -> DocumentFile:
    """Check the file by content and store it under a random name; its text is extracted in
    the background once the transaction commits (at once with `extract_now`, for loaders)."""
    _require_manager(actor)
    checked = library_files.check_upload(
        upload, original_name=name, size=size, max_bytes=settings.ATIS_ATTACHMENT_MAX_BYTES
    )
    # The one upload pipeline's cleaning: a PDF loses its document information (author...).
    upload.seek(0)
    clean = uploads.clean(upload.read(), library_files.CONTENT_TYPES[checked.kind])
    stored = DocumentFile(
        document=document,
        name=checked.name,
        kind=checked.kind,
        size=clean.size,
        sha256=clean.sha256,
        uploaded_by=actor,
    )
    stored.file.save(checked.name, ContentFile(clean.content), save=False)
    stored.save()
    Document.objects.filter(pk=document.pk).update(updated_at=timezone.now())
    audit_record(action="library.file.add", obj=stored, details={"document": str(document.public_id)})
    if extract_now:
        file_extract_text(file_id=stored.pk)
    else:
        from atis.library.tasks import extract_file_text

        transaction.on_commit(lambda: extract_file_text.delay(stored.pk))
    return stored


@transaction.atomic
def document_file_remove(*, actor: Any, document_file: DocumentFile) -> None:
    _require_manager(actor)
    document = document_file.document
    if document.status == DocumentStatus.PUBLISHED and document.files.count() == 1:
        raise ValidationError(_("A published document keeps at least one file."), code="last_file")
    storage, path = document_file.file.storage, document_file.file.name
    audit_record(action="library.file.remove", obj=document_file, details={"document": str(document.public_id)})
    document_file.delete()
    document_reindex(document)
    # The stored file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(path))


def file_extract_text(*, file_id: int) -> DocumentFile | None:
    """Read the text out of a stored file, recording progress as it goes, then reindex."""
    document_file = DocumentFile.objects.filter(pk=file_id).first()
    if document_file is None:
        return None
    DocumentFile.objects.filter(pk=file_id).update(extraction=Extraction.RUNNING, extraction_progress=0)

    def progress(percent: int) -> None:
        DocumentFile.objects.filter(pk=file_id).update(extraction_progress=min(99, max(0, percent)))

    try:
        with document_file.file.open("rb") as handle:
            data = handle.read()
        text = library_files.extract_text(document_file.kind, data, progress)
    except Exception:  # a damaged file must not stop the worker, only mark the file
        logger.warning("Text extraction failed for library file %s", document_file.public_id, exc_info=True)
        DocumentFile.objects.filter(pk=file_id).update(extraction=Extraction.FAILED, extraction_progress=100)
        document_file.refresh_from_db()
        return document_file
    with transaction.atomic():
        DocumentFile.objects.filter(pk=file_id).update(
            extracted_text=text,
            extraction=Extraction.DONE if text.strip() else Extraction.FAILED,
            extraction_progress=100,
        )
        document_reindex(document_file.document)
    document_file.refresh_from_db()
    return document_file


def file_download_count(*, document_file: DocumentFile) -> None:
    """Count a download; F() so simultaneous downloads are all counted."""
    DocumentFile.objects.filter(pk=document_file.pk).update(download_count=F("download_count") + 1)
