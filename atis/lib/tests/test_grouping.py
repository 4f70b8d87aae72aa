from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from atis.lib.grouping import OTHER, SMALL_COUNT_THRESHOLD, group_small_counts


def test_rare_categories_are_folded_into_other_which_comes_last() -> None:
    counts = {"IT": 40, "DE": 12, "NO": 1, "MT": 4, "other": 2, "ES": 0}
    assert group_small_counts(counts) == [("IT", 40), ("DE", 12), (OTHER, 7)]


def test_nothing_rare_means_no_other_line() -> None:
    assert group_small_counts([("a", SMALL_COUNT_THRESHOLD), ("b", 9)]) == [("b", 9), ("a", SMALL_COUNT_THRESHOLD)]


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.integers(min_value=0, max_value=50)))
def test_the_total_is_kept_and_no_published_category_is_small(counts: dict[str, int]) -> None:
    grouped = group_small_counts(counts)
    assert sum(count for _key, count in grouped) == sum(counts.values())
    assert all(count >= SMALL_COUNT_THRESHOLD for key, count in grouped if key != OTHER)
