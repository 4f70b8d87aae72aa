"""The case screens in a real browser: htmx under the strict CSP (no console error), the
county → locality select, the tabs swapped in place.

Run with `make test-browser`.
"""

from __future__ import annotations

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest
from playwright.sync_api import expect

from atis.cases.tests.helpers import open_case
from atis.core.tests import test_browser_login as login

# The browser fixtures of the sign-in tests, shared rather than repeated.
browser = login.browser
page = login.page
page_problems = login.page_problems
sign_in = login.sign_in

pytestmark = pytest.mark.browser


def test_a_manager_opens_a_case_with_the_htmx_locality_select(
    live_server, transactional_db, personas, page, page_problems
) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server.url, "en", personas["manager_iasi"])
    page.goto(f"{live_server.url}/en/cases/new/")
    page.locator("#id_person-first_name").fill("Ana")
    page.locator("#id_person-county").select_option(label="Iași")
    expect(page.locator("#id_person-locality option", has_text="Municipiul Iași")).to_have_count(1)
    page.locator("#id_person-locality").select_option(label="Municipiul Iași")
    page.locator("#id_case-county").select_option(label="Iași")
    page.locator("#id_case-notified_on").fill("2026-03-01")
    page.locator("label", has_text="Forced labour").first.click()
    page.locator("form button[type=submit]", has_text="Open the case").click()
    expect(page.locator("h1")).to_contain_text("C")
    expect(page.locator(".alert-success")).to_contain_text("was opened")
    assert page_problems.errors == [], "\n".join(page_problems.errors)


def test_the_tabs_swap_in_place_and_the_list_filters_live(
    live_server, transactional_db, personas, page, page_problems
) -> None:  # type: ignore[no-untyped-def]
    case = open_case(personas["manager_iasi"].user, first_name="Smaranda")
    open_case(personas["manager_iasi"].user, county="VS")
    sign_in(page, live_server.url, "en", personas["manager_iasi"])
    page.goto(f"{live_server.url}/en/cases/")
    expect(page.locator("#case-rows tbody tr")).to_have_count(2)
    page.locator("#id_county").select_option(label="Iași")
    expect(page.locator("#case-rows tbody tr")).to_have_count(1)
    assert "county=IS" in page.url
    expect(page.locator("body")).not_to_contain_text("Smaranda")

    page.locator("#case-rows a", has_text=case.reference).click()
    page.locator("#case-tabs a.nav-link", has_text="Person").click()
    expect(page.locator("#tab-body")).to_contain_text("Smaranda")
    expect(page.locator("#case-tabs a.nav-link.active")).to_have_text("Person")
    assert page.url.endswith(f"/en/cases/{case.public_id}/person/")
    assert page_problems.errors == [], "\n".join(page_problems.errors)
