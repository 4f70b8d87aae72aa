"""Reads of the knowledge base.

Scope: articles are reference material, not records about people, so the scope is the
permission alone: whoever may read the knowledge base reads every published article,
editors also see drafts, everyone else nothing. The public portal sees the public subset
through `public_articles`, without signing in.

For the HelpLine: `articles_suggested_for(user, topic_codes, country_code, limit)` gives the
cards to show beside the intake screen.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from atis.knowledge.countries import country_name
from atis.knowledge.models import Article, ArticleKind, ArticleVersion, Audience, Language
from atis.knowledge.permissions import EDIT
from atis.knowledge.search import SEARCH_INDEX
from atis.lib import fulltext

VIEW = "knowledge.view_article"
SEARCH_LIMIT = 100


def user_language() -> str:
    language = (get_language() or "ro")[:2]
    return language if language in Language.values else Language.RO


def _other(language: str) -> str:
    return Language.EN if language == Language.RO else Language.RO


def _published() -> Exists:
    return Exists(ArticleVersion.objects.filter(article=OuterRef("pk"), is_published=True))


def articles_visible_to(user: Any) -> QuerySet[Article]:
    if not getattr(user, "is_authenticated", False) or not user.has_perm(VIEW):
        return Article.objects.none()
    if user.has_perm(EDIT):
        return Article.objects.all()
    return Article.objects.filter(_published())


def public_articles() -> QuerySet[Article]:
    return Article.objects.filter(_published(), audience=Audience.PUBLIC)


def article_for(user: Any, public_id: Any) -> Article:
    """The article, or 404 when the user may not read it."""
    article = articles_visible_to(user).filter(public_id=public_id).first()
    if article is None:
        raise Http404
    return article


def public_article_for(public_id: Any) -> Article:
    article = public_articles().filter(public_id=public_id).first()
    if article is None:
        raise Http404
    return article


def current_versions(article_ids: Iterable[int]) -> dict[tuple[int, str], ArticleVersion]:
    """The current (latest published) version of each article in each language."""
    found: dict[tuple[int, str], ArticleVersion] = {}
    for version in ArticleVersion.objects.filter(article_id__in=list(article_ids), is_published=True).order_by(
        "article_id", "language", "-number"
    ):
        found.setdefault((version.article_id, version.language), version)
    return found


@dataclass
class ArticleCard:
    """An article as listed or suggested: the text shown is the current one in the wanted
    language, or in the other language when it has none yet (`is_fallback`)."""

    article: Article
    version: ArticleVersion
    is_fallback: bool = False
    snippet_html: SafeString | None = None
    public: bool = False

    @property
    def title(self) -> str:
        return self.version.title

    @property
    def kind_label(self) -> str:
        return str(self.article.get_kind_display())

    @property
    def country_name(self) -> str:
        return country_name(self.article.country)

    @property
    def url(self) -> str:
        name = "knowledge:public_detail" if self.public else "knowledge:detail"
        url = reverse(name, kwargs={"public_id": self.article.public_id})
        return f"{url}?lang={self.version.language}" if self.is_fallback else url

    def get_absolute_url(self) -> str:
        return self.url

    def __str__(self) -> str:
        return self.title


def _cards(
    articles: Sequence[Article], language: str, *, public: bool = False, strict_language: bool = False
) -> list[ArticleCard]:
    versions = current_versions(article.pk for article in articles)
    cards = []
    for article in articles:
        version = versions.get((article.pk, language))
        fallback = False
        if version is None and not strict_language:
            version = versions.get((article.pk, _other(language)))
            fallback = version is not None
        if version is not None:
            cards.append(ArticleCard(article=article, version=version, is_fallback=fallback, public=public))
    return cards


def article_text(article: Article, language: str) -> tuple[ArticleVersion | None, bool]:
    """The current text in `language`, else in the other one; and whether it fell back."""
    versions = current_versions([article.pk])
    version = versions.get((article.pk, language))
    if version is not None:
        return version, False
    other = versions.get((article.pk, _other(language)))
    return other, other is not None


def _filtered(articles: QuerySet[Article], *, country: str, kind: str, language: str) -> QuerySet[Article]:
    if country:
        articles = articles.filter(country=country)
    if kind:
        articles = articles.filter(kind=kind)
    if language:
        articles = articles.filter(Exists(ArticleVersion.objects.filter(article=OuterRef("pk"), language=language)))
    return articles


def articles_search(
    articles: QuerySet[Article],
    *,
    query: str = "",
    country: str = "",
    kind: str = "",
    language: str = "",
    public: bool = False,
) -> list[ArticleCard]:
    """Cards for the articles among `articles` (already scoped by the caller) matching the
    words and filters, best match first; without words, by country and kind.

    Texts are shown in the filter's language, else in the user's, falling back to the other.
    """
    articles = _filtered(articles, country=country, kind=kind, language=language)
    shown_language = language or user_language()
    if not query.strip():
        ordered = list(articles.order_by("country", "kind", "id")[:500])
        return _cards(ordered, shown_language, public=public, strict_language=bool(language))
    hits = fulltext.search(SEARCH_INDEX, query, language=language or None, limit=SEARCH_LIMIT)
    if not hits:
        return []
    # The index holds only current texts; the join keeps only those the caller may read.
    version_article = dict(
        ArticleVersion.objects.filter(
            pk__in=[hit.doc_id for hit in hits], is_published=True, article__in=articles
        ).values_list("pk", "article_id")
    )
    best: dict[int, fulltext.Hit] = {}
    for hit in hits:
        article_id = version_article.get(hit.doc_id)
        if article_id is not None and article_id not in best:
            best[article_id] = hit
    by_id = {article.pk: article for article in Article.objects.filter(pk__in=best)}
    cards = {
        card.article.pk: card
        for card in _cards(list(by_id.values()), shown_language, public=public, strict_language=bool(language))
    }
    result: list[ArticleCard] = []
    for article_id, hit in best.items():
        card = cards.get(article_id)
        if card is not None:
            # The snippet is of the text that matched; show it only when that text is shown.
            card.snippet_html = hit.snippet_html if card.version.pk == hit.doc_id else None
            result.append(card)
    return result


def articles_suggested_for(
    user: Any, topic_codes: list[str], country_code: str | None, limit: int = 5
) -> list[ArticleCard]:
    """The articles that best answer a HelpLine contact, in the user's language.

    Articles about the contact's destination country come first (those matching more of its
    topics before the others), then general articles (no country) matching its topics.
    Articles about another country are never suggested. Nothing known, nothing suggested.
    """
    topics = [code for code in topic_codes if code]
    country = (country_code or "").strip().upper()
    if not topics and not country:
        return []
    articles = articles_visible_to(user).filter(_published())
    topic_match = Q(topics__code__in=topics)
    if country:
        articles = articles.filter(Q(country=country) | (Q(country="") & topic_match))
    else:
        articles = articles.filter(topic_match, country="")
    ranked = (
        articles.annotate(
            country_match=Case(When(country=country, then=Value(1)), default=Value(0), output_field=IntegerField())
            if country
            else Value(0, output_field=IntegerField()),
            topic_matches=Count("topics", filter=topic_match, distinct=True),
            kind_order=Case(
                *(When(kind=kind, then=Value(order)) for order, kind in enumerate(ArticleKind.values)),
                output_field=IntegerField(),
            ),
        )
        .order_by("-country_match", "-topic_matches", "kind_order", "id")
        .distinct()
    )
    return _cards(list(ranked[: max(limit, 0)]), user_language())


def article_history(article: Article) -> dict[str, list[ArticleVersion]]:
    """Every version of the article by language, newest first (for editors)."""
    history: dict[str, list[ArticleVersion]] = {language: [] for language in Language.values}
    for version in (
        ArticleVersion.objects.filter(article=article).select_related("author").order_by("language", "-number")
    ):
        history[version.language].append(version)
    return history


def article_version(article: Article, language: str, number: int) -> ArticleVersion:
    version = ArticleVersion.objects.filter(article=article, language=language, number=number).first()
    if version is None:
        raise Http404
    return version


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same" | "added" | "removed" | "skip"
    text: str


def version_diff(old: ArticleVersion, new: ArticleVersion) -> list[DiffLine]:
    """A line-by-line comparison of two texts (title first), with a little context."""
    before = [old.title, "", *old.body.splitlines()]
    after = [new.title, "", *new.body.splitlines()]
    lines: list[DiffLine] = []
    for line in difflib.unified_diff(before, after, lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("skip", "…"))
        elif line.startswith("+"):
            lines.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("removed", line[1:]))
        else:
            lines.append(DiffLine("same", line[1:]))
    return lines
