"""Free text that can name a person is now encrypted like the identity fields (issue 24):
the columns become text holding Fernet tokens, and the rows already there are encrypted."""

from django.db import migrations

import atis.lib.fields
from atis.lib.rotation import decrypt_to_plain_columns, encrypt_plain_columns

FIELDS = {"Activity": ["summary"], "Decision": ["text"], "DecisionUpdate": ["note"], "Meeting": ["agenda"]}


def forwards(apps, schema_editor):
    for model_name, field_names in FIELDS.items():
        encrypt_plain_columns(apps.get_model("cooperation", model_name), field_names)


def backwards(apps, schema_editor):
    for model_name, field_names in FIELDS.items():
        decrypt_to_plain_columns(apps.get_model("cooperation", model_name), field_names)


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0002_agreement_documents"),
    ]

    operations = [
        migrations.AlterField(
            model_name="activity",
            name="summary",
            field=atis.lib.fields.EncryptedTextField(blank=True, verbose_name="summary"),
        ),
        migrations.AlterField(
            model_name="decision",
            name="text",
            field=atis.lib.fields.EncryptedCharField(max_length=500, verbose_name="decision"),
        ),
        migrations.AlterField(
            model_name="decisionupdate",
            name="note",
            field=atis.lib.fields.EncryptedCharField(max_length=500, verbose_name="follow-up"),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="agenda",
            field=atis.lib.fields.EncryptedTextField(verbose_name="agenda"),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
