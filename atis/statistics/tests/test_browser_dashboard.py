"""The statistics dashboard in a real browser: a regional analyst chooses a crossing and sees
the table with its small cells hidden, the chart and the county map drawn by plotly.js under
the strict CSP, and downloads the same table as CSV. No console error is allowed.

Run with `make test-browser`. A missing /usr/bin/chromium makes this test fail, never skip.
"""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in this thread; Django's ORM would otherwise refuse.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import csv
import io

import pytest
from playwright.sync_api import expect

from atis.core.tests import test_browser_login as login
from atis.statistics.tests.helpers import victim

browser = login.browser
page = login.page
page_problems = login.page_problems
pytestmark = pytest.mark.browser

COUNTIES = 42  # 41 counties and Bucharest, each drawn as one shape


def test_a_regional_analyst_crosses_two_breakdowns_and_sees_the_table_chart_and_map(
    live_server, transactional_db, personas, page, page_problems
) -> None:  # type: ignore[no-untyped-def]
    iasi = personas["manager_iasi"].user
    for _ in range(12):
        victim(iasi, sex="female", form="sexual")
    for _ in range(3):
        victim(iasi, sex="male", form="forced_labour")
    # Outside the Iași centre's counties: never in its analyst's figures.
    victim(personas["manager_cluj"].user, county="CJ", sex="male", form="forced_begging")

    login.sign_in(page, live_server.url, "en", personas["analyst_iasi"])
    page.goto(f"{live_server.url}/en/statistics/")
    page.locator("#id_rows").select_option(label="sex")
    page.locator("#id_columns").select_option(label="main form of exploitation")
    page.locator("#statistics-form button[type=submit]").click()
    page.wait_for_url("**/statistics/?*rows=sex*")

    table = page.locator("#statistics-table")
    expect(table.locator("caption")).to_have_text("Sex × main form of exploitation")
    expect(table.locator("thead th")).to_have_text(["Sex", "Sexual exploitation", "Forced labour", "Total"])
    female = table.locator("tbody tr", has=page.locator("th", has_text="female"))
    expect(female.locator("td").first).to_have_text("12")
    # Below national level the 3 men in forced labour are under 11, so hidden; no cell shows 3,
    # nor the Cluj victim outside the centre's scope.
    cells = table.locator("tbody td").all_inner_texts()
    assert "<11" in cells and "3" not in cells and "16" not in cells, cells
    expect(table.locator("tbody th")).not_to_contain_text(["Forced begging"])

    breakdown = page.locator(".atis-chart[data-chart=chart-breakdown]")
    expect(breakdown).to_have_attribute("data-drawn", "true")
    expect(breakdown.locator("svg.main-svg").first).to_be_visible()
    # Only the row whose total is published gets a bar: the men's total is hidden.
    expect(breakdown.locator(".barlayer .point")).to_have_count(1)

    county_map = page.locator("#county-map")
    expect(county_map).to_have_attribute("data-drawn", "true")
    expect(county_map.locator("svg.main-svg").first).to_be_visible()
    expect(county_map.locator(".scatterlayer .trace .fills path")).to_have_count(COUNTIES)
    names = county_map.evaluate("map => map.data.filter(t => t.fill === 'toself').map(t => t.text)")
    assert "Iași: 15" in names, names
    assert "Cluj: 1" not in names, names

    with page.expect_download() as download:
        page.locator("a", has_text="Download CSV").click()
    assert download.value.suggested_filename == "atis-sex-form.csv"
    content = (download.value.path().read_bytes()).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(content)))
    assert lines[0] == ["", "Sexual exploitation", "Forced labour", "Total"]
    assert lines[1][:2] == ["female", "12"]
    assert "<11" in [cell for line in lines[1:] for cell in line[1:]]
    assert "3" not in [cell for line in lines[1:] for cell in line[1:]]

    assert page_problems.errors == [], "\n".join(page_problems.errors)
