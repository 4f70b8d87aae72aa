"""A victim's journey across two organisations, in a real browser.

The Iași case manager records a presumed victim, identifies her, records her consent to share
with an NGO and refers her there; the NGO accepts the referral and records the service it gave;
the case manager then sees both on the case. Each user works in their own browser context,
signed in once (django_otp refuses a TOTP code used twice), in the English interface, and no
page may raise a console error (a Content-Security-Policy violation among them).

Run with `make test-browser`. A missing /usr/bin/chromium makes this test fail, never skip.
"""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in this thread; Django's ORM would otherwise refuse.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from atis.core.tests import test_browser_login as login

# The module-scoped browser of the sign-in tests: it asserts that /usr/bin/chromium exists.
browser = login.browser

pytestmark = pytest.mark.browser

NGO = "Test NGO Iași"
POLICE = "Test Police Iași"
SERVICE = "Psychological counselling"


@dataclass
class Session:
    """One user's own browser context and page, with what the page reported."""

    page: Page
    problems: login.PageProblems = field(default_factory=login.PageProblems)
    visited: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.problems.errors == [], "\n".join(self.problems.errors) + "\nvisited:\n" + "\n".join(self.visited)


@pytest.fixture
def new_session(browser: Browser) -> Iterator[Callable[[], Session]]:
    contexts: list[BrowserContext] = []

    def make() -> Session:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(login.TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        session = Session(page)
        page.on("console", session.problems.on_console)
        page.on("pageerror", session.problems.on_page_error)
        page.on("framenavigated", lambda frame: session.visited.append(frame.url) if frame == page.main_frame else None)
        return session

    yield make
    for context in contexts:
        context.close()


def _iso(day: datetime.date) -> str:
    return day.isoformat()


def test_a_victim_is_recorded_identified_referred_and_assisted_by_an_ngo(
    live_server, transactional_db, personas, new_session
) -> None:  # type: ignore[no-untyped-def]
    base = f"{live_server.url}/en"
    today = timezone.localdate()
    notified_on = today - datetime.timedelta(days=10)
    identified_on = today - datetime.timedelta(days=7)
    consent_on = today - datetime.timedelta(days=6)
    service_from = today - datetime.timedelta(days=5)
    service_until = today - datetime.timedelta(days=1)

    # --- 1. The case manager records, identifies, asks consent and refers ------------------
    manager = new_session()
    page = manager.page
    dashboard = login.sign_in(page, live_server.url, "en", personas["manager_iasi"])
    login.assert_clean_dashboard(dashboard, manager.problems)

    page.locator("#main-nav a.dropdown-toggle", has_text="Victims").click()
    page.locator("#main-nav a.dropdown-item", has_text="Cases").click()
    page.locator("a.btn", has_text="New case").click()
    page.wait_for_url("**/en/cases/new/")
    page.locator("#id_person-first_name").fill("Elena")
    page.locator("#id_person-last_name").fill("Rusu")
    page.locator("#id_person-sex").select_option(label="female")
    page.locator("#id_person-date_of_birth").fill("1994-06-12")
    page.locator("#id_person-county").select_option(label="Iași")
    expect(page.locator("#id_person-locality option", has_text="Municipiul Iași")).to_have_count(1)
    page.locator("#id_person-locality").select_option(label="Municipiul Iași")
    page.locator("#id_case-county").select_option(label="Iași")
    page.locator("#id_case-notified_on").fill(_iso(notified_on))
    page.get_by_label("Forced labour", exact=True).check()
    page.locator("form button[type=submit]", has_text="Open the case").click()

    expect(page.locator(".alert-success")).to_contain_text("was opened")
    reference = page.locator("h1").inner_text().strip()
    assert reference.startswith("C"), reference
    case_url = page.url
    expect(page.locator("#case-tabs a.nav-link.active")).to_have_text("Case")

    identify = page.locator("form[action$='/identify/']")
    identify.locator("#id_identified-identified_on").fill(_iso(identified_on))
    identify.locator("#id_identified-identifying_institution").select_option(label=POLICE)
    identify.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("identified as a victim")
    expect(page.locator("#tab-body")).to_contain_text(POLICE)
    expect(page.locator("form[action$='/identify/']")).to_have_count(0)

    page.locator("#case-tabs a.nav-link", has_text="Consent").click()
    expect(page.locator("#case-tabs a.nav-link.active")).to_have_text("Consent")
    page.locator("#id_purpose").select_option(label="sharing data with a named organisation")
    page.locator("#id_organisation").select_option(label=NGO)
    page.locator("#id_given_on").fill(_iso(consent_on))
    page.locator("button[type=submit]", has_text="Record the consent").click()
    expect(page.locator(".alert-success")).to_contain_text("The consent was recorded.")
    consent_row = page.locator("#tab-body tbody tr", has_text=NGO)
    expect(consent_row).to_contain_text("active")

    page.locator("#case-tabs a.nav-link", has_text="Referrals").click()
    expect(page.locator("#case-tabs a.nav-link.active")).to_have_text("Referrals")
    page.locator("#id_to_organisation").select_option(label=NGO)
    page.get_by_label(SERVICE, exact=True).check()
    page.get_by_label("case details", exact=True).check()
    page.get_by_label("assistance", exact=True).check()
    page.locator("#id_message").fill("Counselling after her return from abroad.")
    page.locator("button[type=submit]", has_text="Send the referral").click()
    expect(page.locator(".alert-success")).to_contain_text(f"The referral to {NGO} was sent.")
    referral_row = page.locator("#tab-body tbody tr", has_text=NGO)
    expect(referral_row).to_contain_text(SERVICE)
    shared = referral_row.locator("td").nth(3)
    expect(shared).to_contain_text("case details")
    expect(shared).to_contain_text("assistance")
    expect(referral_row.locator(".badge")).to_have_text("sent")
    manager.assert_clean()

    # --- 2. The NGO accepts the referral and records the service it gave ------------------
    ngo = new_session()
    page = ngo.page
    dashboard = login.sign_in(page, live_server.url, "en", personas["ngo"])
    login.assert_clean_dashboard(dashboard, ngo.problems)

    page.locator("#main-nav a.dropdown-toggle", has_text="Victims").click()
    page.locator("#main-nav a.dropdown-item", has_text="Referrals").click()
    page.wait_for_url(f"{base}/cases/referrals/")
    waiting = page.locator("section[aria-labelledby=waiting-heading] tbody tr", has_text=reference)
    expect(waiting).to_contain_text(SERVICE)
    expect(waiting).to_contain_text("Counselling after her return from abroad.")
    waiting.locator("button", has_text="Accept").click()
    expect(page.locator(".alert-success")).to_contain_text("The referral was accepted")
    expect(page.locator("section[aria-labelledby=waiting-heading] tbody")).to_contain_text("No referral is waiting.")
    in_progress = page.locator("section[aria-labelledby=progress-heading] tbody tr", has_text=reference)
    expect(in_progress).to_contain_text(SERVICE)

    in_progress.locator("a", has_text=reference).click()
    page.wait_for_url(case_url)
    expect(page.locator("h1")).to_have_text(reference)
    # Only what was shared: the case and its assistance, not the identity nor the events.
    tabs = page.locator("#case-tabs a.nav-link")
    expect(tabs).to_have_text(["Case", "Consent", "Referrals", "Assistance"])

    tabs.filter(has_text="Assistance").click()
    expect(page.locator("h1")).to_have_text(f"Assistance of case {reference}")
    services = page.locator("section[aria-labelledby=services-heading]")
    expect(services.locator("tbody")).to_contain_text("No service recorded yet.")
    services.locator("summary", has_text="Record a service").click()
    services.locator("#id_service-service_type").select_option(label=SERVICE)
    # A partner records only its own services: its organisation is the one provider offered.
    expect(services.locator("#id_service-provider")).to_have_value(str(personas["ngo"].organisation.pk))
    services.locator("#id_service-started_on").fill(_iso(service_from))
    services.locator("#id_service-outcome").select_option(label="completed")
    services.locator("#id_service-ended_on").fill(_iso(service_until))
    services.locator("#id_service-notes").fill("Four counselling sessions.")
    services.locator("button[type=submit]", has_text="Record the service").click()
    expect(page.locator(".alert-success")).to_contain_text("The service was recorded.")
    service_row = page.locator("section[aria-labelledby=services-heading] tbody tr", has_text=SERVICE)
    expect(service_row).to_contain_text(NGO)
    expect(service_row).to_contain_text("completed")
    ngo.assert_clean()

    # --- 3. The case manager, still signed in, sees the answer and the service -------------
    page = manager.page
    page.reload()
    expect(page.locator("#case-tabs a.nav-link.active")).to_have_text("Referrals")
    referral_row = page.locator("#tab-body tbody tr", has_text=NGO)
    expect(referral_row.locator(".badge")).to_have_text("accepted")
    expect(referral_row).to_contain_text("answered")

    page.locator("#case-tabs a.nav-link", has_text="Assistance").click()
    expect(page.locator("h1")).to_have_text(f"Assistance of case {reference}")
    service_row = page.locator("section[aria-labelledby=services-heading] tbody tr", has_text=SERVICE)
    expect(service_row).to_contain_text(NGO)
    expect(service_row).to_contain_text("completed")
    expect(service_row).to_contain_text("Four counselling sessions.")
    manager.assert_clean()
