"""The public job-offer check in a real browser, in Romanian, without signing in.

Headless Debian chromium through Playwright against the live server; the page must raise no
console error (so no CSP violation either).
"""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in this thread; Django's ORM would otherwise refuse.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest
from playwright.sync_api import Page, expect

from atis.core.tests.test_browser_login import PageProblems, browser, page, page_problems  # noqa: F401
from atis.screening.models import CallbackRequest

pytestmark = pytest.mark.browser

OFFER = (
    "Angajăm urgent fete pentru dans în cluburi din Germania. Câștiguri mari, fără experiență. "
    "Taxă de înscriere 300 lei. Contact doar pe WhatsApp."
)


def test_a_person_checks_an_offer_in_romanian_and_sees_the_signs_and_the_level(
    live_server,
    transactional_db,
    page: Page,  # noqa: F811
    page_problems: PageProblems,  # noqa: F811
) -> None:
    response = page.goto(f"{live_server.url}/ro/screening/job-offer/")
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "ro")
    page.locator("textarea[name=text]").fill(OFFER)
    page.locator("select[name=q_fees]").select_option("yes")
    page.locator("form button[type=submit]").click()

    expect(page.locator("[data-testid=level]")).to_contain_text("Risc ridicat")
    expect(page.locator("[data-sign=fees]")).to_contain_text("taxă")
    expect(page.locator("[data-sign=private_messenger]")).to_be_visible()
    assert not CallbackRequest.objects.exists()
    assert page_problems.errors == [], "\n".join(page_problems.errors)
