"""The knowledge base through the web, as operators, editors and the public meet it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from atis.knowledge.models import Article, ArticleVersion
from atis.knowledge.tests.helpers import article, translate

pytestmark = pytest.mark.django_db


def test_an_operator_searches_without_diacritics(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    article(personas["coordinator"].user, title="Munca în străinătate", body="Verificați agenția înainte de plecare.")
    response = signed_in("operator").get(reverse("knowledge:list"), {"q": "munca in strainatate"})
    assert response.status_code == 200
    assert "Munca în străinătate" in response.content.decode()


def test_the_search_answers_htmx_with_the_results_only(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    article(personas["coordinator"].user)
    response = signed_in("operator").get(reverse("knowledge:list"), {"q": "munca"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="knowledge-results"')
    assert "<html" not in content


def test_the_detail_shows_the_users_language_and_falls_back(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    editor = personas["coordinator"].user
    item = article(editor, title="Munca legală", body="Text **important**.")
    url = reverse("knowledge:detail", kwargs={"public_id": item.public_id}).replace("/ro/", "/en/", 1)
    content = signed_in("operator").get(url).content.decode()
    assert "Munca legală" in content
    assert "<strong>important</strong>" in content
    assert "not yet written in your language" in content
    translate(editor, item, title="Legal work", body="English text.")
    content = signed_in("operator").get(url).content.decode()
    assert "Legal work" in content


def test_the_body_is_rendered_safely(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    item = article(
        personas["coordinator"].user, body="<script>alert(1)</script>\n\n- unu\n- doi\n\nVezi https://eures.europa.eu."
    )
    content = (
        signed_in("operator").get(reverse("knowledge:detail", kwargs={"public_id": item.public_id})).content.decode()
    )
    assert "<script>alert" not in content
    assert "&lt;script&gt;" in content
    assert "<ul><li>unu</li><li>doi</li></ul>" in content
    assert 'href="https://eures.europa.eu"' in content


def test_an_editor_writes_an_article_through_the_form(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("coordinator")
    response = client.post(
        reverse("knowledge:create"),
        {
            "kind": "embassy",
            "country": "DE",
            "topic_codes": ["travel", "other"],
            "audience": "public",
            "language": "ro",
            "title": "Consulatele din Germania",
            "body": "Vedeți site-ul oficial al Ambasadei României la Berlin.",
            "publish": "on",
        },
    )
    item = Article.objects.get()
    assert response.status_code == 302
    assert sorted(item.topics.values_list("code", flat=True)) == ["other", "travel"]
    edit = reverse("knowledge:edit", kwargs={"public_id": item.public_id})
    response = client.post(
        edit,
        {
            "kind": "embassy",
            "country": "DE",
            "topic_codes": ["travel"],
            "audience": "public",
            "language": "ro",
            "title": "Consulatele din Germania",
            "body": "Vedeți site-ul oficial al Ambasadei României la Berlin și mae.ro.",
            "change_note": "mae.ro",
            "publish": "on",
            "base_number": "1",
        },
    )
    assert response.status_code == 302
    assert ArticleVersion.objects.filter(article=item).count() == 2
    # A second save from the same, now stale, form is refused with a message.
    response = client.post(
        edit,
        {
            "kind": "embassy",
            "country": "DE",
            "audience": "public",
            "language": "ro",
            "title": "Consulatele din Germania",
            "body": "Altă schimbare.",
            "base_number": "1",
        },
    )
    assert response.status_code == 200
    assert "Cineva a salvat versiunea 2" in response.content.decode()
    history = client.get(reverse("knowledge:history", kwargs={"public_id": item.public_id})).content.decode()
    assert "mae.ro" in history
    diff = client.get(reverse("knowledge:diff", kwargs={"public_id": item.public_id}), {"lang": "ro"}).content.decode()
    assert "bg-success-subtle" in diff and "mae.ro" in diff


def test_the_editor_form_speaks_romanian(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    content = signed_in("coordinator").get(reverse("knowledge:create")).content.decode()
    assert "Articol nou" in content
    assert "Publicați această versiune" in content


def test_the_public_sees_only_public_articles_without_signing_in(personas) -> None:  # type: ignore[no-untyped-def]
    editor = personas["coordinator"].user
    public = article(editor, title="Semnele unei oferte înșelătoare", audience="public", body="Taxe de plasare.")
    internal = article(editor, title="Ghid intern pentru operatori", audience="internal", body="Taxe de plasare.")
    draft = article(editor, title="Ciornă publică", audience="public", body="Taxe de plasare.", publish=False)
    client = Client()
    listing = client.get(reverse("knowledge:public_list")).content.decode()
    assert "Semnele unei oferte înșelătoare" in listing
    assert "Ghid intern" not in listing and "Ciornă" not in listing
    found = client.get(reverse("knowledge:public_list"), {"q": "taxe plasare"}).content.decode()
    assert "Semnele unei oferte" in found and "Ghid intern" not in found
    assert client.get(reverse("knowledge:public_detail", kwargs={"public_id": public.public_id})).status_code == 200
    for hidden in (internal, draft):
        assert client.get(reverse("knowledge:public_detail", kwargs={"public_id": hidden.public_id})).status_code == 404


def test_the_suggestions_fragment_lists_articles_for_the_topic_and_country(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    article(personas["coordinator"].user, title="Munca în Italia", country="IT", topics=("contract",))
    response = signed_in("operator").get(reverse("knowledge:suggestions"), {"topics": ["contract"], "country": "IT"})
    assert "Munca în Italia" in response.content.decode()


def test_publishing_a_draft_from_the_history(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    item = article(personas["coordinator"].user, publish=False)
    version = ArticleVersion.objects.get(article=item)
    response = signed_in("coordinator").post(
        reverse("knowledge:version_publish", kwargs={"public_id": version.public_id})
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.is_published
