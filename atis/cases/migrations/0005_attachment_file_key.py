"""Case attachments encrypted at rest under a key per file, wrapped by the field keys.

Files kept before are cleaned (metadata stripped, when their type allows it) and encrypted
under a new name; the old file goes once the migration has committed.
"""

import functools
from typing import Any

from django.core.exceptions import ValidationError
from django.db import migrations, transaction

import atis.lib.fields


def encrypt_kept_files(apps: Any, schema_editor: Any) -> None:
    from atis.cases import attachments
    from atis.lib import uploads

    Attachment = apps.get_model("cases", "Attachment")
    # An encrypted field cannot be filtered on: every row is looked at.
    for attachment in Attachment.objects.order_by("pk").iterator():
        if attachment.file_key:
            continue
        try:
            old = attachments.path_of(attachment.storage_name)
            content = old.read_bytes()
        except (OSError, ValueError):
            continue  # nothing on disk to protect
        try:
            clean = uploads.clean(content, attachment.content_type)
        except ValidationError:
            clean = uploads.CleanFile(content, attachment.content_type)
        stored = attachments.store_clean(clean, encrypt=True)
        attachment.storage_name, attachment.file_key = stored.name, stored.key
        attachment.size, attachment.sha256 = stored.size, stored.sha256
        attachment.save(update_fields=["storage_name", "file_key", "size", "sha256"])
        transaction.on_commit(functools.partial(old.unlink, missing_ok=True))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_free_text_encrypted"),
    ]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="file_key",
            field=atis.lib.fields.EncryptedCharField(blank=True, default="", editable=False, max_length=60),
        ),
        migrations.RunPython(encrypt_kept_files, migrations.RunPython.noop),
    ]
