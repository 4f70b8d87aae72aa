"""The knowledge base: search and read (operators, case managers, coordination), write and
publish (editors), and the public subset on the portal (no sign-in).

Views parse input, call one service or selector and render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from atis.knowledge import selectors, services
from atis.knowledge.countries import country_name
from atis.knowledge.forms import ArticleForm, ArticleSearchForm
from atis.knowledge.models import Article, ArticleVersion, Language, Topic
from atis.knowledge.rendering import render_body
from atis.lib.access import public, requires
from atis.lib.forms import add_service_errors

VIEW = selectors.VIEW
EDIT = services.EDIT
PAGE_SIZE = 25


def _language_param(request: HttpRequest) -> str:
    language = request.GET.get("lang", "")
    return language if language in Language.values else selectors.user_language()


def _search_page(request: HttpRequest, articles: Any, *, template: str, public_view: bool) -> HttpResponse:
    form = ArticleSearchForm(request.GET or None)
    criteria: dict[str, str] = {"query": "", "country": "", "kind": "", "language": ""}
    if form.is_valid():
        data = form.cleaned_data
        criteria = {"query": data["q"], "country": data["country"], "kind": data["kind"], "language": data["language"]}
    cards = selectors.articles_search(articles, public=public_view, **criteria)
    page = Paginator(cards, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode([(key, str(value)) for key, value in request.GET.items() if key != "page" and value])
    context = {"form": form, "page": page, "query": query, "searched": bool(criteria["query"].strip())}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "knowledge/_results.html", context)
    return render(request, template, context)


@requires(VIEW)
def article_list(request: HttpRequest) -> HttpResponse:
    return _search_page(
        request,
        selectors.articles_visible_to(request.user),
        template="knowledge/list.html",
        public_view=False,
    )


def _detail_context(article: Article, language: str) -> dict[str, Any]:
    version, fallback = selectors.article_text(article, language)
    return {
        "article": article,
        "version": version,
        "fallback": fallback,
        "language": language,
        "body_html": render_body(version.body) if version else "",
        "country": country_name(article.country),
        "topics": [Topic(code).label for code in article.topics.values_list("code", flat=True)],
    }


@requires(VIEW)
def article_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    article = selectors.article_for(request.user, public_id)
    context = _detail_context(article, _language_param(request))
    context["can_edit"] = request.user.has_perm(EDIT)
    if context["can_edit"]:
        history = selectors.article_history(article)
        context["drafts"] = [versions[0] for versions in history.values() if versions and not versions[0].is_published]
    return render(request, "knowledge/detail.html", context)


def _save(request: HttpRequest, form: ArticleForm, article: Article | None) -> HttpResponse | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    fields = {
        "kind": data["kind"],
        "country": data["country"],
        "audience": data["audience"],
        "topic_codes": data["topic_codes"],
        "language": data["language"],
        "title": data["title"],
        "body": data["body"],
        "change_note": data["change_note"],
        "publish": data["publish"],
    }
    try:
        if article is None:
            article = services.article_create(actor=request.user, **fields)
        else:
            services.article_update(actor=request.user, article=article, base_number=data["base_number"], **fields)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, _("The article was saved.") if not data["publish"] else _("The article was published."))
    return redirect(f"{article.get_absolute_url()}?lang={data['language']}")


@requires(EDIT)
def article_create(request: HttpRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None, initial={"language": selectors.user_language()})
    if request.method == "POST" and (done := _save(request, form, None)):
        return done
    return render(request, "knowledge/edit.html", {"form": form, "article": None})


@requires(EDIT)
def article_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    article = selectors.article_for(request.user, public_id)
    if request.method == "POST":
        form = ArticleForm(request.POST)
        if done := _save(request, form, article):
            return done
        language = request.POST.get("language", "")
    else:
        language = _language_param(request)
        history = selectors.article_history(article)
        latest = history[language][0] if history[language] else None
        form = ArticleForm(
            initial={
                "kind": article.kind,
                "country": article.country,
                "audience": article.audience,
                "topic_codes": list(article.topics.values_list("code", flat=True)),
                "language": language,
                "title": latest.title if latest else "",
                "body": latest.body if latest else "",
                "base_number": latest.number if latest else 0,
            }
        )
    return render(request, "knowledge/edit.html", {"form": form, "article": article, "language": language})


@requires(EDIT)
def article_history(request: HttpRequest, public_id: str) -> HttpResponse:
    article = selectors.article_for(request.user, public_id)
    history = selectors.article_history(article)
    return render(
        request,
        "knowledge/history.html",
        {
            "article": article,
            "history": [(Language(language).label, language, versions) for language, versions in history.items()],
        },
    )


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 7 else None


@requires(EDIT)
def article_diff(request: HttpRequest, public_id: str) -> HttpResponse:
    article = selectors.article_for(request.user, public_id)
    language = _language_param(request)
    versions = selectors.article_history(article)[language]
    new_number = _number(request.GET.get("to")) or (versions[0].number if versions else None)
    old_number = _number(request.GET.get("from")) or (new_number - 1 if new_number else None)
    if not new_number or not old_number:
        messages.info(request, _("This text has only one version: there is nothing to compare."))
        return redirect("knowledge:history", public_id=article.public_id)
    old = selectors.article_version(article, language, old_number)
    new = selectors.article_version(article, language, new_number)
    return render(
        request,
        "knowledge/diff.html",
        {"article": article, "old": old, "new": new, "lines": selectors.version_diff(old, new)},
    )


@requires(EDIT)
@require_POST
def version_publish(request: HttpRequest, public_id: str) -> HttpResponse:
    version = get_object_or_404(ArticleVersion.objects.select_related("article"), public_id=public_id)
    article = selectors.article_for(request.user, version.article.public_id)
    try:
        services.version_publish(actor=request.user, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The version was published."))
    return redirect("knowledge:history", public_id=article.public_id)


@requires(VIEW)
def suggestions(request: HttpRequest) -> HttpResponse:
    """The cards beside the HelpLine intake screen, for htmx: ?topics=...&country=IT."""
    topics = [code for code in request.GET.getlist("topics") if code in Topic.values]
    country = request.GET.get("country", "")[:2]
    cards = selectors.articles_suggested_for(request.user, topics, country or None)
    return render(request, "knowledge/_suggestions.html", {"cards": cards})


@public
def public_list(request: HttpRequest) -> HttpResponse:
    return _search_page(request, selectors.public_articles(), template="knowledge/public_list.html", public_view=True)


@public
def public_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    article = selectors.public_article_for(public_id)
    return render(request, "knowledge/public_detail.html", _detail_context(article, _language_param(request)))
