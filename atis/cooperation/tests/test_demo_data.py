"""The cooperation demo: partners abroad, agreements about to expire, county teams with
meetings and decisions, transnational referrals; a second run adds nothing."""

from __future__ import annotations

import datetime

import pytest

from atis.accounts.models import User
from atis.cases import demo as cases_demo
from atis.cooperation import demo, selectors
from atis.cooperation.models import Agreement, CountyTeam, Decision, Meeting, TransnationalReferral
from atis.core import demo as core_demo
from atis.lib.request_context import acting_as
from atis.organisations.models import Organisation, OrganisationKind
from conftest import ensure_reference_data

pytestmark = pytest.mark.django_db


def test_the_demo_loads_every_kind_of_record_once() -> None:
    ensure_reference_data()
    with acting_as(None, channel="command"):
        core_demo.demo_organisations_load()
        core_demo.demo_accounts_load()
        cases_demo.demo_cases_load(60, seed=7, batch_size=60)
        summary = demo.load_demo_content(7)
        counts = [model.objects.count() for model in (Organisation, Agreement, CountyTeam, Meeting, Decision)]
        again = demo.load_demo_content(7)

    assert "6 county teams" in summary
    assert "0 county teams" in again and "0 agreements" in again
    assert [model.objects.count() for model in (Organisation, Agreement, CountyTeam, Meeting, Decision)] == counts
    assert set(Organisation.objects.exclude(country="RO").values_list("country", flat=True)) >= {
        "IT",
        "ES",
        "DE",
        "GB",
        "FR",
    }
    assert CountyTeam.objects.filter(chair__kind=OrganisationKind.PREFECTURE).count() == 6
    coordinator = User.objects.get(username="coordonator")
    assert selectors.agreements_expiring(coordinator, today=datetime.date.today()).count() >= 2
    assert TransnationalReferral.objects.exists()
