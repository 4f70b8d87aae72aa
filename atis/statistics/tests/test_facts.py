"""Figures from hand-counted scenes: what the case services record is what statistics count."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from atis.cases import services as case_services
from atis.cases.models import Case
from atis.geo.models import County
from atis.organisations.models import Organisation
from atis.organisations.services import centre_coverage_set
from atis.statistics import selectors
from atis.statistics.models import CaseFact, CentreCrossingCount, CoverageMove, CrossingCount, FactCount
from atis.statistics.selectors import Filters
from atis.statistics.services import crossings, statistics_rebuild
from atis.statistics.tests.helpers import victim

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(personas):  # type: ignore[no-untyped-def]
    iasi = personas["manager_iasi"].user
    cluj = personas["manager_cluj"].user
    victim(iasi, sex="female", form="sexual")
    victim(iasi, sex="female", form="sexual", born=datetime.date(2010, 5, 1))  # a girl of 14
    victim(iasi, sex="male", form="forced_labour", scope="internal")
    victim(iasi, sex="male", form="forced_labour", identified_on=None)  # notified only: not counted
    victim(cluj, county="CJ", sex="female", form="forced_begging", destination="ES")
    return personas


def test_identified_victims_are_counted_by_sex_form_and_age(scene) -> None:  # type: ignore[no-untyped-def]
    analyst = scene["analyst"].user
    assert selectors.counts(analyst, ["sex"]) == {("female",): 3, ("male",): 1}
    assert selectors.counts(analyst, ["form", "sex"]) == {
        ("sexual", "female"): 2,
        ("forced_labour", "male"): 1,
        ("forced_begging", "female"): 1,
    }
    assert selectors.counts(analyst, ["minor"]) == {("adult",): 3, ("minor",): 1}
    assert selectors.counts(analyst, ["age_band"]) == {("26-35",): 3, ("14-17",): 1}
    assert selectors.counts(analyst, ["destination"]) == {("IT",): 2, ("RO",): 1, ("ES",): 1}
    assert selectors.counts(analyst, ["identified_year"]) == {("2025",): 4}
    assert selectors.counts(analyst, ["trafficked_year"]) == {("2024",): 4}
    assert selectors.counts(analyst, ["duration"]) == {("6-12m",): 4}


def test_three_way_crossings_and_filters_come_from_the_facts(scene) -> None:  # type: ignore[no-untyped-def]
    analyst = scene["analyst"].user
    iasi = County.objects.get(mnemonic="IS")
    assert selectors.counts(analyst, ["sex", "minor", "scope"], Filters(county_id=iasi.pk)) == {
        ("female", "adult", "international"): 1,
        ("female", "minor", "international"): 1,
        ("male", "adult", "internal"): 1,
    }
    assert selectors.counts(analyst, ["form"], Filters(equals=(("sex", "female"),))) == {
        ("sexual",): 2,
        ("forced_begging",): 1,
    }
    assert selectors.counts(analyst, ["sex"], Filters(year_from=2026)) == {}


@pytest.mark.parametrize("analyst", ["analyst", "analyst_iasi"])
def test_every_crossing_summed_from_the_counts_equals_grouping_the_facts(scene, analyst) -> None:  # type: ignore[no-untyped-def]
    user = scene[analyst].user
    iasi = County.objects.get(mnemonic="IS")
    served = 0
    for size in (1, 2, 3):
        for dims in itertools.permutations(selectors.CHOOSABLE, size):
            if selectors._counts_cube(dims) is None:
                continue
            served += 1
            for filters in (Filters(), Filters(year_from=2025, county_id=iasi.pk)):
                assert selectors.counts(user, dims, filters) == selectors.counts_from_facts(user, dims, filters), dims
    # The one-way, report, GLOTIP and profile crossings at least, in any order.
    assert served > 500
    assert selectors.counts(user, ["scope", "minor", "sex"]) == selectors.counts_from_facts(
        user, ["scope", "minor", "sex"], Filters()
    )


def _every_crossing_matches_the_facts(user, filters_list) -> int:  # type: ignore[no-untyped-def]
    served = 0
    for size in (1, 2, 3):
        for dims in itertools.combinations(selectors.CHOOSABLE, size):
            for filters in filters_list:
                assert selectors.counts(user, dims, filters) == selectors.counts_from_facts(user, dims, filters), (
                    dims,
                    filters,
                )
                served += 1
    return served


def test_a_national_reader_gets_every_crossing_of_up_to_three_from_kept_counts(scene) -> None:  # type: ignore[no-untyped-def]
    analyst = scene["analyst"].user
    iasi = County.objects.get(mnemonic="IS")
    filters_list = [Filters(), Filters(year_from=2025, year_to=2025), Filters(county_id=iasi.pk)]
    with CaptureQueriesContext(connection) as queries:
        for size in (1, 2, 3):
            for dims in itertools.combinations(selectors.CHOOSABLE, size):
                for filters in filters_list:
                    if size == 3 and filters.county_id and "county" not in dims:
                        continue  # four breakdowns: no kept crossing holds them
                    selectors.counts(analyst, dims, filters)
    assert queries.captured_queries
    assert not [q["sql"] for q in queries.captured_queries if CaseFact._meta.db_table in q["sql"]]
    # …and they are the figures grouping the facts gives, in every order asked.
    assert _every_crossing_matches_the_facts(analyst, filters_list) == 696 * 3
    for dims in itertools.permutations(["institution", "county", "trafficked_year"]):
        assert selectors.counts(analyst, dims) == selectors.counts_from_facts(analyst, dims, Filters())


def _regional_analyst(centre_name: str):  # type: ignore[no-untyped-def]
    from atis.accounts.services import user_create_by_system

    return user_create_by_system(
        username="analyst.regional",
        first_name="Analyst",
        last_name="Test",
        email="regional.analyst@example.org",
        password="x-Unused-password-42",
        organisation=Organisation.objects.get(name=centre_name),
        role="analyst",
        scope="centre",
    )


def _every_crossing_is_kept(user, filters_list) -> int:  # type: ignore[no-untyped-def]
    """Every crossing of up to three (not three within one county) is read from kept counts,
    never from the facts, and equals grouping the facts; returns how many were checked."""
    asked = []
    for size in (1, 2, 3):
        for dims in itertools.combinations(selectors.CHOOSABLE, size):
            for filters in filters_list:
                if not (size == 3 and filters.county_id and "county" not in dims):
                    asked.append((dims, filters))
    with CaptureQueriesContext(connection) as queries:
        answers = [selectors.counts(user, dims, filters) for dims, filters in asked]
    assert queries.captured_queries
    assert not [q["sql"] for q in queries.captured_queries if CaseFact._meta.db_table in q["sql"]]
    for (dims, filters), answer in zip(asked, answers, strict=True):
        assert answer == selectors.counts_from_facts(user, dims, filters), (dims, filters)
    return len(asked)


def test_a_regional_reader_gets_every_crossing_of_up_to_three_from_the_centres_counts(
    scene, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    iasi, cluj, vaslui = (County.objects.get(mnemonic=m) for m in ("IS", "CJ", "VS"))
    # Iași county moves to the Cluj centre: its victims stay in the Iași centre's charge, so
    # each centre now sees victims outside its counties, and new Iași victims go to Cluj.
    with django_capture_on_commit_callbacks(execute=True):
        centre_coverage_set(
            actor=scene["admin"].user,
            assignments={iasi: Organisation.objects.get(name="Centrul Regional Cluj-Napoca")},
        )
    victim(scene["coordinator"].user, sex="male", form="forced_begging")
    iasi_analyst = scene["analyst_iasi"].user
    cluj_analyst = _regional_analyst("Centrul Regional Cluj-Napoca")
    assert selectors.counts(iasi_analyst, ["county"]) == {(str(iasi.pk),): 3}
    assert selectors.counts(cluj_analyst, ["county", "sex"]) == {
        (str(iasi.pk), "female"): 2,
        (str(iasi.pk), "male"): 2,
        (str(cluj.pk), "female"): 1,
    }
    for analyst in (iasi_analyst, cluj_analyst):
        filters_list = [Filters(), Filters(year_from=2025, year_to=2025), Filters(county_id=iasi.pk)]
        assert _every_crossing_is_kept(analyst, filters_list) == 696 * 3 - 455
        # A county outside the scope gives nothing, from the kept counts as from the facts.
        assert selectors.counts(analyst, ["sex", "county"], Filters(county_id=vaslui.pk)) == {}


def test_the_centres_counts_follow_coverage_changes_and_rebuilds(scene, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    iasi_centre = Organisation.objects.get(name="Centrul Regional Iași")
    cluj_centre = Organisation.objects.get(name="Centrul Regional Cluj-Napoca")
    cluj = County.objects.get(mnemonic="CJ")
    iasi_analyst = scene["analyst_iasi"].user
    cluj_analyst = _regional_analyst(cluj_centre.name)
    assert selectors.counts(iasi_analyst, ["form", "recruiter", "destination"]) == {
        ("sexual", "unknown", "IT"): 2,
        ("forced_labour", "unknown", "RO"): 1,
    }
    # Cluj county to Iași: the figures follow at once, while the Cluj victims are still to be
    # recounted in the background…
    with django_capture_on_commit_callbacks() as recount:
        centre_coverage_set(actor=scene["admin"].user, assignments={cluj: iasi_centre})
    assert len(recount) == 1
    # As in the next request: the analysts' scope resolved again, with the new coverage.
    iasi_analyst, cluj_analyst = (type(user).objects.get(pk=user.pk) for user in (iasi_analyst, cluj_analyst))
    three_victims_and_cluj = {
        ("sexual", "unknown", "IT"): 2,
        ("forced_labour", "unknown", "RO"): 1,
        ("forced_begging", "unknown", "ES"): 1,
    }
    assert selectors.counts(iasi_analyst, ["form", "recruiter", "destination"]) == three_victims_and_cluj
    # …and after it, from the kept counts. The Cluj victim stays in the Cluj centre's charge.
    recount[0]()
    assert not CoverageMove.objects.filter(finished_at__isnull=True).exists()
    assert selectors.counts(iasi_analyst, ["form", "recruiter", "destination"]) == three_victims_and_cluj
    assert _every_crossing_is_kept(iasi_analyst, [Filters()]) == 696
    assert selectors.counts(cluj_analyst, ["form", "recruiter", "destination"]) == {
        ("forced_begging", "unknown", "ES"): 1
    }
    # And back: nothing left behind either way.
    with django_capture_on_commit_callbacks(execute=True):
        centre_coverage_set(actor=scene["admin"].user, assignments={cluj: cluj_centre})
    iasi_analyst = type(iasi_analyst).objects.get(pk=iasi_analyst.pk)
    assert _every_crossing_is_kept(iasi_analyst, [Filters()]) == 696
    assert selectors.counts(iasi_analyst, ["county"]) == {(str(County.objects.get(mnemonic="IS").pk),): 3}
    for crossing in crossings():
        rows = CentreCrossingCount.objects.filter(dimensions="|".join(crossing))
        assert sum(rows.filter(centre=iasi_centre).values_list("n", flat=True)) == 3
        assert sum(rows.filter(centre=cluj_centre).values_list("n", flat=True)) == 1
    before = selectors.counts(iasi_analyst, ["sex", "county", "recruiter"])
    CentreCrossingCount.objects.all().delete()
    statistics_rebuild()
    assert selectors.counts(iasi_analyst, ["sex", "county", "recruiter"]) == before
    assert not CentreCrossingCount.objects.filter(n__lt=0).exists()


def test_a_victim_moved_to_another_county_moves_between_the_centres_counts(scene) -> None:  # type: ignore[no-untyped-def]
    manager = scene["coordinator"].user
    cluj_analyst = _regional_analyst("Centrul Regional Cluj-Napoca")
    case = Case.objects.filter(trafficking_status="identified", county__mnemonic="IS", person__sex="male").get()
    case_services.case_update(
        actor=manager, case=case, expected_version=case.version, data={"county": County.objects.get(mnemonic="CJ")}
    )
    assert selectors.counts(scene["analyst_iasi"].user, ["sex", "form", "recruiter"]) == {
        ("female", "sexual", "unknown"): 2
    }
    assert selectors.counts(cluj_analyst, ["sex", "form", "recruiter"]) == {
        ("female", "forced_begging", "unknown"): 1,
        ("male", "forced_labour", "unknown"): 1,
    }
    for analyst in (scene["analyst_iasi"].user, cluj_analyst):
        assert _every_crossing_is_kept(analyst, [Filters()]) == 696


def test_kept_crossings_follow_changes_and_rebuilds(scene) -> None:  # type: ignore[no-untyped-def]
    analyst = scene["analyst"].user
    manager = scene["coordinator"].user
    case = victim(manager, county="CJ", sex="male", form="forced_labour", destination="DE")
    case_services.case_update(
        actor=manager, case=case, expected_version=case.version, data={"county": County.objects.get(mnemonic="BV")}
    )
    assert _every_crossing_matches_the_facts(analyst, [Filters()]) == 696
    assert (
        selectors.counts(analyst, ["county", "form", "destination"])[
            (str(County.objects.get(mnemonic="BV").pk), "forced_labour", "DE")
        ]
        == 1
    )
    before = selectors.counts(analyst, ["sex", "county", "recruiter"])
    CrossingCount.objects.all().delete()
    statistics_rebuild()
    assert selectors.counts(analyst, ["sex", "county", "recruiter"]) == before
    # Nothing left behind by the delta: every national crossing adds up to the victims.
    for crossing in crossings():
        assert sum(CrossingCount.objects.filter(dimensions="|".join(crossing)).values_list("n", flat=True)) == 5


def test_an_edit_that_moves_no_figure_leaves_the_counts_alone(scene) -> None:  # type: ignore[no-untyped-def]
    manager = scene["coordinator"].user
    case = Case.objects.filter(trafficking_status="identified").first()
    assert case is not None
    with CaptureQueriesContext(connection) as queries:
        case_services.case_update(actor=manager, case=case, expected_version=case.version, data={"summary": "seen"})
    counts = (FactCount._meta.db_table, CrossingCount._meta.db_table, CentreCrossingCount._meta.db_table)
    assert [q["sql"] for q in queries.captured_queries if any(table in q["sql"] for table in counts)] == []
    # The fact was read, found unchanged and kept.
    assert any(CaseFact._meta.db_table in q["sql"] for q in queries.captured_queries)


def test_a_regional_analyst_counts_only_the_centres_counties(scene) -> None:  # type: ignore[no-untyped-def]
    assert selectors.counts(scene["analyst_iasi"].user, ["county"]) == {(str(County.objects.get(mnemonic="IS").pk),): 3}


@pytest.mark.parametrize("persona", ["manager_iasi", "ngo", "operator", "auditor", "admin", "campaigns"])
def test_roles_without_statistics_see_no_figures(scene, persona) -> None:  # type: ignore[no-untyped-def]
    assert selectors.counts(scene[persona].user, ["sex"]) == {}
    assert not selectors.facts_visible_to(scene[persona].user).exists()


def test_counts_follow_each_change_of_a_case(personas) -> None:  # type: ignore[no-untyped-def]
    manager = personas["coordinator"].user
    analyst = personas["analyst"].user
    case = victim(manager, sex="female")
    case_services.case_update(
        actor=manager, case=case, expected_version=case.version, data={"county": County.objects.get(mnemonic="CJ")}
    )
    assert selectors.counts(analyst, ["county"]) == {(str(County.objects.get(mnemonic="CJ").pk),): 1}
    case.refresh_from_db()
    case_services.person_update(actor=manager, case=case, expected_version=case.person.version, data={"sex": "male"})
    assert selectors.counts(analyst, ["sex"]) == {("male",): 1}
    assert selectors.counts(analyst, ["form", "sex"]) == {("sexual", "male"): 1}
    # The old contribution was taken off, not left behind.
    assert sum(FactCount.objects.filter(dimension="sex").values_list("n", flat=True)) == 1


def test_rebuilding_from_scratch_gives_the_same_counts(scene) -> None:  # type: ignore[no-untyped-def]
    analyst = scene["analyst"].user
    before = {dims: selectors.counts(analyst, list(dims)) for dims in [("sex",), ("form", "sex"), ("county",)]}
    FactCount.objects.all().delete()
    assert statistics_rebuild() == 4
    assert CaseFact.objects.count() == 4
    assert {dims: selectors.counts(analyst, list(dims)) for dims in before} == before


def test_tables_are_labelled_and_totalled(scene, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LANGUAGE_CODE = "en"
    result = selectors.table(scene["analyst"].user, "form", "sex")
    assert result.rows[0] == "Sexual exploitation"
    assert result.total() == 4
    assert result.grid()[-1][-1] == 4
