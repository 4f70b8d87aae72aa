"""Demonstration articles (see demo_articles.py), written through the services by the demo
national coordinator, so they are versioned, indexed and audited like any other.

Idempotent: an article whose first Romanian title is already there is skipped.
"""

from __future__ import annotations

from django.db import transaction

from atis.accounts.models import User
from atis.knowledge import services
from atis.knowledge.demo_articles import ARTICLES
from atis.knowledge.models import Article, ArticleVersion

DEMO_EDITOR = "coordonator"


def _exists(kind: str, country: str, title: str) -> bool:
    return ArticleVersion.objects.filter(
        article__kind=kind, article__country=country, language="ro", number=1, title=title
    ).exists()


def load_demo_content(seed: int) -> str:
    editor = User.objects.filter(username=DEMO_EDITOR, is_active=True).first()
    if editor is None or not editor.has_perm(services.EDIT):
        return "Knowledge base: skipped (no demo coordinator; run seed_demo)."
    created = 0
    with transaction.atomic():
        for spec in ARTICLES:
            if _exists(spec.kind, spec.country, spec.ro[0]):
                continue
            article = services.article_create(
                actor=editor,
                kind=spec.kind,
                country=spec.country,
                audience=spec.audience,
                topic_codes=spec.topics,
                language="ro",
                title=spec.ro[0],
                body=spec.ro[1],
                publish=True,
            )
            services.article_update(
                actor=editor,
                article=article,
                kind=spec.kind,
                country=spec.country,
                audience=spec.audience,
                topic_codes=spec.topics,
                language="en",
                title=spec.en[0],
                body=spec.en[1],
                change_note="English version.",
                publish=True,
            )
            created += 1
    return f"Knowledge base: {created} demo articles added ({Article.objects.count()} in all)."
