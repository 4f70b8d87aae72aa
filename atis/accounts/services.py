"""Every change to accounts, memberships and roles goes through here, checked and audited."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from atis.accounts.models import Membership, User, UserSession
from atis.accounts.roles import ROLES
from atis.audit.models import Outcome
from atis.audit.services import audit_record
from atis.lib.scope import ScopeKind
from atis.organisations.models import Organisation


def _require_manager(actor: Any) -> None:
    if not actor.has_perm("accounts.manage_users"):
        raise PermissionDenied


class OwnAccountRefused(PermissionDenied):
    """An administrator tried to change their own role, status or second factor."""


def _require_not_self(actor: Any, user: User) -> None:
    if actor.pk == user.pk:
        raise OwnAccountRefused(_("Nobody may change their own role, organisation, scope or status."))


def own_account_refused(*, actor: Any, user: User, action: str) -> NoReturn:
    """Refuse, and audit, a privileged change of one's own account."""
    audit_record(action=action, obj=user, actor=actor, outcome=Outcome.DENIED, details={"refused": "own account"})
    raise OwnAccountRefused(_("Nobody may change their own role, organisation, scope or status."))


S = TypeVar("S", bound=Callable[..., Any])


def _audits_own_account_refusal(action: str | Callable[[dict[str, Any]], str]) -> Callable[[S], S]:
    """The refusal is audited after the service's transaction has rolled back, so the entry
    stays (written inside it, it would be undone with the refused change)."""

    def decorate(service: S) -> S:
        @functools.wraps(service)
        def wrapper(**kwargs: Any) -> Any:
            try:
                return service(**kwargs)
            except OwnAccountRefused:
                name = action if isinstance(action, str) else action(kwargs)
                audit_record(
                    action=name,
                    obj=kwargs["user"],
                    actor=kwargs["actor"],
                    outcome=Outcome.DENIED,
                    details={"refused": "own account"},
                )
                raise

        return wrapper  # type: ignore[return-value]

    return decorate


def _check_scope(*, role: str, scope: str, organisation: Organisation) -> None:
    spec = ROLES.get(role)
    if spec is None:
        raise ValidationError({"role": _("Unknown role.")})
    if ScopeKind(scope) not in spec.allowed_scopes:
        raise ValidationError({"scope": _("This scope is not allowed for the role %(role)s.") % {"role": spec.label}})
    if scope == ScopeKind.CENTRE and not organisation.is_regional_centre:
        raise ValidationError({"scope": _("A regional scope needs a regional centre as organisation.")})


@transaction.atomic
def roles_sync() -> int:
    """Make the role groups hold exactly the permissions the registry lists; returns groups changed."""
    changed = 0
    for code, spec in ROLES.items():
        group, created = Group.objects.get_or_create(name=code)
        wanted = set()
        for dotted in spec.permissions:
            app_label, codename = dotted.split(".", 1)
            wanted.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        if created or set(group.permissions.all()) != wanted:
            group.permissions.set(wanted)
            changed += 1
    return changed


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    organisation: Organisation,
    role: str,
    scope: str | None = None,
) -> User:
    _require_manager(actor)
    return user_create_by_system(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        password=password,
        organisation=organisation,
        role=role,
        scope=scope,
    )


@transaction.atomic
def user_create_by_system(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    organisation: Organisation,
    role: str,
    scope: str | None = None,
) -> User:
    """For trusted callers only: the first administrator's command and the demo seed."""
    spec = ROLES.get(role)
    scope = scope or (spec.default_scope if spec else "")
    _check_scope(role=role, scope=scope, organisation=organisation)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("A user with this name already exists.")})
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    Membership.objects.create(user=user, organisation=organisation, role=Group.objects.get(name=role), scope=scope)
    audit_record(action="user.create", obj=user, details={"role": role})
    return user


@transaction.atomic
def user_update(*, actor: Any, user: User, first_name: str, last_name: str, email: str) -> User:
    _require_manager(actor)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "email"])
    audit_record(action="user.update", obj=user)
    return user


@_audits_own_account_refusal("user.membership_change")
@transaction.atomic
def membership_change(*, actor: Any, user: User, organisation: Organisation, role: str, scope: str) -> Membership:
    """End the current membership and open a new one; the history stays."""
    _require_manager(actor)
    _require_not_self(actor, user)
    _check_scope(role=role, scope=scope, organisation=organisation)
    Membership.objects.filter(user=user, is_active=True).update(is_active=False, ended_at=timezone.now())
    membership = Membership.objects.create(
        user=user, organisation=organisation, role=Group.objects.get(name=role), scope=scope
    )
    # The new role must not ride on sessions opened under the old one.
    sessions_end_for(user)
    audit_record(
        action="user.membership_change",
        obj=user,
        details={"organisation": organisation.name, "role": role, "scope": scope},
    )
    return membership


def sessions_end_for(user: User) -> int:
    deleted, _ = UserSession.objects.filter(user_id=user.pk).delete()
    return deleted


@_audits_own_account_refusal(lambda kwargs: "user.enable" if kwargs["active"] else "user.disable")
@transaction.atomic
def user_set_active(*, actor: Any, user: User, active: bool) -> User:
    _require_manager(actor)
    _require_not_self(actor, user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    ended = 0 if active else sessions_end_for(user)
    audit_record(
        action="user.enable" if active else "user.disable",
        obj=user,
        details={"sessions_ended": ended},
    )
    return user


@_audits_own_account_refusal("user.second_factor_reset")
@transaction.atomic
def user_reset_second_factor(*, actor: Any, user: User) -> None:
    """The user enrols a new authenticator at their next sign-in."""
    _require_manager(actor)
    _require_not_self(actor, user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    sessions_end_for(user)
    audit_record(action="user.second_factor_reset", obj=user)


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str) -> None:
    if actor.pk != user.pk:
        _require_manager(actor)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    if actor.pk != user.pk:
        sessions_end_for(user)
    audit_record(action="user.password_set", obj=user)


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator for enrolment; reuses the pending one if any."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied
    if not device.verify_token(token):
        audit_record(action="otp.enrol_failed", obj=user, outcome="failure")
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    audit_record(action="otp.enrolled", obj=user)
    return True
