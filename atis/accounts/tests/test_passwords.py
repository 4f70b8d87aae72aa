from __future__ import annotations

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from atis.accounts.models import User


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Short-pass1", "password_too_short"),
        ("x" * 129, "password_too_long"),
        ("password1234", "password_too_common"),
        ("Anitp-Bucuresti-2026", "password_context_word"),
        ("my trafficking pass", "password_context_word"),
        ("call 0800 800 678 now", "password_context_word"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password(password, User(username="ioana"))
    assert code in [error.code for error in refused.value.error_list]


def test_a_long_passphrase_without_composition_rules_is_accepted() -> None:
    validate_password("four quiet rivers under snow", User(username="ioana"))


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2id(personas) -> None:  # type: ignore[no-untyped-def]
    user = personas["admin"].user
    assert user.password.startswith("argon2$argon2id$")
    assert identify_hasher(user.password).algorithm == "argon2"
