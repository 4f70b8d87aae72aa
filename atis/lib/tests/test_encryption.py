"""Encrypted fields: no plaintext in the database, rotation keeps old rows readable."""

from __future__ import annotations

import datetime

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection, models
from django.test import override_settings

from atis.lib import crypto
from atis.lib.fields import EncryptedCharField, EncryptedDateField, EncryptedTextField


class EncryptedSample(models.Model):
    """Stands for any record with identity fields (cases, HelpLine contacts)."""

    name = EncryptedCharField(max_length=200, blank=True)
    national_id = EncryptedTextField(blank=True)
    born = EncryptedDateField(null=True, blank=True)
    national_id_hash = models.CharField(max_length=64, blank=True, db_index=True)

    objects: models.Manager[EncryptedSample] = models.Manager()

    class Meta:
        app_label = "core"
        db_table = "test_encrypted_sample"

    def __str__(self) -> str:
        return f"sample {self.pk}"


@pytest.fixture
def sample_table(transactional_db):  # type: ignore[no-untyped-def]
    with connection.schema_editor() as editor:
        editor.create_model(EncryptedSample)
    yield
    with connection.schema_editor() as editor:
        editor.delete_model(EncryptedSample)


def _raw_row(pk: int) -> tuple[str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, national_id, born FROM test_encrypted_sample WHERE id = %s", [pk])
        return cursor.fetchone()  # type: ignore[return-value]


def _save(name: str = "Maria Popescu", cnp: str = "2850101123456") -> EncryptedSample:
    return EncryptedSample.objects.create(
        name=name,
        national_id=cnp,
        born=datetime.date(1985, 1, 1),
        national_id_hash=crypto.lookup_hash(cnp, purpose="cnp"),
    )


def test_the_raw_columns_hold_no_plaintext(sample_table) -> None:  # type: ignore[no-untyped-def]
    sample = _save()
    raw = _raw_row(sample.pk)
    for column in raw:
        assert "Maria" not in column and "2850101123456" not in column and "1985" not in column
    loaded = EncryptedSample.objects.get(pk=sample.pk)
    assert (loaded.name, loaded.national_id, loaded.born) == (
        "Maria Popescu",
        "2850101123456",
        datetime.date(1985, 1, 1),
    )


def test_the_same_value_encrypts_differently_each_time(sample_table) -> None:  # type: ignore[no-untyped-def]
    first, second = _save(), _save()
    assert _raw_row(first.pk)[0] != _raw_row(second.pk)[0]


def test_exact_search_goes_through_the_keyed_hash(sample_table) -> None:  # type: ignore[no-untyped-def]
    sample = _save(cnp="1900202223344")
    _save(cnp="2850101123456")
    found = EncryptedSample.objects.get(national_id_hash=crypto.lookup_hash(" 1900202223344 ", purpose="cnp"))
    assert found.pk == sample.pk
    with pytest.raises(FieldError):
        list(EncryptedSample.objects.filter(national_id__contains="1900"))


def test_lookup_hashes_depend_on_the_key_and_the_purpose(settings) -> None:  # type: ignore[no-untyped-def]
    phone = crypto.lookup_hash("0722 123 456", purpose="phone")
    assert phone != crypto.lookup_hash("0722 123 456", purpose="cnp")
    settings.ATIS_LOOKUP_KEY = "another key"
    assert phone != crypto.lookup_hash("0722 123 456", purpose="phone")


def test_rotation_keeps_old_rows_readable_and_reencrypts_them(sample_table, settings) -> None:  # type: ignore[no-untyped-def]
    old_keys = list(settings.ATIS_FIELD_KEYS)
    sample = _save()
    token_under_old_key = _raw_row(sample.pk)[0]

    new_key = Fernet.generate_key().decode()
    with override_settings(ATIS_FIELD_KEYS=[new_key, *old_keys]):
        assert EncryptedSample.objects.get(pk=sample.pk).name == "Maria Popescu"
        call_command("rotate_field_keys", verbosity=0)
        rotated = _raw_row(sample.pk)[0]
        assert rotated != token_under_old_key
        assert Fernet(new_key.encode()).decrypt(rotated.encode()) == b"Maria Popescu"
    # Once the old keys are retired, the rotated row is still readable under the new key alone.
    with override_settings(ATIS_FIELD_KEYS=[new_key]):
        assert EncryptedSample.objects.get(pk=sample.pk).national_id == "2850101123456"
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt(token_under_old_key)
