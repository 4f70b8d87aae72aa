"""Every change to accounts, memberships and roles goes through here, checked and audited."""

from __future__ import annotations

import datetime
import functools
import secrets
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice

from atis.accounts.models import Authenticator, EnrolmentCode, Membership, User, UserSession
from atis.accounts.roles import ROLES, needs_second_approval
from atis.audit.models import Outcome
from atis.audit.services import audit_record
from atis.lib import crypto
from atis.lib.scope import ScopeKind
from atis.organisations.models import Organisation

# A password an administrator chose opens only the page where the user chooses their own, once,
# within this time; an enrolment code given out of band is good for as long.
TEMPORARY_PASSWORD_LIFETIME = datetime.timedelta(hours=24)
ENROLMENT_CODE_LIFETIME = datetime.timedelta(hours=24)
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L to misread over the phone
_CODE_LENGTH = 12  # about 59 bits: guessing is out of reach even without a lockout


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
    """An administrator's new account: the password they chose is temporary, and a role that
    opens identities waits for a second person's approval (the account has no rights until then)."""
    _require_manager(actor)
    user = _user_create(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        password=password,
        organisation=organisation,
        role=role,
        scope=scope,
        requested_by=actor,
    )
    user.password_temporary_until = timezone.now() + TEMPORARY_PASSWORD_LIFETIME
    user.save(update_fields=["password_temporary_until"])
    return user


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
    return _user_create(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        password=password,
        organisation=organisation,
        role=role,
        scope=scope,
        requested_by=None,
    )


def _user_create(
    *,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    organisation: Organisation,
    role: str,
    scope: str | None,
    requested_by: User | None,
) -> User:
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
    audit_record(action="user.create", obj=user, details={"role": role})
    if requested_by is not None and needs_second_approval(role):
        _membership_request(actor=requested_by, user=user, organisation=organisation, role=role, scope=scope)
    else:
        Membership.objects.create(user=user, organisation=organisation, role=Group.objects.get(name=role), scope=scope)
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
    """End the current membership and open a new one; the history stays.

    A role that opens identities (or user management) is only requested here: it takes effect
    when a second person approves it (`membership_approve`), and the user keeps their current
    rights meanwhile. Any other change, a lowering included, takes effect at once.
    """
    _require_manager(actor)
    _require_not_self(actor, user)
    _check_scope(role=role, scope=scope, organisation=organisation)
    if needs_second_approval(role):
        return _membership_request(actor=actor, user=user, organisation=organisation, role=role, scope=scope)
    _withdraw_pending(user)
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


def _membership_request(*, actor: Any, user: User, organisation: Organisation, role: str, scope: str) -> Membership:
    if Membership.objects.filter(user=user, awaiting_approval=True).exists():
        raise ValidationError(
            {"role": _("A change of role for this user already awaits approval. It must be approved or refused first.")}
        )
    membership = Membership.objects.create(
        user=user,
        organisation=organisation,
        role=Group.objects.get(name=role),
        scope=scope,
        is_active=False,
        awaiting_approval=True,
        requested_by=actor,
    )
    audit_record(
        action="user.membership_requested",
        obj=user,
        details={"organisation": organisation.name, "role": role, "scope": scope},
    )
    return membership


def _withdraw_pending(user: User) -> None:
    pending = Membership.objects.filter(user=user, awaiting_approval=True)
    if pending.update(awaiting_approval=False, ended_at=timezone.now()):
        audit_record(action="user.membership_withdrawn", obj=user)


def _pending_for_decision(actor: Any, user: User, action: str) -> Membership:
    """The user's pending membership, if this actor may decide on it: a second person, never
    the one who asked nor the one it is for. A refused attempt is audited before refusing."""
    if not actor.has_perm("accounts.approve_memberships"):
        raise PermissionDenied
    pending = Membership.objects.filter(user=user, awaiting_approval=True).first()
    if pending is None:
        raise ValidationError(_("Nothing awaits approval for this user."))
    if actor.pk in (pending.requested_by_id, user.pk):
        audit_record(action=action, obj=user, outcome=Outcome.DENIED, details={"reason": "same_person"})
        raise PermissionDenied(_("Another person must decide: not the one who asked, nor the one it is for."))
    return pending


def _locked_pending(pending: Membership) -> Membership:
    locked = Membership.objects.select_for_update().filter(pk=pending.pk, awaiting_approval=True).first()
    if locked is None:  # decided by someone else meanwhile
        raise ValidationError(_("Nothing awaits approval for this user."))
    return locked


def _decision_details(pending: Membership) -> dict[str, Any]:
    return {
        "organisation": pending.organisation.name,
        "role": pending.role.name,
        "scope": pending.scope,
        "requested_by": pending.requested_by.username if pending.requested_by else "",
    }


