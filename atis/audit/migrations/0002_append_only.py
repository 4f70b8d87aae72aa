"""The audit table refuses UPDATE and DELETE at the database itself, on both engines.

Only the table's owner, by switching the trigger off, can change history, and the hash chain
(`manage.py audit_verify`) then shows where.
"""

from django.db import migrations


def forward(apps, schema_editor):
    from atis.audit import triggers

    triggers.create(schema_editor.connection)


def backward(apps, schema_editor):
    from atis.audit import triggers

    triggers.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
