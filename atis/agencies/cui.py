"""The Romanian fiscal identification code (CUI/CIF) of a company: 2 to 10 digits, the last
one a check digit. Written with or without the "RO" of VAT payers and with spaces.

Check digit: the digits before it, aligned right, times the key 753217532; the sum times 10
modulo 11 (10 counts as 0) is the check digit.
"""

from __future__ import annotations

import re

_KEY = "753217532"
_SHAPE = re.compile(r"^(?:RO)?(\d{2,10})$")


def normalise(value: str) -> str:
    """Upper case without spaces, dots or dashes: " ro 123 456 " -> "RO123456"."""
    return re.sub(r"[\s.\-]", "", value or "").upper()


def check_digit(body: str) -> int:
    padded = body.rjust(len(_KEY), "0")
    total = sum(int(digit) * int(weight) for digit, weight in zip(padded, _KEY, strict=True))
    digit = total * 10 % 11
    return 0 if digit == 10 else digit


def parse(value: str) -> str | None:
    """The digits of a valid CUI, or None when it is not one."""
    found = _SHAPE.match(normalise(value))
    if found is None:
        return None
    digits = found.group(1)
    if digits[0] == "0" or check_digit(digits[:-1]) != int(digits[-1]):
        return None
    return digits


def is_valid(value: str) -> bool:
    return parse(value) is not None


def with_check_digit(body: str) -> str:
    """Complete a number with its check digit (for demo data and tests)."""
    return f"{body}{check_digit(body)}"