def membership_approve(*, actor: Any, user: User) -> Membership:
    # Checked outside the transaction so that a refused attempt stays in the audit log.
    pending = _pending_for_decision(actor, user, "user.membership_approve")
    with transaction.atomic():
        pending = _locked_pending(pending)
        now = timezone.now()
        Membership.objects.filter(user=user, is_active=True).update(is_active=False, ended_at=now)
        pending.awaiting_approval, pending.is_active = False, True
        pending.decided_by, pending.decided_at = actor, now
        pending.save(update_fields=["awaiting_approval", "is_active", "decided_by", "decided_at"])
        # The new role must not ride on sessions opened under the old one.
        sessions_end_for(user)
        audit_record(action="user.membership_approved", obj=user, details=_decision_details(pending))
    return pending


def membership_refuse(*, actor: Any, user: User) -> Membership:
    pending = _pending_for_decision(actor, user, "user.membership_refuse")
    with transaction.atomic():
        pending = _locked_pending(pending)
        now = timezone.now()
        pending.awaiting_approval, pending.ended_at = False, now
        pending.decided_by, pending.decided_at = actor, now
        pending.save(update_fields=["awaiting_approval", "ended_at", "decided_by", "decided_at"])
        audit_record(action="user.membership_refused", obj=user, details=_decision_details(pending))
    return pending


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
    Authenticator.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    sessions_end_for(user)
    audit_record(action="user.second_factor_reset", obj=user)


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str) -> None:
    """A password the user chose for themselves, or a temporary one an administrator chose:
    that one opens only the page where the user chooses their own, once, within 24 hours."""
    by_administrator = actor.pk != user.pk
    if by_administrator:
        _require_manager(actor)
    validate_password(password, user)
    user.set_password(password)
    user.password_temporary_until = timezone.now() + TEMPORARY_PASSWORD_LIFETIME if by_administrator else None
    user.save(update_fields=["password", "password_temporary_until"])
    if by_administrator:
        sessions_end_for(user)
    audit_record(action="user.password_set", obj=user, details={"temporary": by_administrator})


def temporary_password_expired(user: User) -> bool:
    until = user.password_temporary_until
    return until is not None and until <= timezone.now()


@transaction.atomic
def temporary_password_use(*, user: User) -> None:
    """Signing in with a temporary password uses it up: from now on it opens nothing, and the
    session that used it may only choose a new password."""
    user.set_unusable_password()
    user.save(update_fields=["password"])
    audit_record(action="login.temporary_password_used", obj=user, actor=user)


# --- Authenticators -------------------------------------------------------------------------


def _enrolment_hash(code: str) -> str:
    return crypto.lookup_hash(code, purpose="enrolment-code")


@transaction.atomic
def enrolment_code_issue(*, actor: Any, user: User) -> str:
    """A one-time code for enrolling an authenticator, to be given to the user out of band.
    Returned once (only its keyed hash is kept); any earlier unused code stops working."""
    _require_manager(actor)
    _require_not_self(actor, user)
    return _enrolment_code_new(user=user, issued_by=actor)


@transaction.atomic
def enrolment_code_issue_by_system(*, user: User) -> str:
    """For `manage.py create_admin` only: the first administrator has nobody to issue one."""
    return _enrolment_code_new(user=user, issued_by=None)


def _enrolment_code_new(*, user: User, issued_by: User | None) -> str:
    now = timezone.now()
    EnrolmentCode.objects.filter(user=user, used_at__isnull=True).update(expires_at=now)
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
    EnrolmentCode.objects.create(
        user=user, code_hash=_enrolment_hash(code), issued_by=issued_by, expires_at=now + ENROLMENT_CODE_LIFETIME
    )
    audit_record(action="otp.enrolment_code_issued", obj=user)
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def enrolment_code_redeem(*, user: User, code: str) -> bool:
    """True, and the code used up, when it is this user's, unused and not expired."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    with transaction.atomic():
        found = (
            EnrolmentCode.objects.select_for_update()
            .filter(user=user, code_hash=_enrolment_hash(cleaned), used_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if found is not None:
            found.used_at = timezone.now()
            found.save(update_fields=["used_at"])
            audit_record(action="otp.enrolment_code_used", obj=user, actor=user)
            return True
    audit_record(action="otp.enrolment_code_failed", obj=user, actor=user, outcome=Outcome.FAILURE)
    return False


@transaction.atomic
def totp_device_start(*, user: User) -> Authenticator:
    """An unconfirmed authenticator for enrolment; reuses the pending one if any."""
    device = Authenticator.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = Authenticator.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, user: User, device: Authenticator, token: str) -> bool:
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied
    if not device.verify_token(token):
        audit_record(action="otp.enrol_failed", obj=user, outcome="failure")
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    Authenticator.objects.filter(user=user, confirmed=False).delete()
    audit_record(action="otp.enrolled", obj=user)
    return True
