"""Free text that can name a person is now encrypted like the identity fields (issue 24):
the columns become text holding Fernet tokens, and the rows already there are encrypted."""

from django.db import migrations

import atis.lib.fields
from atis.lib.rotation import decrypt_to_plain_columns, encrypt_plain_columns

FIELDS = {
    "Attachment": ["description"],
    "CaseTask": ["outcome"],
    "Consent": ["notes"],
    "Person": ["languages"],
    "Referral": ["message", "override_reason", "response_reason"],
    "TraffickingEvent": ["place"],
}


def forwards(apps, schema_editor):
    for model_name, field_names in FIELDS.items():
        encrypt_plain_columns(apps.get_model("cases", model_name), field_names)


def backwards(apps, schema_editor):
    for model_name, field_names in FIELDS.items():
        decrypt_to_plain_columns(apps.get_model("cases", model_name), field_names)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_phone_lookup_e164"),
    ]

    operations = [
        migrations.AlterField(
            model_name="attachment",
            name="description",
            field=atis.lib.fields.EncryptedCharField(blank=True, max_length=200, verbose_name="description"),
        ),
        migrations.AlterField(
            model_name="casetask",
            name="outcome",
            field=atis.lib.fields.EncryptedCharField(blank=True, max_length=300, verbose_name="outcome"),
        ),
        migrations.AlterField(
            model_name="consent",
            name="notes",
            field=atis.lib.fields.EncryptedCharField(blank=True, max_length=300, verbose_name="notes"),
        ),
        migrations.AlterField(
            model_name="person",
            name="languages",
            field=atis.lib.fields.EncryptedCharField(blank=True, max_length=120, verbose_name="languages spoken"),
        ),
        migrations.AlterField(
            model_name="referral",
            name="message",
            field=atis.lib.fields.EncryptedCharField(
                blank=True, max_length=500, verbose_name="message to the receiving organisation"
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="override_reason",
            field=atis.lib.fields.EncryptedCharField(
                blank=True, max_length=300, verbose_name="reason for referring without consent"
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="response_reason",
            field=atis.lib.fields.EncryptedCharField(
                blank=True, max_length=300, verbose_name="reason given by the receiver"
            ),
        ),
        migrations.AlterField(
            model_name="traffickingevent",
            name="place",
            field=atis.lib.fields.EncryptedCharField(blank=True, max_length=120, verbose_name="place (abroad)"),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
