from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import Group
from django.db.models import QuerySet

from atis.accounts.models import Membership, User
from atis.accounts.roles import ROLES, RoleSpec
from atis.lib.scope import Scope, ScopeKind
from atis.organisations.models import CentreCoverage

_CACHE_ATTR = "_atis_scope"


def active_membership(user: Any) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_atis_membership", False)
    if cached is not False:
        return cast(Membership | None, cached)
    membership = (
        Membership.objects.select_related("organisation", "role")
        .filter(user=user, is_active=True, organisation__is_active=True)
        .first()
    )
    user._atis_membership = membership
    return membership


def role_of(user: Any) -> RoleSpec | None:
    membership = active_membership(user)
    return ROLES.get(membership.role.name) if membership else None


def scope_of(user: Any) -> Scope:
    """What protected records this user may see; nothing unless a membership says otherwise."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope.nothing()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    membership = active_membership(user)
    if membership is None:
        scope = Scope.nothing()
    else:
        kind = ScopeKind(membership.scope)
        counties: frozenset[int] = frozenset()
        if kind == ScopeKind.CENTRE:
            counties = frozenset(
                CentreCoverage.objects.filter(centre_id=membership.organisation_id).values_list("county_id", flat=True)
            )
        scope = Scope(kind=kind, user_id=user.pk, organisation_id=membership.organisation_id, county_ids=counties)
    setattr(user, _CACHE_ATTR, scope)
    return scope


def users_list(*, search: str = "", organisation_id: int | None = None, role: str = "") -> QuerySet[User]:
    users = User.objects.all().prefetch_related("memberships__organisation", "memberships__role")
    if search:
        users = users.filter(username__icontains=search) | users.filter(last_name__icontains=search)
    if organisation_id:
        users = users.filter(memberships__organisation_id=organisation_id, memberships__is_active=True)
    if role:
        users = users.filter(memberships__role__name=role, memberships__is_active=True)
    return users.distinct().order_by("username")


def roles_list() -> list[tuple[RoleSpec, Group | None]]:
    groups = {group.name: group for group in Group.objects.prefetch_related("permissions")}
    return [(spec, groups.get(code)) for code, spec in ROLES.items()]
