import sys
from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from atis.lib.rotation import encrypted_fields, reencrypt_model


class Command(BaseCommand):
    help = (
        "Re-encrypts every encrypted field under the first key of ATIS_FIELD_KEYS. Rotate by putting "
        "a new key first, keeping the old ones after it, running this command, then removing the old "
        "keys. Batches commit one by one, so an interrupted run can simply be started again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model, fields in encrypted_fields():
            count = model._default_manager.count()
            with tqdm(
                total=count,
                desc=model._meta.label,
                unit="row",
                file=sys.stderr,
                disable=options["verbosity"] == 0,
            ) as bar:
                for done in reencrypt_model(model, fields):
                    bar.update(done)
                    total += done
        self.stdout.write(f"Re-encrypted {total} rows under the newest key.")
