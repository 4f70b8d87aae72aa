"""The knowledge-base URLs in the permission matrix (see atis.core.tests.matrix).

Readers: the national coordinator, the case managers and the HelpLine operator; editors:
the national coordinator. The public pages answer everyone, signed in or not; an internal
article is not found there.
"""

from __future__ import annotations

from typing import Any

from atis.core.tests.matrix import NOT_ALLOWED, OK, REDIRECT, Row, everyone, only

READERS = {"coordinator", "manager_iasi", "manager_cluj", "operator"}
EDITORS = {"coordinator"}

ROWS: dict[str, Row] = {
    "knowledge:list": (None, only(READERS), REDIRECT),
    "knowledge:suggestions": (None, only(READERS), REDIRECT),
    "knowledge:detail": ("knowledge_article", only(READERS), REDIRECT),
    "knowledge:create": (None, only(EDITORS), REDIRECT),
    "knowledge:edit": ("knowledge_article", only(EDITORS), REDIRECT),
    "knowledge:history": ("knowledge_article", only(EDITORS), REDIRECT),
    "knowledge:diff": ("knowledge_article", only(EDITORS), REDIRECT),
    "knowledge:version_publish": ("knowledge_version", only(EDITORS, yes=NOT_ALLOWED), REDIRECT),
    "knowledge:public_list": (None, everyone(OK), OK),
    "knowledge:public_detail": ("knowledge_public_article", everyone(OK), OK),
}


def url_kwargs(personas: Any) -> dict[str, dict[str, Any]]:
    from atis.knowledge import services
    from atis.knowledge.tests.helpers import article

    editor = personas["coordinator"].user
    internal = article(editor, title="Intern", audience="internal")
    services.article_update(
        actor=editor,
        article=internal,
        kind=internal.kind,
        country=internal.country,
        audience=internal.audience,
        topic_codes=["job_offer_abroad"],
        language="ro",
        title="Intern",
        body="A doua versiune.",
        publish=True,
    )
    public = article(editor, title="Public", audience="public")
    return {
        "knowledge_article": {"public_id": internal.public_id},
        "knowledge_version": {"public_id": internal.versions.get(number=2).public_id},
        "knowledge_public_article": {"public_id": public.public_id},
    }
