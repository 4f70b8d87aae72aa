"""The HelpLine in a real browser: an information call recorded from the keyboard alone,
typed at a realistic speed, in under a minute; a report turned into a case; the figures
drawn by plotly.js under the strict CSP. No page may log a console error (CSP included).

Run with `make test-browser`. A missing /usr/bin/chromium makes this test fail, never skip.
"""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in this thread; Django's ORM would otherwise refuse.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import time

import pytest
from playwright.sync_api import expect

from atis.cases.models import Case
from atis.cases.tests.test_browser_journey import new_session  # noqa: F401  (fixture)
from atis.core.tests import test_browser_login as login
from atis.helpline.models import Contact
from atis.helpline.tests.helpers import log_contact

browser = login.browser

pytestmark = pytest.mark.browser

TYPING_DELAY_MS = 40  # about 25 characters a second, a practised operator
INTAKE_LIMIT_SECONDS = 60
SUMMARY = (
    "Asks whether a farm job near Verona offered on Facebook is legal; the agency wants 150 EUR. "
    "Advised to check the licence and never pay a fee."
)


def test_an_information_call_is_recorded_from_the_keyboard_in_under_a_minute(
    live_server,
    transactional_db,
    personas,
    new_session,  # noqa: F811
) -> None:  # type: ignore[no-untyped-def]
    session = new_session()
    page = session.page
    login.sign_in(page, live_server.url, "en", personas["operator"])
    page.goto(f"{live_server.url}/en/helpline/")
    expect(page.locator("#id_contact_type")).to_be_focused()
    keyboard = page.keyboard

    def type_text(text: str) -> None:
        keyboard.type(text, delay=TYPING_DELAY_MS)

    started = time.monotonic()
    # Type of contact: "Information request" is the default.
    keyboard.press("Tab")
    type_text("Pot")  # caller: Potential migrant
    keyboard.press("Tab")  # channel: phone by default
    keyboard.press("Tab")  # start: now by default
    keyboard.press("Tab")
    type_text("6")  # duration in minutes
    keyboard.press("Tab")
    keyboard.press("Space")  # topic: Job offer abroad
    keyboard.press("Tab")
    keyboard.press("Space")  # topic: Employment contract
    keyboard.press("Tab")
    keyboard.press("Space")  # topic: Recruitment agency
    for _ in range(4):
        keyboard.press("Tab")
    keyboard.press("Tab")
    type_text("Ital")  # destination country
    keyboard.press("Tab")
    type_text("Clu")  # county
    keyboard.press("Tab")  # language: Romanian by default
    keyboard.press("Tab")
    type_text(SUMMARY)
    keyboard.press("Alt+s")
    expect(page.locator(".alert-success")).to_contain_text("saved")
    elapsed = time.monotonic() - started
    print(f"\nHelpLine intake of an information call from the keyboard: {elapsed:.1f} s")
    assert elapsed < INTAKE_LIMIT_SECONDS

    contact = Contact.objects.get()
    assert contact.contact_type.code == "information" and contact.caller_role.code == "potential_migrant"
    assert contact.channel.code == "phone" and contact.duration_seconds == 360
    assert sorted(contact.topics.values_list("code", flat=True)) == ["contract", "job_offer", "recruitment_agency"]
    assert contact.county is not None and contact.county.mnemonic == "CJ"
    assert (contact.destination_country, contact.language) == ("IT", "ro")
    assert contact.summary == SUMMARY and not contact.identity_agreed and not contact.caller_lookup
    # Back on an empty intake, ready for the next call.
    expect(page.locator("#id_contact_type")).to_be_focused()
    session.assert_clean()


def test_a_report_is_turned_into_a_case_and_the_figures_are_drawn(
    live_server,
    transactional_db,
    personas,
    new_session,  # noqa: F811
) -> None:  # type: ignore[no-untyped-def]
    operator = new_session()
    page = operator.page
    login.sign_in(page, live_server.url, "en", personas["operator"])
    page.goto(f"{live_server.url}/en/helpline/")
    page.locator("#id_contact_type").select_option(label="Report of a suspected case")
    page.locator("#id_caller_role").select_option(label="Family member")
    page.get_by_label("Leaving exploitation").check()
    page.locator("#id_destination_country").select_option(value="GB")
    page.locator("#id_county").select_option(label="Iași")
    page.locator("#id_summary").fill("Her sister works on a farm, her passport was taken.")
    expect(page.locator("#emergency-steps")).to_be_hidden()
    page.get_by_label("Imminent danger (emergency)").check()
    expect(page.locator("#emergency-steps")).to_be_visible()
    expect(page.locator("#emergency-steps")).to_contain_text("112")
    page.locator("#id_emergency_action").fill("Told her to call 112 in the UK; informed the police.")
    page.locator("#id_emergency_action_at").fill("00:00")
    page.locator("button[name=save_open]").click()
    expect(page.locator("h1")).to_contain_text("Contact HL")

    form = page.locator("form[action$='/case/']")
    expect(form.locator("#id_case-county")).to_have_value(str(Contact.objects.get().county_id))
    form.locator("#id_case-first_name").fill("Ana")
    form.locator("#id_case-sex").select_option(label="female")
    form.get_by_label("The person consents to assistance and protection").check()
    form.locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("notified to the regional centre")
    case = Case.objects.get()
    expect(page.locator("main")).to_contain_text(case.reference)
    assert case.centre.name == "Centrul Regional Iași" and case.consents.count() == 1
    operator.assert_clean()

    for _ in range(6):
        log_contact(personas["operator"].user)
    analyst = new_session()
    login.sign_in(analyst.page, live_server.url, "en", personas["analyst"])
    analyst.page.goto(f"{live_server.url}/en/helpline/statistics/")
    expect(analyst.page.locator(".atis-chart[data-drawn=true]")).to_have_count(7)
    expect(analyst.page.locator("#figure-total")).to_have_text("7")
    analyst.assert_clean()
