"""Totals against targets and the risk view, on fixtures whose answers are known."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from atis.campaigns import selectors
from atis.campaigns.selectors import CountyRisk
from atis.campaigns.tests.helpers import form, record, running_campaign
from atis.cases.models import Case, TraffickingStatus

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def test_totals_add_up_people_events_materials_and_media_against_targets(personas) -> None:
    officer = personas["campaigns"].user
    campaign = running_campaign(officer, personas["coordinator"].user)
    record(
        officer,
        campaign,
        where="CJ",
        people={("pupils_students", "female", "minor"): 120, ("pupils_students", "male", "minor"): 80},
        materials=150,
    )
    record(
        officer,
        campaign,
        where="BH",
        people={("young_job_seekers", "female", "adult"): 30, ("pupils_students", "male", "minor"): 20},
        materials=100,
        media=5000,
    )
    totals = selectors.campaign_totals(campaign)
    indicators = {
        indicator.key: (indicator.actual, indicator.target, indicator.percent) for indicator in totals.indicators
    }
    assert indicators == {
        "people": (250, 1000, 25),
        "events": (2, 10, 20),
        "materials": (250, 500, 50),
        "media_reach": (5000, 20000, 25),
    }
    by_county = {county.mnemonic: (reach.events, reach.people) for county, reach in totals.by_county}
    assert by_county == {"BH": (1, 50), "CJ": (1, 200)}
    by_group = {group.code: cells for group, cells in totals.by_group}
    assert by_group["pupils_students"] == {"female_minor": 120, "male_minor": 100, "total": 220}
    assert by_group["young_job_seekers"] == {"female_adult": 30, "total": 30}


def test_the_overview_leaves_drafts_out_and_matches_each_campaign(personas) -> None:
    from atis.campaigns import services
    from atis.campaigns.tests.helpers import campaign_data

    officer = personas["campaigns"].user
    campaign = running_campaign(officer, personas["coordinator"].user)
    record(officer, campaign, people={("pupils_students", "female", "adult"): 7})
    services.campaign_create(actor=officer, data=campaign_data(title="Still a draft"))
    rows = selectors.totals_overview(personas["analyst"].user)
    assert [row.campaign.title for row in rows] == [campaign.title]
    assert rows[0].reach.people == 7 and rows[0].reach.events == 1


def _victims(manager, county: str, n: int, day: datetime.date) -> None:  # type: ignore[no-untyped-def]
    from atis.cases.tests.helpers import open_case
    from atis.geo.models import County

    for _ in range(n):
        case = open_case(manager)
        Case.objects.filter(pk=case.pk).update(
            county=County.objects.get(mnemonic=county),
            trafficking_status=TraffickingStatus.IDENTIFIED,
            notified_on=day,
            identified_on=day,
        )


def _risk_scene(personas) -> None:  # type: ignore[no-untyped-def]
    """Iași 12 victims and no activity; Cluj 12 victims and 3 activities; Bihor 2 victims;
    Dolj 1 victim identified more than a year ago (outside the window)."""
    manager = personas["coordinator"].user
    recent = TODAY - datetime.timedelta(days=30)
    _victims(manager, "IS", 12, recent)
    _victims(manager, "CJ", 12, recent)
    _victims(manager, "BH", 2, recent)
    _victims(manager, "DJ", 1, TODAY - datetime.timedelta(days=400))
    officer = personas["campaigns"].user
    campaign = running_campaign(
        officer,
        personas["coordinator"].user,
        starts_on=TODAY - datetime.timedelta(days=60),
        ends_on=TODAY,
        exploitation_forms=[form("sexual"), form("forced_labour")],
    )
    for _ in range(3):
        record(officer, campaign, day=TODAY - datetime.timedelta(days=10), where="CJ")


def test_the_risk_view_highlights_many_victims_with_little_prevention(personas, monkeypatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    _risk_scene(personas)
    view = selectors.risk_view(personas["coordinator"].user, today=TODAY)
    rows = {row.county.mnemonic: row for row in view.counties}
    assert (rows["IS"].victims, rows["IS"].activities) == (12, 0)
    assert (rows["CJ"].victims, rows["CJ"].activities) == (12, 3)
    assert rows["DJ"].victims == 0  # identified 400 days ago
    # mean victims per county = 26/42 ≈ 0.62; mean activities = 3/42 ≈ 0.07
    assert [row.county.mnemonic for row in view.flagged] == ["IS", "BH"]
    uncovered = {code.code for code in view.uncovered_forms}
    assert "forced_begging" in uncovered
    assert not {"sexual", "forced_labour"} & uncovered


def test_small_counts_go_through_the_same_disclosure_step_as_every_statistic(personas, monkeypatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    _risk_scene(personas)

    def shown(persona: str) -> dict[str, CountyRisk]:
        view = selectors.risk_view(personas[persona].user, today=TODAY)
        return {row.county.mnemonic: row for row in view.counties}

    coordinator, national, regional, officer = (
        shown(name) for name in ("coordinator", "analyst", "analyst_iasi", "campaigns")
    )
    # Exact only for a role allowed unsuppressed figures (the view is audited as today).
    assert coordinator["BH"].victims_shown == "2"
    # Everyone else, national analysts included: the threshold of 11, as on the statistics screens.
    for rows in (national, regional, officer):
        assert rows["BH"].victims_shown == "<11"
        assert rows["AB"].victims_shown == "0"
        # Hidden with it so that the total (the mean per county times 42) does not give it away.
        assert rows["IS"].victims_shown == "x" or rows["CJ"].victims_shown == "x"
        assert not any(row.victims_shown.isdigit() and 0 < int(row.victims_shown) < 11 for row in rows.values())


def test_helpline_contacts_are_counted_before_during_and_after(personas) -> None:
    from atis.campaigns.selectors import contacts_before_during_after

    officer = personas["campaigns"].user
    campaign = running_campaign(
        officer,
        personas["coordinator"].user,
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 3, 30),
    )
    _contacts(personas, "CJ", [datetime.date(2026, 2, 10)] * 2 + [datetime.date(2026, 3, 5)] * 6)
    _contacts(personas, "IS", [datetime.date(2026, 3, 5)] * 9)  # another county: not counted
    periods = {p.key: p for p in contacts_before_during_after(campaign, today=datetime.date(2026, 4, 14))}
    assert (periods["before"].contacts, periods["during"].contacts, periods["after"].contacts) == (2, 6, 0)
    assert periods["before"].days == 30 and periods["after"].days == 15
    assert periods["during"].per_30_days == 6.0


def _contacts(personas, county: str, days: list[datetime.date]) -> None:  # type: ignore[no-untyped-def]
    from atis.codelists.models import Code
    from atis.geo.models import County
    from atis.helpline.models import Contact

    operator = personas["operator"]
    tz = timezone.get_current_timezone()

    def any_code(name: str) -> Code:
        return Code.objects.filter(list=name).first()  # type: ignore[return-value]

    for index, day in enumerate(days):
        Contact.objects.create(
            reference=f"T{county}{day:%m%d}{index:03d}",
            organisation=operator.organisation,
            taken_by=operator.user,
            channel=any_code("helpline_channel"),
            contact_type=any_code("helpline_contact_type"),
            caller_role=any_code("helpline_caller_role"),
            started_at=datetime.datetime.combine(day, datetime.time(12), tzinfo=tz),
            county=County.objects.get(mnemonic=county),
        )
