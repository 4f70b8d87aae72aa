from __future__ import annotations

from typing import Any

from atis.knowledge import services
from atis.knowledge.models import Article


def article(
    editor: Any,
    *,
    title: str = "Munca în străinătate",
    body: str = "Cereți un contract de muncă scris înainte de plecare.",
    kind: str = "working_legally",
    country: str = "IT",
    audience: str = "internal",
    topics: tuple[str, ...] = ("job_offer_abroad",),
    language: str = "ro",
    publish: bool = True,
) -> Article:
    return services.article_create(
        actor=editor,
        kind=kind,
        country=country,
        audience=audience,
        topic_codes=topics,
        language=language,
        title=title,
        body=body,
        publish=publish,
    )


def translate(
    editor: Any, article: Article, *, title: str, body: str, language: str = "en", publish: bool = True
) -> Any:
    return services.article_update(
        actor=editor,
        article=article,
        kind=article.kind,
        country=article.country,
        audience=article.audience,
        topic_codes=list(article.topics.values_list("code", flat=True)),
        language=language,
        title=title,
        body=body,
        publish=publish,
    )
