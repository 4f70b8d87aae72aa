from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from zxcvbn import zxcvbn

from atis.lib.crypto import normalise_for_lookup

# Words an attacker would try first against this agency's accounts.
CONTEXT_WORDS = (
    "anitp",
    "atis",
    "trafic",
    "traffick",
    "persoane",
    "helpline",
    "0800800678",
    "800678",
    "agentia",
    "agency",
)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with a message our catalogue translates (Django 5.2 changed its wording
    and its Romanian catalogue has not followed)."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short. It must contain at least %(min)d character.",
            "This password is too short. It must contain at least %(min)d characters.",
            self.min_length,
        ) % {"min": self.min_length}


class MaximumLengthValidator:
    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "This password is too long. It must contain at most %(max)d character.",
                    "This password is too long. It must contain at most %(max)d characters.",
                    self.max_length,
                ),
                code="password_too_long",
                params={"max": self.max_length},
            )

    def get_help_text(self) -> str:
        return _("Your password must contain at most %(max)d characters.") % {"max": self.max_length}


class ContextWordsValidator:
    """Refuses passwords built on the agency's name, its mission or the HelpLine number."""

    def validate(self, password: str, user: Any = None) -> None:
        flat = normalise_for_lookup(password).replace("-", "").replace(".", "").replace("_", "")
        if any(word in flat for word in CONTEXT_WORDS):
            raise ValidationError(
                _(
                    "This password contains a word too easy to guess here (the agency's name, "
                    "its mission or the HelpLine number)."
                ),
                code="password_context_word",
            )

    def get_help_text(self) -> str:
        return _("Your password must not contain the agency's name, its mission or the HelpLine number.")


# What zxcvbn is told an attacker would try on these accounts, besides the user's own names.
GUESSABLE_WORDS = (
    *CONTEXT_WORDS,
    "Agenția Națională împotriva Traficului de Persoane",
    "National Agency against Trafficking in Persons",
    "trafficking",
    "traficului",
    "victima",
    "victim",
)


class GuessabilityValidator:
    """Refuses a password an attacker would guess quickly, as zxcvbn estimates it (score 0-4):
    keyboard walks, repeats, sequences and dictionary words, whatever the length. Django's
    list of common passwords holds only 190 of 12 characters or more."""

    def __init__(self, min_score: int = 3) -> None:
        self.min_score = min_score

    def _context(self, user: Any) -> list[str]:
        words = [*GUESSABLE_WORDS, str(getattr(settings, "ATIS_HELPLINE", ""))]
        for attribute in ("username", "first_name", "last_name", "email"):
            value = str(getattr(user, attribute, "") or "")
            words.extend([value, *value.replace("@", " ").replace(".", " ").split()])
        return [word for word in words if word]

    def validate(self, password: str, user: Any = None) -> None:
        # zxcvbn refuses more than 72 characters (its cost grows with the length); the first 72
        # of a longer password are judged, which can only make the estimate stricter.
        score = zxcvbn(password[:72], user_inputs=self._context(user))["score"]
        if score < self.min_score:
            raise ValidationError(
                _(
                    "This password is too easy to guess (keyboard rows, repeats, sequences, names or "
                    "common words). Choose a few unrelated words, for example."
                ),
                code="password_too_guessable",
            )

    def get_help_text(self) -> str:
        return _("Your password must not be easy to guess: a few unrelated words make a strong one.")
