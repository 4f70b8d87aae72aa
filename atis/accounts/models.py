import uuid

from django.contrib.auth.models import AbstractUser, Group
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _

from atis.lib.scope import ScopeKind
from atis.organisations.models import Organisation


class User(AbstractUser):
    """A staff account. Its role, organisation and scope live in its active Membership."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [("manage_users", _("Can manage users, memberships and roles"))]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def audit_label(self) -> str:
        return self.username


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
