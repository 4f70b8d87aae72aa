"""Counts of every crossing of three breakdowns, nationally per year, computed once from the
facts already there; from now on `refresh_case_facts` keeps them by delta."""

from __future__ import annotations

import itertools
from typing import Any

from django.db import migrations, models

# As in atis.statistics.services.CROSSED when this migration was written.
CROSSED = (
    "sex",
    "minor",
    "age_band",
    "form",
    "scope",
    "destination",
    "settlement",
    "recruitment",
    "recruiter",
    "institution",
    "duration",
    "assisted",
    "trafficked_year",
    "citizenship",
    "county",
)


def add_crossing_counts(apps: Any, schema_editor: Any) -> None:
    facts = apps.get_model("statistics", "CaseFact")._meta.db_table
    counts = apps.get_model("statistics", "CrossingCount")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        # One grouping of the facts per crossing: a single statement for all 455 would join
        # every fact to every crossing at once.
        for crossing in itertools.combinations(CROSSED, 3):
            value = " || '|' || ".join(
                f"COALESCE(CAST({'county_id' if name == 'county' else name} AS VARCHAR(60)), 'unknown')"
                for name in crossing
            )
            cursor.execute(
                f"INSERT INTO {counts} (dimensions, value, year, n) "  # noqa: S608 - fixed names
                f"SELECT %s, {value}, identified_year, COUNT(*) FROM {facts} GROUP BY {value}, identified_year",
                ["|".join(crossing)],
            )


class Migration(migrations.Migration):
    dependencies = [("statistics", "0003_annual_report")]

    operations = [
        migrations.CreateModel(
            name="CrossingCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("dimensions", models.CharField(max_length=60)),
                ("value", models.CharField(max_length=200)),
                ("year", models.PositiveSmallIntegerField()),
                ("n", models.IntegerField(default=0)),
            ],
            options={
                "default_permissions": (),
                "constraints": [
                    models.UniqueConstraint(
                        fields=("dimensions", "year", "value"), name="statistics_crossingcount_one_cell"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("n__gte", 0)), name="statistics_crossingcount_not_negative"
                    ),
                ],
            },
        ),
        migrations.RunPython(add_crossing_counts, migrations.RunPython.noop),
    ]
