from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import QuerySet


class MembershipBackend(ModelBackend):
    """Permissions come only from the role of the user's active membership.

    Direct per-user grants and superuser shortcuts are ignored on purpose: every right a
    person holds must be visible as a role an administrator assigned.
    """

    def _get_user_permissions(self, user_obj: Any) -> QuerySet[Permission]:
        return Permission.objects.none()

    def _get_group_permissions(self, user_obj: Any) -> QuerySet[Permission]:
        return Permission.objects.filter(
            group__memberships__user=user_obj,
            group__memberships__is_active=True,
            group__memberships__organisation__is_active=True,
        )

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return user_obj.is_active and perm in self.get_all_permissions(user_obj, obj)
