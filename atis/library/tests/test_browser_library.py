"""The public library and portal in a real browser: filtering by category and searching
without diacritics, in both languages, with htmx and the strict CSP on; then an axe-core
accessibility check of the public pages (no serious or critical violation).

axe-core comes from npm (scripts/axe, installed by `make test-browser`); it is injected
into a context that bypasses the CSP, since the policy rightly refuses foreign scripts.
"""

from __future__ import annotations

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from atis.core.tests.test_browser_login import TIMEOUT_MS, PageProblems, browser, page, page_problems  # noqa: F401
from atis.library.models import Category, DocumentLanguage
from atis.library.tests.helpers import add_document

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[3] / "scripts" / "axe" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def shelf(transactional_db, personas):  # type: ignore[no-untyped-def]
    publisher = personas["coordinator"].user
    add_document(
        publisher,
        title_ro="Studiu privind violența în familie",
        title_en="Study on domestic violence",
        text="Violența economică precede adesea recrutarea.",
        category=Category.STUDIES,
        year=2021,
        language=DocumentLanguage.BILINGUAL,
    )
    add_document(
        publisher,
        title_ro="Studiu privind munca sezonieră",
        title_en="Study on seasonal work",
        text="Muncitorii sezonieri din agricultură.",
        category=Category.STUDIES,
        year=2020,
        language=DocumentLanguage.BILINGUAL,
    )
    add_document(publisher, title_ro="Legea 678/2001", text="Prevenirea traficului.", category=Category.LEGISLATION)


def _titles(current: Page) -> list[str]:
    return current.locator("#library-results h3 a").all_inner_texts()


@pytest.mark.parametrize(
    ("lang", "category_label", "violence", "seasonal"),
    [
        ("ro", "Studii și analize", "Studiu privind violența în familie", "Studiu privind munca sezonieră"),
        ("en", "Studies and analyses", "Study on domestic violence", "Study on seasonal work"),
    ],
)
def test_a_visitor_filters_by_category_and_searches_without_diacritics(  # type: ignore[no-untyped-def]
    live_server,
    shelf,
    page,  # noqa: F811  (the fixture imported above)
    page_problems,  # noqa: F811
    lang,
    category_label,
    violence,
    seasonal,
) -> None:
    response = page.goto(f"{live_server.url}/{lang}/library/")
    assert response is not None and "unsafe-inline" not in response.headers["content-security-policy"]
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert len(_titles(page)) == 3

    page.locator("#id_category").select_option(label=category_label)
    page.wait_for_url("**category=studies**")
    expect(page.locator("#library-results h3 a")).to_have_count(2)
    assert sorted(_titles(page)) == sorted([violence, seasonal])

    page.locator("#id_q").fill("violenta")
    page.wait_for_url("**q=violenta**")
    expect(page.locator("#library-results h3 a")).to_have_count(1)
    assert _titles(page) == [violence]
    expect(page.locator("#library-results mark").first).to_have_text(re.compile("^violența$", re.IGNORECASE))

    # The URL holds the filters: opened afresh, it shows the same list.
    page.goto(page.url)
    assert _titles(page) == [violence]
    assert page_problems.errors == [], "\n".join(page_problems.errors)


@pytest.fixture
def axe_page(browser: Browser) -> Iterator[Page]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


PUBLIC_PAGES = [
    "/ro/portal/",
    "/en/portal/about/",
    "/ro/library/",
    "/en/library/?q=violenta",
    "/ro/campaigns/public/",
    "/en/knowledge/public/",
    "/ro/screening/job-offer/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_serious_accessibility_violation(live_server, shelf, axe_page, path) -> None:  # type: ignore[no-untyped-def]
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci --prefix scripts/axe` (make test-browser does)"
    axe_page.goto(f"{live_server.url}{path}")
    axe_page.add_script_tag(path=str(AXE))
    result = axe_page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        {"id": violation["id"], "impact": violation["impact"], "nodes": [node["target"] for node in violation["nodes"]]}
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == [], json.dumps(serious, indent=1)
