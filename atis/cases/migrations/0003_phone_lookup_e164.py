"""Person.phone_lookup is now the hash of the E.164 form (atis.lib.phones) instead of the
national digits: recompute it from the encrypted phone, or no stored number would be found."""

from django.db import migrations

from atis.lib.crypto import lookup_hash
from atis.lib.phones import normalise_phone, rehash_stored_phones

PURPOSE = "phone"


def _former_form(raw: str) -> str:
    # The normaliser before 0003, kept so that the migration can be reversed.
    digits = "".join(ch for ch in raw if ch.isdigit())
    if digits.startswith("0040"):
        digits = digits[4:]
    elif digits.startswith("40") and len(digits) == 11:
        digits = digits[2:]
    if len(digits) == 9:
        digits = "0" + digits
    return digits


def forwards(apps, schema_editor):
    rehash_stored_phones(
        apps.get_model("cases", "Person"),
        phone_field="phone",
        lookup_field="phone_lookup",
        hasher=lambda phone: lookup_hash(normalise_phone(phone), purpose=PURPOSE),
    )


def backwards(apps, schema_editor):
    rehash_stored_phones(
        apps.get_model("cases", "Person"),
        phone_field="phone",
        lookup_field="phone_lookup",
        hasher=lambda phone: lookup_hash(_former_form(phone), purpose=PURPOSE),
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_list_indexes")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
