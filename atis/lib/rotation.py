"""Re-encrypting every encrypted column under the newest key, after a key was added; and
encrypting, in a data migration, a column that used to hold plain text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Cast

from atis.lib import crypto
from atis.lib.fields import EncryptedTextField


def encrypted_fields() -> Iterator[tuple[type[models.Model], list[str]]]:
    for model in apps.get_models():
        names = [field.name for field in model._meta.concrete_fields if isinstance(field, EncryptedTextField)]
        if names:
            yield model, names


def reencrypt_model(model: type[models.Model], field_names: list[str], *, batch_size: int = 500) -> Iterator[int]:
    """Loading decrypts with any listed key; saving encrypts with the first. Yields rows done."""
    pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), batch_size):
        with transaction.atomic():
            batch = list(model._default_manager.select_for_update().filter(pk__in=pks[start : start + batch_size]))
            model._default_manager.bulk_update(batch, field_names)
        yield len(batch)


def _raw_values(model: type[models.Model], field_names: list[str]) -> Iterator[tuple[Any, dict[str, str]]]:
    """Each row's stored text as it is in the column (a token or plaintext), never decrypted."""
    raw = {f"raw_{name}": Cast(name, output_field=models.TextField()) for name in field_names}
    for row in model._base_manager.order_by("pk").annotate(**raw).values("pk", *raw):
        yield row["pk"], {name: row[f"raw_{name}"] or "" for name in field_names}


def _is_token(value: str) -> bool:
    try:
        crypto.decrypt(value)
    except crypto.DecryptionError:
        return False
    return True


def encrypt_plain_columns(model: type[models.Model], field_names: list[str]) -> int:
    """For a data migration that turns plain text columns into encrypted ones: encrypt every
    value still in plain (the field is already encrypted in the migration's state, so saving
    through the ORM encrypts). Values already encrypted are left alone, so it can run twice."""
    changed = 0
    for pk, values in _raw_values(model, field_names):
        plain = {name: value for name, value in values.items() if value and not _is_token(value)}
        if plain:
            model._base_manager.filter(pk=pk).update(**plain)
            changed += 1
    return changed


def decrypt_to_plain_columns(model: type[models.Model], field_names: list[str]) -> int:
    """The reverse of `encrypt_plain_columns`, for migrating back: write the plaintext as is."""
    changed = 0
    for pk, values in _raw_values(model, field_names):
        tokens = {name: value for name, value in values.items() if value and _is_token(value)}
        if tokens:
            plain = {
                name: Value(crypto.decrypt(token), output_field=models.TextField()) for name, token in tokens.items()
            }
            model._base_manager.filter(pk=pk).update(**plain)
            changed += 1
    return changed
