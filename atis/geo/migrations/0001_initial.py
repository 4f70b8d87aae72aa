import django.db.models.deletion
from django.db import migrations, models


def load_counties(apps, schema_editor):
    # Historical models: the current ones may have moved on since this migration.
    from atis.geo.reference import load_counties as load

    load(apps.get_model("geo", "DevelopmentRegion"), apps.get_model("geo", "County"))


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="DevelopmentRegion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.PositiveSmallIntegerField(unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=60, unique=True, verbose_name="name")),
            ],
            options={
                "ordering": ["code"],
                "verbose_name": "development region",
                "verbose_name_plural": "development regions",
            },
        ),
        migrations.CreateModel(
            name="County",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("iso_code", models.CharField(max_length=5, unique=True, verbose_name="ISO 3166-2 code")),
                ("mnemonic", models.CharField(max_length=2, unique=True, verbose_name="abbreviation")),
                ("name", models.CharField(max_length=60, unique=True, verbose_name="name")),
                ("siruta_code", models.PositiveIntegerField(unique=True, verbose_name="SIRUTA code")),
                ("ins_code", models.PositiveSmallIntegerField(unique=True, verbose_name="INS county code")),
                (
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="counties",
                        to="geo.developmentregion",
                        verbose_name="development region",
                    ),
                ),
            ],
            options={"ordering": ["name"], "verbose_name": "county", "verbose_name_plural": "counties"},
        ),
        migrations.RunPython(load_counties, migrations.RunPython.noop),
    ]
