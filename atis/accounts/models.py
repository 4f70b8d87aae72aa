from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser, Group
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key, key_validator

from atis.lib.fields import EncryptedCharField
from atis.lib.scope import ScopeKind
from atis.organisations.models import Organisation


class User(AbstractUser):  # type: ignore[django-manager-missing]  # Authenticator's base is untyped
    """A staff account. Its role, organisation and scope live in its active Membership."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Set when an administrator chose the password: until then it opens only the page where the
    # user chooses their own, once, and not after this moment.
    password_temporary_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("manage_users", _("Can manage users, memberships and roles")),
            ("approve_memberships", _("Can approve a role that opens identities, asked by someone else")),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def audit_label(self) -> str:
        return self.username

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        # A password set the ordinary way (the user's own, a reset link) is not temporary;
        # accounts.services.user_set_password marks an administrator's one after this.
        self.password_temporary_until = None


class Membership(models.Model):
    """A user's place in an organisation, with one role and the scope of records it opens."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("role"))
    scope = models.CharField(_("scope"), max_length=16, choices=ScopeKind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # A role that opens identities (or user management) waits for a second person's approval;
    # until then the membership is inactive and the user keeps their former rights.
    awaiting_approval = models.BooleanField(_("awaiting approval"), default=False)
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("requested by")
    )
    decided_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or refused by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_active", "-created_at"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            # One active membership per user keeps "what may this user see" a single answer.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_active=True),
                name="accounts_membership_one_active_per_user",
            ),
            models.CheckConstraint(
                condition=models.Q(is_active=True, ended_at__isnull=True) | models.Q(is_active=False),
                name="accounts_membership_active_has_no_end",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(awaiting_approval=True),
                name="accounts_membership_one_pending_per_user",
            ),
            models.CheckConstraint(
                condition=Q(awaiting_approval=False) | Q(is_active=False, decided_by__isnull=True),
                name="accounts_membership_pending_is_inactive",
            ),
            # Never the same person: neither the one who asked nor the one it is for.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | (~Q(decided_by=F("requested_by")) & ~Q(decided_by=F("user"))),
                name="accounts_membership_decided_by_another",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role.name})"


class UserSession(AbstractBaseSession):
    """Server-side session that knows its user, so disabling a user can end every session."""

    user_id = models.BigIntegerField(null=True, db_index=True)

    @classmethod
    def get_session_store_class(cls):  # type: ignore[no-untyped-def]
        from atis.accounts.sessions import SessionStore

        return SessionStore


class EnrolmentCode(models.Model):
    """A one-time code an administrator gives the user out of band (in person, by phone), without
    which a password alone cannot enrol an authenticator. Only its keyed hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolment_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    # Empty for the first administrator's code, printed by `manage.py create_admin`.
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("enrolment code")
        verbose_name_plural = _("enrolment codes")

    def __str__(self) -> str:
        return f"enrolment code {self.pk}"


class Authenticator(TimestampMixin, ThrottlingMixin, Device):
    """A TOTP authenticator: django-otp's TOTPDevice with its shared secret encrypted like the
    identity fields (django-otp keeps it in plain, and a copy of the table would give every code)."""

    key = EncryptedCharField(max_length=80, validators=[key_validator], default=default_key)
    step: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(default=30)
    t0: models.BigIntegerField[int, int] = models.BigIntegerField(default=0)
    digits: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(
        choices=[(6, 6), (8, 8)], default=6
    )
    tolerance: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(default=1)
    drift: models.SmallIntegerField[int, int] = models.SmallIntegerField(default=0)
    last_t: models.BigIntegerField[int, int] = models.BigIntegerField(default=-1)

    # The checking itself is django-otp's (throttling, drift, no code used twice), borrowed
    # rather than copied so that its fixes arrive with its releases.
    bin_key = TOTPDevice.bin_key
    verify_token = TOTPDevice.verify_token
    get_throttle_factor = TOTPDevice.get_throttle_factor
    config_url = TOTPDevice.config_url
    _read_str_from_settings = TOTPDevice._read_str_from_settings

    class Meta(Device.Meta):
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")
