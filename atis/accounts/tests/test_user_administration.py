"""Administrators manage accounts; nobody changes their own role, organisation or scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from atis.accounts import services
from atis.accounts.models import Membership, User, UserSession
from atis.accounts.selectors import scope_of
from atis.audit.models import AuditEntry
from atis.lib.scope import ScopeKind
from atis.organisations.models import Organisation
from conftest import sign_in

pytestmark = pytest.mark.django_db


def _user_url(name: str, user: User) -> str:
    return reverse(name, kwargs={"public_id": user.public_id})


def test_an_administrator_creates_an_account_with_its_membership(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    centre = Organisation.objects.get(name="Centrul Regional Iași")
    response = signed_in("admin").post(
        reverse("accounts:user_create"),
        {
            "username": "new.manager",
            "first_name": "Maria",
            "last_name": "Nou",
            "email": "maria@example.org",
            "password": "long enough passphrase here",
            "organisation": centre.pk,
            "role": "regional_case_manager",
            "scope": "",
            "is_superuser": "on",  # not in the allowlist: ignored
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="new.manager")
    assert not user.is_superuser
    # A case manager sees identities: the role waits for a second person's approval.
    membership = Membership.objects.get(user=user, awaiting_approval=True)
    assert (membership.organisation, membership.role.name, membership.scope) == (
        centre,
        "regional_case_manager",
        "centre",
    )
    assert AuditEntry.objects.filter(action="user.create", object_label="new.manager").exists()


def test_a_bad_form_says_why_in_the_users_language_and_saves_nothing(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    hq = Organisation.objects.get(short_name="ANITP")
    response = signed_in("admin").post(
        "/ro/accounts/users/new/",
        {
            "username": "x",
            "first_name": "A",
            "last_name": "B",
            "email": "a@b.ro",
            "password": "short",
            "organisation": hq.pk,
            "role": "regional_case_manager",
            "scope": "centre",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Vă rugăm să corectați erorile de mai jos. Nu s-a salvat nimic." in content
    assert "Această parolă este prea scurtă" in content
    assert not User.objects.filter(username="x").exists()


def test_a_regional_scope_needs_a_regional_centre(personas) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.membership_change(
            actor=personas["admin"].user,
            user=personas["analyst"].user,
            organisation=Organisation.objects.get(short_name="ANITP"),
            role="analyst",
            scope=ScopeKind.CENTRE,
        )
    assert "scope" in refused.value.message_dict


def test_nobody_changes_their_own_role(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    admin = personas["admin"].user
    with pytest.raises(PermissionDenied):
        services.membership_change(
            actor=admin,
            user=admin,
            organisation=personas["admin"].organisation,
            role="national_coordinator",
            scope=ScopeKind.NATIONAL,
        )
    with pytest.raises(PermissionDenied):
        services.user_set_active(actor=admin, user=admin, active=False)
    client = signed_in("admin")
    assert client.get(_user_url("accounts:user_membership", admin)).status_code == 403
    assert client.post(_user_url("accounts:user_set_active", admin), {"active": "0"}).status_code == 403
    assert Membership.objects.get(user=admin, is_active=True).role.name == "system_admin"


def test_only_administrators_may_manage_accounts_even_through_services(personas) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.user_set_active(actor=personas["coordinator"].user, user=personas["analyst"].user, active=False)


def test_a_role_change_ends_the_users_sessions_and_changes_their_scope(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    analyst = personas["analyst"]
    client = sign_in(Client(), analyst)
    client.get(reverse("core:dashboard"))
    assert scope_of(User.objects.get(pk=analyst.user.pk)).kind == ScopeKind.NATIONAL
    response = signed_in("admin").post(
        _user_url("accounts:user_membership", analyst.user),
        {
            "organisation": Organisation.objects.get(name="Centrul Regional Iași").pk,
            "role": "analyst",
            "scope": "centre",
        },
    )
    assert response.status_code == 302
    assert not UserSession.objects.filter(user_id=analyst.user.pk).exists()
    scope = scope_of(User.objects.get(pk=analyst.user.pk))
    assert scope.kind == ScopeKind.CENTRE and len(scope.county_ids) == 2
    assert Membership.objects.filter(user=analyst.user).count() == 2, "the old membership stays as history"


def test_resetting_the_second_factor_sends_the_user_to_enrolment(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    target = personas["coordinator"]
    signed_in("admin").post(_user_url("accounts:user_reset_otp", target.user))
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "coordinator", "password": "Correct-horse-battery-77"}
    )
    assert response["Location"] == reverse("accounts:otp_enrol")


def test_permissions_come_only_from_the_active_membership(personas) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Permission

    auditor = personas["auditor"].user
    auditor.user_permissions.add(Permission.objects.get(codename="manage_users"))
    auditor = User.objects.get(pk=auditor.pk)
    assert not auditor.has_perm("accounts.manage_users"), "direct grants are ignored"
    assert auditor.has_perm("audit.view_auditentry")
    Membership.objects.filter(user=auditor).update(is_active=False)
    auditor = User.objects.get(pk=auditor.pk)
    assert not auditor.has_perm("audit.view_auditentry")
    assert scope_of(auditor).kind == ScopeKind.NONE
