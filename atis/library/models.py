"""The agency's document library: what it publishes (laws, strategies, reports, studies,
campaign materials, guides, forms) and what it keeps for its own staff.

A document is public only when it is both published and of public visibility; every other
combination stays inside the agency (see selectors.documents_visible_to). Files are stored
under random names outside any web root and served only by the download view.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 1990
LAST_YEAR = 2100


class Category(models.TextChoices):
    LEGISLATION = "legislation", _("Legislation")
    STRATEGIES = "strategies", _("Strategies and action plans")
    REPORTS = "reports", _("Annual and periodic reports")
    STUDIES = "studies", _("Studies and analyses")
    CAMPAIGNS = "campaigns", _("Campaign materials")
    GUIDES = "guides", _("Guides and procedures")
    INTERNATIONAL = "international", _("International documents")
    FORMS = "forms", _("Forms")


class DocumentLanguage(models.TextChoices):
    ROMANIAN = "ro", _("Romanian")
    ENGLISH = "en", _("English")
    BILINGUAL = "ro-en", _("Romanian and English")
    OTHER = "other", _("Other language")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("document status", "draft")
    PUBLISHED = "published", pgettext_lazy("document status", "published")
    WITHDRAWN = "withdrawn", pgettext_lazy("document status", "withdrawn")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("public")
    INTERNAL = "internal", _("internal to staff")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=60, allow_unicode=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [models.UniqueConstraint(fields=["slug"], name="library_tag_unique_slug")]

    def __str__(self) -> str:
        return self.name


class Document(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title_ro = models.CharField(_("title in Romanian"), max_length=300, blank=True)
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    description_ro = models.TextField(_("description in Romanian"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=8, choices=DocumentLanguage.choices)
    tags = models.ManyToManyField(Tag, blank=True, related_name="documents", verbose_name=_("tags"))
    status = models.CharField(_("status"), max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    visibility = models.CharField(_("visibility"), max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        permissions = [
            ("manage_documents", _("Can add, edit, publish and withdraw library documents")),
            ("view_internal_documents", _("Can read the library documents internal to staff")),
        ]
        indexes = [
            models.Index(fields=["status", "visibility", "-published_at"], name="library_document_listing"),
            models.Index(fields=["category", "year"], name="library_document_cat_year"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title_ro="") | ~Q(title_en=""), name="library_document_has_a_title"),
            models.CheckConstraint(condition=Q(category__in=Category.values), name="library_document_category_valid"),
            models.CheckConstraint(
                condition=Q(language__in=DocumentLanguage.values), name="library_document_language_valid"
            ),
            models.CheckConstraint(condition=Q(status__in=DocumentStatus.values), name="library_document_status_valid"),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="library_document_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR), name="library_document_year_range"
            ),
            # A published document always says since when; a draft was never published.
            models.CheckConstraint(
                condition=~Q(status=DocumentStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="library_document_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """The title in the reader's language, or the other one when that is all there is."""
        if get_language() == "en":
            return self.title_en or self.title_ro
        return self.title_ro or self.title_en

    @property
    def description(self) -> str:
        if get_language() == "en":
            return self.description_en or self.description_ro
        return self.description_ro or self.description_en

    @property
    def audit_label(self) -> str:
        return (self.title_ro or self.title_en)[:200]

    @property
    def is_public(self) -> bool:
        return self.status == DocumentStatus.PUBLISHED and self.visibility == Visibility.PUBLIC


class FileKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"
    ODT = "odt", "ODT"


class Extraction(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("extracting text")
    DONE = "done", _("text extracted")
    FAILED = "failed", _("no text could be extracted")


def _storage_name(instance: DocumentFile, filename: str) -> str:
    # A random name: the uploader's file name never reaches the file system.
    return f"library/{uuid.uuid4().hex}"


class DocumentFile(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files", verbose_name=_("document"))
    file = models.FileField(_("file"), upload_to=_storage_name, max_length=200)
    # The name offered to the person downloading it, made safe at upload.
    name = models.CharField(_("file name"), max_length=120)
    kind = models.CharField(_("type"), max_length=8, choices=FileKind.choices)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    extraction = models.CharField(
        _("text extraction"), max_length=10, choices=Extraction.choices, default=Extraction.PENDING
    )
    extraction_progress = models.PositiveSmallIntegerField(default=0)
    extracted_text = models.TextField(blank=True, default="")
    download_count = models.PositiveIntegerField(_("downloads"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=FileKind.values), name="library_documentfile_kind_valid"),
            models.CheckConstraint(
                condition=Q(extraction__in=Extraction.values), name="library_documentfile_extraction_valid"
            ),
            models.CheckConstraint(
                condition=Q(extraction_progress__lte=100), name="library_documentfile_progress_percent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_label(self) -> str:
        return self.name

    @property
    def extraction_finished(self) -> bool:
        return self.extraction in (Extraction.DONE, Extraction.FAILED)
