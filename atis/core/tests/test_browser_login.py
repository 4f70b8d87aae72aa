"""Signing in through a real browser: password, then the TOTP code, then the dashboard.

Headless Debian chromium driven by Playwright against pytest-django's live server, once
in Romanian and once in English. The page must raise no console error on the way, which
also catches Content-Security-Policy violations (no inline script or style is allowed).

Run with `make test-browser`. A missing /usr/bin/chromium makes these tests fail, never skip.
"""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in this thread; Django's ORM would otherwise refuse.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, expect, sync_playwright

from conftest import PASSWORD, current_code

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Fail loudly, locally and under CI=true alike: a browser test that skips proves nothing.
    assert CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK), (
        f"{CHROMIUM} is missing: install Debian's chromium (scripts/ensure-chromium) to run the browser tests"
    )
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


class PageProblems:
    """Console errors (CSP violations among them) and uncaught exceptions seen by a page."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        # Chromium asks for /favicon.ico on its own; the app links no favicon, so that 404 is not the page's.
        if url.endswith("/favicon.ico"):
            return
        self.errors.append(f"console: {message.text} ({url})")

    def on_page_error(self, error: Exception) -> None:
        self.errors.append(f"pageerror: {error}")


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(browser: Browser, page_problems: PageProblems) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.on("console", page_problems.on_console)
        page.on("pageerror", page_problems.on_page_error)
        yield page
    finally:
        context.close()


def sign_in(page: Page, base_url: str, lang: str, persona) -> Response:  # type: ignore[no-untyped-def]
    """Password, then the current TOTP code; returns the dashboard's response."""
    page.goto(f"{base_url}/{lang}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.locator("input[name=username]").fill(persona.user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()

    page.wait_for_url(f"**/{lang}/accounts/login/code/")
    page.locator("input[name=token]").fill(current_code(persona.device))
    with page.expect_response(lambda response: response.url.endswith(f"/{lang}/dashboard/")) as dashboard:
        page.locator("form:has(input[name=token]) button[type=submit]").click()

    page.wait_for_url(f"**/{lang}/dashboard/")
    return dashboard.value


def assert_clean_dashboard(response: Response, problems: PageProblems) -> None:
    assert response.status == 200
    # The "no console error" check below only means something if the strict policy is really sent.
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, policy
    assert "unsafe-inline" not in policy, policy
    assert problems.errors == [], "\n".join(problems.errors)


def test_sign_in_in_english_reaches_dashboard(live_server, transactional_db, personas, page, page_problems) -> None:  # type: ignore[no-untyped-def]
    persona = personas["coordinator"]

    dashboard = sign_in(page, live_server.url, "en", persona)

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Welcome, Coordinator Test")
    expect(page.locator("h2#work-heading")).to_have_text("My work")
    assert_clean_dashboard(dashboard, page_problems)


def test_sign_in_in_romanian_reaches_dashboard(live_server, transactional_db, personas, page, page_problems) -> None:  # type: ignore[no-untyped-def]
    persona = personas["manager_iasi"]

    dashboard = sign_in(page, live_server.url, "ro", persona)

    expect(page.locator("html")).to_have_attribute("lang", "ro")
    # The greeting's wording is the translator's; it must be Romanian, not the English source.
    expect(page.locator("h1")).to_contain_text("Manager_Iasi Test")
    expect(page.locator("h1")).not_to_contain_text("Welcome")
    expect(page.locator("h2#work-heading")).to_have_text("Activitatea mea")
    assert_clean_dashboard(dashboard, page_problems)
