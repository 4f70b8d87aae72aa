"""Expiry alerts and overdue decisions, on fixed dates and on the dashboard."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from atis.cooperation import selectors, services
from atis.cooperation.models import AgreementVisibility, DecisionStatus
from atis.cooperation.tests import helpers


def _days(n: int) -> datetime.date:
    return helpers.TODAY + datetime.timedelta(days=n)


def test_only_agreements_ending_within_the_window_are_expiring(personas) -> None:  # type: ignore[no-untyped-def]
    coordinator = personas["coordinator"].user
    parties = [personas["coordinator"].organisation, personas["ngo"].organisation]
    for title, expires in [
        ("in 10 days", _days(10)),
        ("in 60 days", _days(60)),
        ("in 61 days", _days(61)),
        ("ended yesterday", _days(-1)),
        ("no end", None),
    ]:
        helpers.agreement(coordinator, parties, title=title, signed_on=_days(-400), expires_on=expires)

    expiring = selectors.agreements_expiring(coordinator, within_days=60, today=helpers.TODAY)
    assert [agreement.title for agreement in expiring] == ["in 10 days", "in 60 days"]


def test_the_dashboard_warns_of_expiring_agreements_only_those_who_may_see_them(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    parties = [personas["coordinator"].organisation, personas["ngo"].organisation]
    helpers.agreement(
        personas["coordinator"].user,
        parties,
        title="Protocol ending soon",
        signed_on=today - datetime.timedelta(days=300),
        expires_on=today + datetime.timedelta(days=5),
    )
    assert "Protocol ending soon" in signed_in("coordinator").get(reverse("core:dashboard")).content.decode()
    # Internal: the NGO is a party but is not told.
    assert "Protocol ending soon" not in signed_in("ngo").get(reverse("core:dashboard")).content.decode()


def test_the_dashboard_warns_of_a_shared_agreement_its_party_sees(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    helpers.agreement(
        personas["coordinator"].user,
        [personas["coordinator"].organisation, personas["ngo"].organisation],
        title="Shared protocol ending",
        signed_on=today - datetime.timedelta(days=300),
        expires_on=today + datetime.timedelta(days=5),
        visibility=AgreementVisibility.PARTIES,
    )
    assert "Shared protocol ending" in signed_in("ngo").get(reverse("core:dashboard")).content.decode()


def test_overdue_decisions_reach_their_owner_until_done(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    coordinator, manager = personas["coordinator"].user, personas["manager_iasi"].user
    centre = personas["manager_iasi"].organisation
    today = timezone.localdate()
    team = helpers.team(coordinator, "IS", [centre, personas["ngo"].organisation])
    meeting = helpers.meeting(coordinator, team, held_on=today - datetime.timedelta(days=40))
    mine = services.decision_add(
        actor=coordinator,
        meeting=meeting,
        text="Raport trimestrial al centrului",
        owner_organisation=centre,
        owner=manager,
        due_on=today - datetime.timedelta(days=3),
    )
    services.decision_add(
        actor=coordinator,
        meeting=meeting,
        text="Sesiune de informare a ONG-ului",
        owner_organisation=personas["ngo"].organisation,
        due_on=today - datetime.timedelta(days=3),
    )
    services.decision_add(
        actor=coordinator,
        meeting=meeting,
        text="Plan pentru anul viitor",
        owner_organisation=centre,
        owner=manager,
        due_on=today + datetime.timedelta(days=30),
    )

    assert list(selectors.decisions_overdue_for_owner(manager)) == [mine]
    assert [d.text for d in selectors.decisions_overdue_for_owner(personas["ngo"].user)] == [
        "Sesiune de informare a ONG-ului"
    ]
    page = signed_in("manager_iasi").get(reverse("core:dashboard")).content.decode()
    assert "Raport trimestrial al centrului" in page
    assert "Sesiune de informare" not in page

    services.decision_follow_up(
        actor=manager, decision=mine, noted_on=today, note="Trimis.", status=DecisionStatus.DONE
    )
    assert not selectors.decisions_overdue_for_owner(manager).exists()
