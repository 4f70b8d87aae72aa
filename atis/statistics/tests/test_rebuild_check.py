"""`manage.py statistics_rebuild --check`: says whether the kept figures equal a rebuild,
lists the differences, exits non-zero when there are some, and never changes anything."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from atis.statistics.models import CaseFact, CentreCrossingCount, CrossingCount, FactCount
from atis.statistics.tests.helpers import victim

pytestmark = pytest.mark.django_db


def _everything_kept() -> list[list[tuple[object, ...]]]:
    return [
        sorted(CaseFact.objects.values_list("case_id", "sex", "form", "assisted", "covering_centre_id")),
        sorted(FactCount.objects.values_list("dimension", "value", "year", "county_id", "centre_id", "n")),
        sorted(CrossingCount.objects.values_list("dimensions", "value", "year", "n")),
        sorted(CentreCrossingCount.objects.values_list("centre_id", "dimensions", "value", "year", "n")),
    ]


def _run(*arguments: str) -> tuple[int, str, str]:
    """(exit status, output, error message) as the shell gets them: Django's command runner
    prints a CommandError and exits with its return code (1)."""
    out = io.StringIO()
    try:
        call_command("statistics_rebuild", *arguments, stdout=out, stderr=io.StringIO())
    except CommandError as error:
        return error.returncode, out.getvalue(), str(error)
    return 0, out.getvalue(), ""


@pytest.fixture
def victims(personas):  # type: ignore[no-untyped-def]
    manager = personas["coordinator"].user
    victim(manager, sex="female", form="sexual")
    victim(manager, county="CJ", sex="male", form="forced_labour", scope="internal")
    return personas


def test_the_check_finds_nothing_when_the_services_kept_the_counts(victims) -> None:  # type: ignore[no-untyped-def]
    before = _everything_kept()
    status, out, err = _run("--check")
    assert status == 0
    assert "equal a rebuild (2 identified victims)" in out
    assert err == ""
    assert _everything_kept() == before


def test_the_check_lists_every_difference_exits_non_zero_and_changes_nothing(victims) -> None:  # type: ignore[no-untyped-def]
    # Drift as a forgetful service or a hand edit would leave it: one count too high, a
    # crossing lost, a centre's crossing invented, a victim's fact out of date.
    FactCount.objects.filter(dimension="sex", value="female").update(n=5)
    lost = CrossingCount.objects.filter(dimensions="sex|minor|form").first()
    assert lost is not None
    lost.delete()
    centre_row = CentreCrossingCount.objects.first()
    assert centre_row is not None
    CentreCrossingCount.objects.create(
        centre_id=centre_row.centre_id, dimensions=centre_row.dimensions, value="x|y|z", year=2025, n=3
    )
    fact = CaseFact.objects.get(sex="male")
    CaseFact.objects.filter(pk=fact.pk).update(assisted="yes")
    before = _everything_kept()

    status, out, err = _run("--check")

    assert status == 1
    assert "counts: sex | female | 2025" in out and "kept 5, rebuilt 1" in out
    assert f"national crossings: sex|minor|form | {lost.value} | 2025: kept None, rebuilt 1" in out
    assert (
        f"centres' crossings: {centre_row.centre_id} | {centre_row.dimensions} | x|y|z | 2025: kept 3, rebuilt None"
        in out
    )
    assert f"facts: {fact.pk}:" in out
    assert "differ from a rebuild in 4 row(s)" in err
    assert "centres' crossings: 1, counts: 1, facts: 1, national crossings: 1" in err
    assert "Nothing was changed" in err
    assert _everything_kept() == before

    # A rebuild, then, publishes the rebuilt figures and the check is clean again.
    call_command("statistics_rebuild", stdout=io.StringIO())
    assert _run("--check")[0] == 0
    assert FactCount.objects.get(dimension="sex", value="female").n == 1


def test_a_zero_count_left_by_the_delta_is_no_difference_but_a_missing_one_is(victims) -> None:  # type: ignore[no-untyped-def]
    # The delta leaves a row at 0 when the last victim leaves a cell; a rebuild writes none.
    cell = FactCount.objects.filter(dimension="sex").first()
    assert cell is not None
    FactCount.objects.create(
        dimension="sex", value="unknown", year=2025, county_id=cell.county_id, centre_id=cell.centre_id, n=0
    )
    assert _run("--check")[0] == 0
    FactCount.objects.filter(dimension="form", value="sexual").update(n=0)
    status, _out, error = _run("--check")
    assert status == 1
    assert "1 row(s) (counts: 1)" in error
