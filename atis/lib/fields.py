"""Model fields whose values are encrypted at rest (see atis.lib.crypto).

The database column holds only Fernet tokens, so the ORM cannot filter on content: exact
search goes through a separate keyed-hash column (`lookup_hash`), which the domain keeps.
The one comparison that still means something is with the empty string, which is stored
as is: `Q(reason="")` works (database constraints such as "a rejection gives a reason" use it).
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact

from atis.lib import crypto


class EmptyOnlyExact(Exact):  # type: ignore[type-arg]
    """`field=""`: an empty value is stored unencrypted, so "is it empty" can be asked in SQL."""

    def __init__(self, lhs: Any, rhs: Any) -> None:
        if rhs != "":
            raise FieldError("Encrypted fields can only be compared with the empty string.")
        super().__init__(lhs, rhs)


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text encrypted at rest. `max_length` is enforced on the plaintext by forms only."""

    description = "Text encrypted with authenticated encryption"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return self.from_plaintext(crypto.decrypt(value))

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value) if not isinstance(value, datetime.date) else value
        if value is None or value == "":
            return value
        return crypto.encrypt(self.to_plaintext(value))

    def from_plaintext(self, text: str) -> Any:
        return text

    def to_plaintext(self, value: Any) -> str:
        return str(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "exact":
            return EmptyOnlyExact
        if lookup_name != "isnull":
            raise FieldError(f"Encrypted fields cannot be searched with '{lookup_name}'.")
        return super().get_lookup(lookup_name)


class EncryptedCharField(EncryptedTextField):
    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        # A one-line input with the length limit, keeping the label, help and blank=True.
        return super().formfield(**{"widget": forms.TextInput, **kwargs})


class EncryptedDateField(EncryptedTextField):
    def from_plaintext(self, text: str) -> datetime.date:
        return datetime.date.fromisoformat(text)

    def to_plaintext(self, value: Any) -> str:
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        return value.isoformat()

    def to_python(self, value: Any) -> Any:
        if value in (None, "") or isinstance(value, datetime.date):
            return value
        return datetime.date.fromisoformat(str(value))

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return models.Field.formfield(self, **{"form_class": forms.DateField, **kwargs})
