"""Writing the knowledge base: versions, publication, conflicts, permissions, audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from atis.audit.models import AuditEntry
from atis.knowledge import selectors, services
from atis.knowledge.models import ArticleVersion
from atis.knowledge.tests.helpers import article, translate

pytestmark = pytest.mark.django_db


def _update(editor, item, **changes):  # type: ignore[no-untyped-def]
    fields = {
        "kind": item.kind,
        "country": item.country,
        "audience": item.audience,
        "topic_codes": list(item.topics.values_list("code", flat=True)),
        "language": "ro",
        "title": "Munca în străinătate",
        "body": "Cereți un contract de muncă scris înainte de plecare.",
        "publish": True,
        **changes,
    }
    return services.article_update(actor=editor, article=item, **fields)


def test_editing_the_text_writes_a_new_version_and_keeps_the_old(personas) -> None:  # type: ignore[no-untyped-def]
    editor = personas["coordinator"].user
    item = article(editor)
    version = _update(editor, item, body="Cereți contractul scris și păstrați o copie.", change_note="copie")
    assert version.number == 2
    history = selectors.article_history(item)
    assert [v.number for v in history["ro"]] == [2, 1]
    assert history["ro"][1].body == "Cereți un contract de muncă scris înainte de plecare."
    assert selectors.article_text(item, "ro")[0] == version


def test_the_same_text_again_writes_no_version(personas) -> None:  # type: ignore[no-untyped-def]
    editor = personas["coordinator"].user
    item = article(editor)
    _update(editor, item)
    assert ArticleVersion.objects.filter(article=item).count() == 1


def test_a_draft_is_not_the_current_text_until_published(personas) -> None:  # type: ignore[no-untyped-def]
    editor = personas["coordinator"].user
    item = article(editor)
    draft = _update(editor, item, body="Text nou, încă în lucru.", publish=False)
    assert selectors.article_text(item, "ro")[0].number == 1  # type: ignore[union-attr]
    services.version_publish(actor=editor, version=draft)
    assert selectors.article_text(item, "ro")[0].number == 2  # type: ignore[union-attr]
    assert AuditEntry.objects.filter(action="knowledge.version_publish", object_ref=str(item.public_id)).count() == 1


def test_an_older_draft_cannot_be_published_over_a_newer_version(personas) -> None:  # type: ignore[no-untyped-def]
    editor = personas["coordinator"].user
    item = article(editor)
    old_draft = _update(editor, item, body="Ciornă veche.", publish=False)
    _update(editor, item, body="Versiune mai nouă.", publish=True)
    with pytest.raises(ValidationError) as refused:
        services.version_publish(actor=editor, version=old_draft)
    assert refused.value.code == "not_latest"


def test_an_edit_started_from_an_older_version_is_refused(personas) -> None:  # type: ignore[no-untyped-def]
    editor = personas["coordinator"].user
    item = article(editor)
    _update(editor, item, body="Schimbarea altcuiva.", base_number=1)
    with pytest.raises(ValidationError) as refused:
        _update(editor, item, body="Schimbarea mea.", base_number=1)
    assert refused.value.code == "stale_version"
    assert selectors.article_text(item, "ro")[0].body == "Schimbarea altcuiva."  # type: ignore[union-attr]


def test_only_editors_write(personas) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        article(personas["operator"].user)


@pytest.mark.parametrize(
    ("field", "value"),
    [("kind", "gossip"), ("country", "XX"), ("audience", "everyone"), ("topic_codes", ["weather"]), ("title", " ")],
)
def test_bad_input_is_refused_and_nothing_is_written(personas, field, value) -> None:  # type: ignore[no-untyped-def]
    editor = personas["coordinator"].user
    values = {
        "kind": "contract",
        "country": "ES",
        "audience": "public",
        "topic_codes": ["contract"],
        "language": "ro",
        "title": "Contractul",
        "body": "Text.",
        field: value,
    }
    with pytest.raises(ValidationError) as refused:
        services.article_create(actor=editor, **values)
    assert field in refused.value.message_dict
    assert not ArticleVersion.objects.exists()


def test_every_change_is_audited(personas) -> None:  # type: ignore[no-untyped-def]
    editor = personas["coordinator"].user
    item = article(editor)
    translate(editor, item, title="Working abroad", body="Ask for a written contract.")
    _update(editor, item, audience="public")
    actions = list(
        AuditEntry.objects.filter(object_ref=str(item.public_id)).order_by("sequence").values_list("action", flat=True)
    )
    assert actions == ["knowledge.article_create", "knowledge.article_update", "knowledge.article_update"]
    last = AuditEntry.objects.filter(object_ref=str(item.public_id)).order_by("-sequence").first()
    assert last.details["changed"] == ["audience"]  # type: ignore[union-attr]


def test_the_diff_shows_added_and_removed_lines(personas) -> None:  # type: ignore[no-untyped-def]
    editor = personas["coordinator"].user
    item = article(editor, body="Linia unu.\nLinia doi.")
    _update(editor, item, body="Linia unu.\nLinia trei.")
    old, new = (selectors.article_version(item, "ro", number) for number in (1, 2))
    lines = selectors.version_diff(old, new)
    assert ("removed", "Linia doi.") in [(line.kind, line.text) for line in lines]
    assert ("added", "Linia trei.") in [(line.kind, line.text) for line in lines]
