"""The operators' knowledge base: short, checked articles about working abroad, by topic and
destination country, in Romanian and English.

An article is the stable thing people link to (its public id, kind, country, topics,
audience); its text lives in versions, one numbered series per language, never edited in
place. The current text in a language is its latest published version; drafts wait for an
editor to publish them. Nothing here describes a person: articles are reference material.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ArticleKind(models.TextChoices):
    WORKING_LEGALLY = "working_legally", _("Working legally in the country")
    CONTRACT = "contract", _("Contract essentials")
    JOB_PORTALS = "job_portals", _("Job portals and public employment services")
    EMBASSY = "embassy", _("Embassy and consulate contacts")
    SUPPORT = "support", _("Local NGOs and hotlines")
    DECEPTIVE_RECRUITMENT = "deceptive_recruitment", _("Signs of deceptive recruitment")


class Audience(models.TextChoices):
    INTERNAL = "internal", _("Internal: staff only")
    PUBLIC = "public", _("Public: also on the portal")


class Language(models.TextChoices):
    RO = "ro", _("Romanian")
    EN = "en", _("English")


class Topic(models.TextChoices):
    """The HelpLine's contact topics (same codes as the helpline app), so a contact's topic
    finds the articles written for it without this app depending on the HelpLine."""

    JOB_OFFER_ABROAD = "job_offer_abroad", _("Job offer abroad")
    CONTRACT = "contract", pgettext_lazy("helpline topic", "Employment contract")
    RECRUITMENT_AGENCY = "recruitment_agency", _("Recruitment agency")
    TRAVEL = "travel", _("Travel to the destination country")
    WORKING_CONDITIONS = "working_conditions", _("Working conditions")
    LEAVING_EXPLOITATION = "leaving_exploitation", _("Leaving an exploitation situation")
    OTHER = "other", pgettext_lazy("helpline topic", "Other")


class Article(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=24, choices=ArticleKind.choices)
    # ISO 3166-1 alpha-2; empty for an article that holds for any destination.
    country = models.CharField(_("destination country"), max_length=2, blank=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.INTERNAL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["country", "kind", "id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        # Only the permissions the roles grant: reading is `view_*`, with its own wording.
        default_permissions = ()
        permissions = [
            ("view_article", _("Can read the knowledge base")),
            ("edit_article", _("Can write, publish and make public knowledge-base articles")),
        ]
        indexes = [models.Index(fields=["country", "kind"], name="knowledge_article_country_kind")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ArticleKind.values), name="knowledge_article_kind_valid"),
            models.CheckConstraint(condition=Q(audience__in=Audience.values), name="knowledge_article_audience_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.country}".strip()

    def get_absolute_url(self) -> str:
        return reverse("knowledge:detail", kwargs={"public_id": self.public_id})

    @property
    def audit_label(self) -> str:
        return f"{self.kind} {self.country or '-'}"

    @property
    def is_public(self) -> bool:
        return self.audience == Audience.PUBLIC


class ArticleTopic(models.Model):
    """One HelpLine topic the article answers (explicit rows rather than a JSON list, so the
    suggestion query counts matches in SQL on both engines)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="topics", verbose_name=_("article"))
    code = models.CharField(_("topic"), max_length=30, choices=Topic.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("article topic")
        verbose_name_plural = _("article topics")
        constraints = [
            models.UniqueConstraint(fields=["article", "code"], name="knowledge_articletopic_unique"),
            models.CheckConstraint(condition=Q(code__in=Topic.values), name="knowledge_articletopic_code_valid"),
        ]

    def __str__(self) -> str:
        return self.code


class ArticleVersion(models.Model):
    """One saved text of an article in one language. Never changed after it is written,
    except that a draft becomes published (and then a later version supersedes it)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions", verbose_name=_("article"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    change_note = models.CharField(_("change note"), max_length=300, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        ordering = ["article", "language", "-number"]
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        indexes = [
            models.Index(
                fields=["article", "language", "-number"],
                condition=Q(is_published=True),
                name="knowledge_version_published",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language", "number"], name="knowledge_articleversion_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(language__in=Language.values), name="knowledge_articleversion_language_valid"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="knowledge_articleversion_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language} v{self.number})"
