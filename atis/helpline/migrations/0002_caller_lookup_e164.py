"""Contact.caller_lookup is now the hash of the E.164 form (atis.lib.phones) instead of the
former national/00 digits: recompute it where the caller agreed that the number be kept.

A contact that kept only the hash (the caller did not agree) cannot be recomputed: its number
is known nowhere. It is left as it is, so a new call from that number is no longer recognised
as a repeat of those earlier contacts; contacts taken from now on are.
"""

from django.db import migrations

from atis.lib.crypto import lookup_hash
from atis.lib.phones import phone_hash, rehash_stored_phones

PURPOSE = "helpline-caller"


def _former_form(raw: str) -> str:
    # The normaliser before 0002, kept so that the migration can be reversed.
    raw = raw.strip()
    digits = "".join(ch for ch in raw if ch.isdigit())
    if raw.startswith("+"):
        digits = "00" + digits
    if digits.startswith("0040"):
        digits = "0" + digits[4:]
    elif digits.startswith("40") and len(digits) == 11:
        digits = "0" + digits[2:]
    elif len(digits) == 9 and not digits.startswith("0"):
        digits = "0" + digits
    return digits


def forwards(apps, schema_editor):
    rehash_stored_phones(
        apps.get_model("helpline", "Contact"),
        phone_field="caller_phone",
        lookup_field="caller_lookup",
        hasher=lambda phone: phone_hash(phone, purpose=PURPOSE),
    )


def backwards(apps, schema_editor):
    rehash_stored_phones(
        apps.get_model("helpline", "Contact"),
        phone_field="caller_phone",
        lookup_field="caller_lookup",
        hasher=lambda phone: lookup_hash(_former_form(phone), purpose=PURPOSE),
    )


class Migration(migrations.Migration):
    dependencies = [("helpline", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
