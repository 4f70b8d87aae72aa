"""Every change to the knowledge base: permission, rules, full-text index and audit entry in
one transaction, so the editor screen, a command or the demo loader behave the same.

Texts are versioned per language: saving a changed text writes a new version (never edits
one); a version is either a draft or published, and the current text in a language is its
latest published version. The full-text index holds exactly the current texts: publishing
replaces the previous one there.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from atis.audit.services import audit_record
from atis.knowledge.countries import COUNTRIES
from atis.knowledge.models import Article, ArticleKind, ArticleTopic, ArticleVersion, Audience, Language, Topic
from atis.knowledge.permissions import EDIT
from atis.knowledge.search import SEARCH_INDEX
from atis.lib import fulltext

TITLE_MAX = 200
BODY_MAX = 20_000
NOTE_MAX = 300


def _field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _require_editor(actor: Any) -> None:
    if not actor.has_perm(EDIT):
        raise PermissionDenied


def _clean_metadata(*, kind: str, country: str, audience: str, topic_codes: Iterable[str]) -> tuple[str, list[str]]:
    if kind not in ArticleKind.values:
        raise _field_error("kind", _("Choose the kind of article."), "invalid_kind")
    if audience not in Audience.values:
        raise _field_error("audience", _("Choose who may read the article."), "invalid_audience")
    country = (country or "").strip().upper()
    if country and country not in COUNTRIES:
        raise _field_error("country", _("Choose a destination country from the list."), "invalid_country")
    topics = sorted(set(topic_codes))
    unknown = [code for code in topics if code not in Topic.values]
    if unknown:
        raise _field_error("topic_codes", _("Unknown topic: %(code)s.") % {"code": unknown[0]}, "invalid_topic")
    return country, topics


def _clean_text(*, language: str, title: str, body: str, change_note: str) -> tuple[str, str, str]:
    if language not in Language.values:
        raise _field_error("language", _("Choose Romanian or English."), "invalid_language")
    title, body, change_note = title.strip(), body.strip(), change_note.strip()
    if not title:
        raise _field_error("title", _("Give the article a title."), "required")
    if len(title) > TITLE_MAX:
        raise _field_error("title", _("The title is too long."), "too_long")
    if not body:
        raise _field_error("body", _("Write the text of the article."), "required")
    if len(body) > BODY_MAX:
        raise _field_error("body", _("The text is too long."), "too_long")
    if len(change_note) > NOTE_MAX:
        raise _field_error("change_note", _("The change note is too long."), "too_long")
    return title, body, change_note


def current_version(article: Article, language: str) -> ArticleVersion | None:
    return (
        ArticleVersion.objects.filter(article=article, language=language, is_published=True).order_by("-number").first()
    )


def _index_as_current(version: ArticleVersion, previous: ArticleVersion | None) -> None:
    if previous is not None:
        fulltext.remove_document(SEARCH_INDEX, previous.pk)
    fulltext.index_document(
        SEARCH_INDEX, doc_id=version.pk, language=version.language, title=version.title, body=version.body
    )


def _set_topics(article: Article, topics: list[str]) -> bool:
    existing = set(article.topics.values_list("code", flat=True))
    if existing == set(topics):
        return False
    article.topics.exclude(code__in=topics).delete()
    ArticleTopic.objects.bulk_create(
        [ArticleTopic(article=article, code=code) for code in topics if code not in existing]
    )
    return True


def _write_text(
    *,
    actor: Any,
    article: Article,
    language: str,
    title: str,
    body: str,
    change_note: str,
    publish: bool,
    base_number: int | None,
) -> tuple[ArticleVersion, str]:
    """Save the text as the next version, or publish the latest draft when the text is the
    same. Returns the version and what happened ("created", "published" or "unchanged")."""
    title, body, change_note = _clean_text(language=language, title=title, body=body, change_note=change_note)
    latest = (
        ArticleVersion.objects.select_for_update()
        .filter(article=article, language=language)
        .order_by("-number")
        .first()
    )
    latest_number = latest.number if latest else 0
    # The editor sends the number of the version it started from: a newer one saved
    # meanwhile by someone else must not be silently overwritten.
    if base_number is not None and base_number != latest_number:
        raise ValidationError(
            _(
                "Someone saved version %(number)d of this text while you were editing. "
                "Open the article again, check their changes and make yours again."
            )
            % {"number": latest_number},
            code="stale_version",
        )
    previous_current = current_version(article, language)
    if latest is not None and latest.title == title and latest.body == body:
        if publish and not latest.is_published:
            latest.is_published = True
            latest.save(update_fields=["is_published"])
            _index_as_current(latest, previous_current)
            return latest, "published"
        return latest, "unchanged"
    version = ArticleVersion(
        article=article,
        language=language,
        number=latest_number + 1,
        title=title,
        body=body,
        change_note=change_note,
        is_published=publish,
        author=actor,
    )
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError:
        raise ValidationError(
            _("Someone saved this text at the same moment. Open the article again and make your changes again."),
            code="stale_version",
        ) from None
    if publish:
        _index_as_current(version, previous_current)
    return version, "created"


@transaction.atomic
def article_create(
    *,
    actor: Any,
    kind: str,
    country: str,
    audience: str,
    topic_codes: Iterable[str],
    language: str,
    title: str,
    body: str,
    change_note: str = "",
    publish: bool = False,
) -> Article:
    """A new article with its first text in one language."""
    _require_editor(actor)
    country, topics = _clean_metadata(kind=kind, country=country, audience=audience, topic_codes=topic_codes)
    _clean_text(language=language, title=title, body=body, change_note=change_note)
    article = Article.objects.create(kind=kind, country=country, audience=audience, created_by=actor)
    _set_topics(article, topics)
    version, _outcome = _write_text(
        actor=actor,
        article=article,
        language=language,
        title=title,
        body=body,
        change_note=change_note or _("First version."),
        publish=publish,
        base_number=None,
    )
    audit_record(
        actor=actor,
        action="knowledge.article_create",
        obj=article,
        details={"language": language, "version": version.number, "published": version.is_published},
    )
    return article


@transaction.atomic
def article_update(
    *,
    actor: Any,
    article: Article,
    kind: str,
    country: str,
    audience: str,
    topic_codes: Iterable[str],
    language: str,
    title: str,
    body: str,
    change_note: str = "",
    publish: bool = False,
    base_number: int | None = None,
) -> ArticleVersion:
    """Change the article's facts and save its text in one language as a new version.

    A text identical to the latest one writes no version (publishing it if asked); the
    facts (kind, country, topics, audience) are not versioned but every change is audited.
    """
    _require_editor(actor)
    article = Article.objects.select_for_update().get(pk=article.pk)
    country, topics = _clean_metadata(kind=kind, country=country, audience=audience, topic_codes=topic_codes)
    changed = {
        name: value
        for name, value in (("kind", kind), ("country", country), ("audience", audience))
        if getattr(article, name) != value
    }
    if changed:
        for name, value in changed.items():
            setattr(article, name, value)
        article.save(update_fields=[*changed, "updated_at"])
    if _set_topics(article, topics):
        changed["topics"] = ",".join(topics)
    version, outcome = _write_text(
        actor=actor,
        article=article,
        language=language,
        title=title,
        body=body,
        change_note=change_note,
        publish=publish,
        base_number=base_number,
    )
    if outcome == "unchanged" and not changed:
        return version
    if outcome != "unchanged":
        Article.objects.filter(pk=article.pk).update(updated_at=version.created_at)
    audit_record(
        actor=actor,
        action="knowledge.article_update",
        obj=article,
        details={
            "language": language,
            "version": version.number,
            "text": outcome,
            "published": version.is_published,
            "changed": sorted(changed),
        },
    )
    return version


@transaction.atomic
def version_publish(*, actor: Any, version: ArticleVersion) -> ArticleVersion:
    """Publish a draft; only the latest version of its language may be published, so the
    current text is always the newest one written."""
    _require_editor(actor)
    version = ArticleVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        return version
    latest_number = (
        ArticleVersion.objects.filter(article_id=version.article_id, language=version.language)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    if latest_number != version.number:
        raise ValidationError(
            _("Only the latest version of a text can be published; version %(number)d is newer.")
            % {"number": latest_number},
            code="not_latest",
        )
    previous = current_version(version.article, version.language)
    version.is_published = True
    version.save(update_fields=["is_published"])
    _index_as_current(version, previous)
    audit_record(
        actor=actor,
        action="knowledge.version_publish",
        obj=version.article,
        details={"language": version.language, "version": version.number},
    )
    return version


def search_index_rebuild() -> int:
    """Index the current text of every article in every language again (after a restore)."""
    latest: dict[tuple[int, str], ArticleVersion] = {}
    for version in ArticleVersion.objects.filter(is_published=True).order_by("article_id", "language", "-number"):
        latest.setdefault((version.article_id, version.language), version)
    return fulltext.rebuild(
        SEARCH_INDEX,
        (fulltext.Document(doc_id=v.pk, language=v.language, title=v.title, body=v.body) for v in latest.values()),
    )
