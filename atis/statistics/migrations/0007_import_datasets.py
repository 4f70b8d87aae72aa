"""Imports that keep every figure and say what they did.

Each CTDC import becomes a dataset (its ImportRun): records point to it instead of carrying a
release label, so the comparison reads one release, never their sum. Records already imported
are attached to one dataset per release label, created here. GLOTIP keys may hold several
figures (a conflict in the source file), each with its line. Earlier imports were all
successful ones (a refused file left no row), hence status "done" for them.
"""

from __future__ import annotations

import uuid
from typing import Any

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def attach_records_to_datasets(apps: Any, schema_editor: Any) -> None:
    ImportRun = apps.get_model("statistics", "ImportRun")
    CtdcRecord = apps.get_model("statistics", "CtdcRecord")
    for run in ImportRun.objects.filter(public_id__isnull=True):
        run.public_id = uuid.uuid4()
        run.save(update_fields=["public_id"])
    for release in CtdcRecord.objects.values_list("release", flat=True).distinct():
        run = ImportRun.objects.filter(source="ctdc", file_name__contains=release).order_by(
            "-started_at"
        ).first() or ImportRun.objects.create(source="ctdc", file_name=release, public_id=uuid.uuid4(), status="done")
        run.release, run.layout = release, "ctdc_global"
        run.save(update_fields=["release", "layout"])
        ImportRun.objects.filter(source="ctdc", release=release).exclude(pk=run.pk).update(status="replaced")
        records = CtdcRecord.objects.filter(release=release)
        for number, pk_key in enumerate(records.order_by("pk").values_list("pk", "row_key").iterator(), start=2):
            pk, key = pk_key
            CtdcRecord.objects.filter(pk=pk).update(run=run, line=int(key) + 1 if key.isdigit() else number)


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0006_centre_crossing_counts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="importrun",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="importrun",
            name="layout",
            field=models.CharField(
                blank=True,
                choices=[
                    ("glotip", "UNODC GLOTIP series"),
                    ("ctdc_global", "CTDC global dataset (k-anonymised, countries)"),
                    ("ctdc_synthetic", "CTDC global synthetic dataset"),
                    ("ctdc_vp", "CTDC victim-perpetrator synthetic dataset (UN regions)"),
                ],
                max_length=16,
                verbose_name="layout",
            ),
        ),
        migrations.AddField(
            model_name="importrun",
            name="release",
            field=models.CharField(blank=True, max_length=20, verbose_name="release"),
        ),
        migrations.AddField(
            model_name="importrun",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "waiting"),
                    ("running", "being imported"),
                    ("done", "imported"),
                    ("refused", "refused"),
                    ("failed", "failed"),
                    ("replaced", "replaced by a later import of the same release"),
                ],
                default="done",
                max_length=8,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="importrun",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "waiting"),
                    ("running", "being imported"),
                    ("done", "imported"),
                    ("refused", "refused"),
                    ("failed", "failed"),
                    ("replaced", "replaced by a later import of the same release"),
                ],
                default="pending",
                max_length=8,
                verbose_name="status",
            ),
        ),
        migrations.AddField(model_name="importrun", name="message", field=models.CharField(blank=True, max_length=500)),
        migrations.AddField(
            model_name="importrun", name="stored_name", field=models.CharField(blank=True, max_length=80)
        ),
        migrations.AlterField(model_name="importrun", name="sha256", field=models.CharField(blank=True, max_length=64)),
        migrations.AddField(
            model_name="importrun", name="finished_at", field=models.DateTimeField(blank=True, null=True)
        ),
        migrations.AddField(
            model_name="importrun",
            name="rows_conflicting",
            field=models.PositiveIntegerField(default=0, verbose_name="conflicting figures"),
        ),
        migrations.AddField(
            model_name="importrun",
            name="rows_repeated",
            field=models.PositiveIntegerField(default=0, verbose_name="repeated figures"),
        ),
        migrations.AddField(
            model_name="importrun",
            name="published_rows",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="published count"),
        ),
        migrations.AddField(model_name="importrun", name="errors", field=models.JSONField(blank=True, default=list)),
        migrations.AddField(
            model_name="importrun",
            name="requested_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="ctdcrecord",
            name="run",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="statistics.importrun",
            ),
        ),
        migrations.AddField(model_name="ctdcrecord", name="line", field=models.PositiveIntegerField(default=0)),
        migrations.RunPython(attach_records_to_datasets, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="importrun",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="ctdcrecord",
            name="run",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="statistics.importrun",
            ),
        ),
        migrations.AlterField(model_name="ctdcrecord", name="line", field=models.PositiveIntegerField()),
        migrations.RemoveConstraint(model_name="ctdcrecord", name="statistics_ctdcrecord_one_row"),
        migrations.RemoveField(model_name="ctdcrecord", name="release"),
        migrations.RemoveField(model_name="ctdcrecord", name="row_key"),
        migrations.AddConstraint(
            model_name="ctdcrecord",
            constraint=models.UniqueConstraint(fields=("run", "line"), name="statistics_ctdcrecord_one_line"),
        ),
        migrations.AlterField(
            model_name="ctdcrecord", name="gender", field=models.CharField(blank=True, max_length=40)
        ),
        migrations.AddField(model_name="ctdcrecord", name="period", field=models.CharField(blank=True, max_length=9)),
        migrations.AddField(model_name="ctdcrecord", name="majority", field=models.CharField(blank=True, max_length=8)),
        migrations.AddField(
            model_name="ctdcrecord", name="citizenship_region", field=models.CharField(blank=True, max_length=20)
        ),
        migrations.AddField(
            model_name="ctdcrecord", name="exploitation_region", field=models.CharField(blank=True, max_length=20)
        ),
        migrations.AddField(model_name="ctdcrecord", name="perpetrator_roles", field=models.JSONField(default=list)),
        migrations.AddField(
            model_name="ctdcrecord", name="perpetrator_gender", field=models.CharField(blank=True, max_length=20)
        ),
        migrations.AddField(
            model_name="ctdcrecord", name="perpetrator_age", field=models.CharField(blank=True, max_length=40)
        ),
        migrations.AddField(
            model_name="ctdcrecord", name="perpetrator_region", field=models.CharField(blank=True, max_length=60)
        ),
        migrations.AddField(
            model_name="ctdcrecord", name="paid_perpetrator", field=models.CharField(blank=True, max_length=8)
        ),
        migrations.RemoveConstraint(model_name="glotipvalue", name="statistics_glotipvalue_one_figure"),
        migrations.AddField(
            model_name="glotipvalue",
            name="run",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="statistics.importrun"
            ),
        ),
        migrations.AddField(
            model_name="glotipvalue",
            name="line",
            field=models.PositiveIntegerField(default=0, verbose_name="line"),
        ),
        migrations.AddField(model_name="glotipvalue", name="conflicting", field=models.BooleanField(default=False)),
        migrations.AddIndex(
            model_name="glotipvalue",
            index=models.Index(fields=["iso3", "year"], name="statistics_glotip_country"),
        ),
        migrations.AddConstraint(
            model_name="importrun",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["pending", "running", "done", "refused", "failed", "replaced"])),
                name="statistics_importrun_status_valid",
            ),
        ),
        migrations.AddIndex(
            model_name="importrun",
            index=models.Index(fields=["source", "status", "release"], name="statistics_import_datasets"),
        ),
    ]
