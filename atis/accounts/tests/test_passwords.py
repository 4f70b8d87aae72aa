from __future__ import annotations

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from atis.accounts.models import User
from atis.audit.models import AuditEntry
from conftest import PASSWORD


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


@pytest.mark.parametrize("password", ["123456789012", "aaaaaaaaaaaa", "qwertyuiopas"])
def test_long_but_easily_guessed_passwords_are_refused_in_the_readers_language(password: str) -> None:
    for language, text in (("en", "too easy to guess"), ("ro", "prea ușor de ghicit")):
        with translation.override(language), pytest.raises(ValidationError) as refused:
            validate_password(password, User(username="ioana"))
        assert "password_too_guessable" in [error.code for error in refused.value.error_list]
        assert any(text in message for message in refused.value.messages)


def test_the_users_own_names_count_as_easy_to_guess() -> None:
    user = User(username="ioana.munteanu", first_name="Ioana", last_name="Munteanu", email="ioana@example.org")
    with pytest.raises(ValidationError) as refused:
        validate_password("ioana.munteanu1", user)
    assert "password_too_guessable" in [error.code for error in refused.value.error_list]
    validate_password("ioana.munteanu1", User(username="someone"))


def test_the_minimum_score_is_a_setting(settings) -> None:  # type: ignore[no-untyped-def]
    from atis.accounts.validators import GuessabilityValidator

    GuessabilityValidator(min_score=1).validate("qwertyuiopas", User(username="ioana"))
    with pytest.raises(ValidationError):
        GuessabilityValidator(min_score=4).validate("qwertyuiopas2", User(username="ioana"))


@pytest.mark.parametrize("password", ["Demo-parola-sigura-2026", "Correct-horse-battery-77"])
def test_the_demo_and_test_passwords_still_pass(password: str) -> None:
    validate_password(password, User(username="coordonator", first_name="Elena", last_name="Popa"))


@pytest.mark.django_db
def test_changing_ones_password_asks_for_the_current_one(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("coordinator")
    url = reverse("accounts:password_change")
    new = "seven purple lanterns drifting"
    for posted in ({"password": new}, {"current_password": "not my password", "password": new}):
        response = client.post(url, posted)
        assert response.status_code == 200 and response.context["form"].errors["current_password"]
    user = personas["coordinator"].user
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert AuditEntry.objects.filter(action="user.password_change_refused", outcome="denied").count() == 1
    response = client.post(url, {"current_password": PASSWORD, "password": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
