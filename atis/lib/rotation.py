"""Re-encrypting every encrypted column under the newest key, after a key was added."""

from __future__ import annotations

from collections.abc import Iterator

from django.apps import apps
from django.db import models, transaction

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
