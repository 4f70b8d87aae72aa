"""The combination rule of the ILO/EC operational indicators, on hand-worked cases and as properties."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from atis.screening.rules import (
    Dimension,
    IndicatorList,
    PresentIndicator,
    Strength,
    combine,
    dimension_present,
)

S, M, W = Strength.STRONG, Strength.MEDIUM, Strength.WEAK


def ind(code: str, dimension: str, strength: str) -> PresentIndicator:
    return PresentIndicator(code, dimension, strength)


def test_the_grading_rule_of_one_dimension_follows_the_operational_indicators() -> None:
    assert dimension_present([S, S])
    assert dimension_present([S, M]) and dimension_present([S, W])
    assert dimension_present([M, M, M])
    assert dimension_present([M, M, W])
    assert not dimension_present([S])
    assert not dimension_present([M, M])
    assert not dimension_present([M, W, W, W])
    assert not dimension_present([W, W, W, W, W])


def test_an_adult_deceived_exploited_and_whose_passport_is_kept_is_a_presumed_victim() -> None:
    # Worked from the adult labour list: promised farm work in Italy at a wage that was not paid,
    # 14-hour days, passport taken by the "boss", locked in at night.
    result = combine(
        IndicatorList.ADULT_LABOUR,
        [
            ind("deceived_job_nature", "A", S),
            ind("deceived_conditions", "A", S),
            ind("excessive_hours", "D", S),
            ind("unpaid_or_underpaid", "D", S),
            ind("documents_confiscated", "E", S),
            ind("isolated_or_watched", "E", S),
        ],
    )
    assert result.present_dimensions == {"A", "D", "E"}
    assert result.presumed


def test_an_adult_without_coercion_or_abuse_at_destination_is_not_presumed() -> None:
    result = combine(
        IndicatorList.ADULT_SEXUAL,
        [
            ind("romance_lure", "A", M),
            ind("deceived_job_nature", "A", S),
            ind("forced_sexual_services", "D", S),
            ind("earnings_taken", "D", S),
        ],
    )
    assert result.present_dimensions == {"A", "D"}
    assert not result.presumed
    assert result.missing_groups == (frozenset("EF"),)


def test_a_child_needs_only_recruitment_and_exploitation() -> None:
    present = [
        ind("promised_schooling", "A", S),
        ind("family_misled", "A", M),
        ind("begging_or_crime", "D", S),
        ind("out_of_school", "D", M),
    ]
    assert combine(IndicatorList.CHILD_LABOUR, present).presumed
    assert not combine(IndicatorList.ADULT_LABOUR, present).presumed


def test_one_strong_sign_per_dimension_is_not_enough() -> None:
    result = combine(
        IndicatorList.ADULT_LABOUR,
        [ind("deceived_job_nature", "A", S), ind("excessive_hours", "D", S), ind("debt_bondage", "E", S)],
    )
    assert result.present_dimensions == frozenset()
    assert not result.presumed


indicators = st.lists(
    st.builds(
        PresentIndicator,
        code=st.sampled_from([f"i{n}" for n in range(30)]),
        dimension=st.sampled_from(Dimension.values),
        strength=st.sampled_from(Strength.values),
    ),
    max_size=25,
)
lists = st.sampled_from(IndicatorList.values)


@given(lists, indicators, indicators)
def test_adding_an_indicator_never_removes_a_dimension(indicator_list: str, base: list, extra: list) -> None:  # type: ignore[type-arg]
    before = combine(indicator_list, base)
    after = combine(indicator_list, base + extra)
    assert before.present_dimensions <= after.present_dimensions
    assert not before.presumed or after.presumed


@given(st.sampled_from([IndicatorList.CHILD_LABOUR, IndicatorList.CHILD_SEXUAL]), indicators)
def test_the_child_rule_never_needs_the_means_element(indicator_list: str, present: list) -> None:  # type: ignore[type-arg]
    without_means = [item for item in present if item.dimension not in "EF"]
    result = combine(indicator_list, without_means)
    dims = result.present_dimensions
    assert result.presumed == (bool(dims & set("ABC")) and "D" in dims)


@given(lists, indicators)
def test_the_rule_answers_for_every_combination(indicator_list: str, present: list) -> None:  # type: ignore[type-arg]
    result = combine(indicator_list, present)
    assert len(result.dimensions) == 6
    assert result.presumed == (not result.missing_groups)
