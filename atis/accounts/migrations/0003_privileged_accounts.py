"""Privileged accounts (issue 24): a role that opens identities waits for a second person's
approval; a password an administrator sets is temporary; enrolling an authenticator needs a
one-time code; authenticator secrets move from django-otp's table, where they were in plain,
to `Authenticator`, where they are encrypted like identity fields."""

import django.db.models.deletion
import django_otp.plugins.otp_totp.models
from django.conf import settings
from django.db import migrations, models

import atis.lib.fields

DEVICE_FIELDS = (
    "user_id",
    "name",
    "confirmed",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "created_at",
    "last_used_at",
    "key",
    "step",
    "t0",
    "digits",
    "tolerance",
    "drift",
    "last_t",
)


def move_devices(source, target):
    """Copy every device (the secret is encrypted on save), then delete the plain copies."""
    for device in source.objects.order_by("pk"):
        target.objects.create(**{name: getattr(device, name) for name in DEVICE_FIELDS})
    source.objects.all().delete()


def forwards(apps, schema_editor):
    move_devices(apps.get_model("otp_totp", "TOTPDevice"), apps.get_model("accounts", "Authenticator"))


def backwards(apps, schema_editor):
    move_devices(apps.get_model("accounts", "Authenticator"), apps.get_model("otp_totp", "TOTPDevice"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("organisations", "0002_organisation_sector"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.CreateModel(
            name="Authenticator",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(help_text="The human-readable name of this device.", max_length=64)),
                ("confirmed", models.BooleanField(default=True, help_text="Is this device ready for use?")),
                (
                    "throttling_failure_timestamp",
                    models.DateTimeField(
                        blank=True,
                        default=None,
                        help_text="A timestamp of the last failed verification attempt. Null if last attempt succeeded.",
                        null=True,
                    ),
                ),
                (
                    "throttling_failure_count",
                    models.PositiveIntegerField(default=0, help_text="Number of successive failed attempts."),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        auto_now_add=True,
                        help_text="The date and time when this device was initially created in the system.",
                        null=True,
                    ),
                ),
                (
                    "last_used_at",
                    models.DateTimeField(
                        blank=True, help_text="The most recent date and time this device was used.", null=True
                    ),
                ),
                (
                    "key",
                    atis.lib.fields.EncryptedCharField(
                        default=django_otp.plugins.otp_totp.models.default_key,
                        max_length=80,
                        validators=[django_otp.plugins.otp_totp.models.key_validator],
                    ),
                ),
                ("step", models.PositiveSmallIntegerField(default=30)),
                ("t0", models.BigIntegerField(default=0)),
                ("digits", models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)),
                ("tolerance", models.PositiveSmallIntegerField(default=1)),
                ("drift", models.SmallIntegerField(default=0)),
                ("last_t", models.BigIntegerField(default=-1)),
            ],
            options={
                "verbose_name": "authenticator",
                "verbose_name_plural": "authenticators",
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="EnrolmentCode",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code_hash", models.CharField(max_length=64, unique=True)),
                ("issued_at", models.DateTimeField(auto_now_add=True)),
                ("expires_at", models.DateTimeField()),
                ("used_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "enrolment code",
                "verbose_name_plural": "enrolment codes",
                "ordering": ["-issued_at"],
            },
        ),
        migrations.AlterModelOptions(
            name="user",
            options={
                "ordering": ["username"],
                "permissions": [
                    ("manage_users", "Can manage users, memberships and roles"),
                    ("approve_memberships", "Can approve a role that opens identities, asked by someone else"),
                ],
                "verbose_name": "user",
                "verbose_name_plural": "users",
            },
        ),
        migrations.AddField(
            model_name="membership",
            name="awaiting_approval",
            field=models.BooleanField(default=False, verbose_name="awaiting approval"),
        ),
        migrations.AddField(
            model_name="membership",
            name="decided_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="membership",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="approved or refused by",
            ),
        ),
        migrations.AddField(
            model_name="membership",
            name="requested_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="requested by",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="password_temporary_until",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.UniqueConstraint(
                condition=models.Q(("awaiting_approval", True)),
                fields=("user",),
                name="accounts_membership_one_pending_per_user",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("awaiting_approval", False),
                    models.Q(("decided_by__isnull", True), ("is_active", False)),
                    _connector="OR",
                ),
                name="accounts_membership_pending_is_inactive",
            ),
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("decided_by__isnull", True),
                    models.Q(
                        models.Q(("decided_by", models.F("requested_by")), _negated=True),
                        models.Q(("decided_by", models.F("user")), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="accounts_membership_decided_by_another",
            ),
        ),
        migrations.AddField(
            model_name="authenticator",
            name="user",
            field=models.ForeignKey(
                help_text="The user that this device belongs to.",
                on_delete=django.db.models.deletion.CASCADE,
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="enrolmentcode",
            name="issued_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="enrolmentcode",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="enrolment_codes", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
