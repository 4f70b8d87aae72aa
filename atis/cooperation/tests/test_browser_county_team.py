"""A county team meeting, its decision and the decision's follow-up, in a real browser.

The Iași case manager opens the Iași team, records a meeting with the institutions present,
adds a decision owned by the NGO with a due date, then records its follow-up and sees it done.
In the English interface; no page may raise a console error (CSP violations among them).
"""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in this thread; Django's ORM would otherwise refuse.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from atis.cooperation.models import Decision, DecisionStatus, Meeting
from atis.cooperation.tests import helpers
from atis.core.tests import test_browser_login as login

browser = login.browser

pytestmark = pytest.mark.browser

NGO = "Test NGO Iași"


page = login.page
page_problems = login.page_problems


def test_a_meeting_with_a_decision_and_its_follow_up_is_recorded(
    live_server, transactional_db, personas, page, page_problems
) -> None:  # type: ignore[no-untyped-def]
    helpers.team(
        personas["coordinator"].user, "IS", [personas["manager_iasi"].organisation, personas["ngo"].organisation]
    )
    today = timezone.localdate()
    due = today + datetime.timedelta(days=30)

    dashboard = login.sign_in(page, live_server.url, "en", personas["manager_iasi"])
    login.assert_clean_dashboard(dashboard, page_problems)
    page.goto(f"{live_server.url}/en/cooperation/teams/")
    page.locator("table a", has_text="Iași").click()
    expect(page.locator("h1")).to_contain_text("County team Iași")
    page.locator("a.btn", has_text="Record a meeting").click()

    page.locator("#id_held_on").fill(today.isoformat())
    page.get_by_label("CR Iași", exact=True).check()
    page.get_by_label(NGO, exact=True).check()
    page.locator("#id_agenda").fill("Cases identified this quarter; school campaign.")
    page.locator("#id_minutes").fill("The NGO offers information sessions.")
    page.locator("button[type=submit]", has_text="Record the meeting").click()
    expect(page.locator(".alert-success")).to_contain_text("The meeting was recorded.")
    expect(page.locator("dl")).to_contain_text("Test NGO Iași")

    page.locator("#id_decision-text").fill("Information sessions in three high schools")
    page.locator("#id_decision-owner_organisation").select_option(label=NGO)
    page.locator("#id_decision-owner").select_option(label="Ngo Test")
    page.locator("#id_decision-due_on").fill(due.isoformat())
    page.locator("button[type=submit]", has_text="Add the decision").click()
    expect(page.locator(".alert-success")).to_contain_text("The decision was recorded.")
    decision_card = page.locator("section.card", has_text="Information sessions in three high schools")
    expect(decision_card.locator("[data-decision-status]")).to_have_text("open")

    decision_card.locator("summary", has_text="Record a follow-up").click()
    decision_card.locator("input[name$='-note']").fill("Two sessions held, the third is scheduled.")
    decision_card.locator("select[name$='-status']").select_option(label="done")
    decision_card.locator("button[type=submit]", has_text="Save the follow-up").click()
    expect(page.locator(".alert-success")).to_contain_text("The follow-up was recorded.")
    decision_card = page.locator("section.card", has_text="Information sessions in three high schools")
    expect(decision_card.locator("[data-decision-status]")).to_have_text("done")
    expect(decision_card).to_contain_text("Two sessions held, the third is scheduled.")

    decision = Decision.objects.get()
    assert decision.status == DecisionStatus.DONE and decision.owner == personas["ngo"].user
    assert Meeting.objects.get().participants.count() == 2
    assert page_problems.errors == [], "\n".join(page_problems.errors)
