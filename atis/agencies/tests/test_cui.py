"""The Romanian fiscal code's check digit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from atis.agencies import cui


def test_known_codes() -> None:
    assert cui.parse("18547290") == "18547290"
    assert cui.parse(" ro 18 547 290 ") == "18547290"
    assert cui.parse("18547291") is None
    assert cui.parse("RO") is None
    assert cui.parse("12345678901") is None
    assert cui.parse("abc") is None


@given(st.integers(min_value=1, max_value=999_999_999))
def test_a_completed_number_is_valid_and_any_other_last_digit_is_not(body: int) -> None:
    code = cui.with_check_digit(str(body))
    assert cui.is_valid(code)
    assert cui.is_valid(f"RO{code}")
    wrong = (int(code[-1]) + 1) % 10
    # 10 and 0 share a check digit, so only one last digit is right.
    assert not cui.is_valid(code[:-1] + str(wrong))
