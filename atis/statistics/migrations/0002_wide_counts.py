"""Counts of the two wider cubes (form × sex × minor, and the victims' profile), computed once
from the facts already there; from now on `refresh_case_facts` keeps them by delta."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

# As in atis.statistics.services.WIDE when this migration was written.
WIDE = (
    ("form", "sex", "minor"),
    ("sex", "minor", "age_band", "scope", "settlement", "assisted"),
)


def add_wide_counts(apps: Any, schema_editor: Any) -> None:
    facts = apps.get_model("statistics", "CaseFact")._meta.db_table
    counts = apps.get_model("statistics", "FactCount")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        for dimensions in WIDE:
            value = " || '|' || ".join(f"COALESCE(CAST({name} AS VARCHAR(60)), 'unknown')" for name in dimensions)
            cursor.execute(
                f"INSERT INTO {counts} (dimension, value, year, county_id, centre_id, n) "  # noqa: S608 - fixed names
                f"SELECT %s, {value}, identified_year, county_id, centre_id, COUNT(*) FROM {facts} "
                f"GROUP BY {value}, identified_year, county_id, centre_id",
                ["|".join(dimensions)],
            )


def remove_wide_counts(apps: Any, schema_editor: Any) -> None:
    FactCount = apps.get_model("statistics", "FactCount")
    FactCount.objects.filter(dimension__in=["|".join(dimensions) for dimensions in WIDE]).delete()


class Migration(migrations.Migration):
    dependencies = [("statistics", "0001_initial")]

    operations = [
        # The profile cube's name (its six dimensions joined) is longer than 40 characters.
        migrations.AlterField(model_name="factcount", name="dimension", field=models.CharField(max_length=80)),
        migrations.RunPython(add_wide_counts, remove_wide_counts),
    ]
