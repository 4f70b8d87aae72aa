"""An administrator alone cannot reach victim data (issue 24, item 3): a role that opens
identities needs a second person's approval, a password an administrator sets works once to
choose a new one, enrolling an authenticator needs a code given out of band, and
authenticator secrets are encrypted at rest."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from atis.accounts import services
from atis.accounts.models import Authenticator, EnrolmentCode, Membership, User
from atis.audit.models import AuditEntry
from atis.lib.rotation import encrypted_fields
from atis.lib.scope import ScopeKind
from atis.organisations.models import Organisation
from conftest import PASSWORD, current_code

pytestmark = pytest.mark.django_db

CHOSEN_BY_ADMIN = "admins own choice of passphrase"
CHOSEN_BY_USER = "a passphrase only the user knows"


def _url(name: str, user: User) -> str:
    return reverse(name, kwargs={"public_id": user.public_id})


def _create_coordinator_as(client: Client) -> User:
    """The drill's first step: an administrator makes a national-coordinator account."""
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "new.coordinator",
            "first_name": "Nou",
            "last_name": "Coordonator",
            "email": "nou@example.org",
            "password": CHOSEN_BY_ADMIN,
            "organisation": Organisation.objects.get(short_name="ANITP").pk,
            "role": "national_coordinator",
            "scope": "",
        },
    )
    assert response.status_code == 302
    return User.objects.get(username="new.coordinator")


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


# --- (a) a second person approves a role that opens identities -----------------------------


def test_a_new_account_that_sees_identities_has_no_rights_until_a_second_person_approves(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    admin = signed_in("admin")
    user = _create_coordinator_as(admin)
    assert not _fresh(user).has_perm("cases.view_identity")
    assert not Membership.objects.filter(user=user, is_active=True).exists()
    assert AuditEntry.objects.filter(action="user.membership_requested", object_label="new.coordinator").exists()

    # The administrator who asked cannot approve it, through the screen or the service.
    assert admin.post(_url("accounts:membership_approve", user)).status_code == 403
    with pytest.raises(PermissionDenied):
        services.membership_approve(actor=personas["admin"].user, user=user)
    assert not _fresh(user).has_perm("cases.view_identity")
    assert AuditEntry.objects.filter(action="user.membership_approve", outcome="denied").count() == 2

    # The national coordinator sees it on the approval screen and approves it.
    coordinator = signed_in("coordinator")
    page = coordinator.get(reverse("accounts:approval_list")).content.decode()
    assert "new.coordinator" in page and _url("accounts:membership_approve", user) in page
    assert coordinator.post(_url("accounts:membership_approve", user)).status_code == 302
    assert _fresh(user).has_perm("cases.view_identity")
    membership = Membership.objects.get(user=user, is_active=True)
    assert (membership.requested_by, membership.decided_by) == (personas["admin"].user, personas["coordinator"].user)
    approved = AuditEntry.objects.get(action="user.membership_approved")
    assert approved.actor_label == "coordinator" and approved.details["requested_by"] == "admin"


def test_a_second_administrator_may_approve_a_raised_role_and_the_old_rights_hold_until_then(
    personas,
) -> None:  # type: ignore[no-untyped-def]
    first_admin = personas["admin"].user
    second_admin = services.user_create_by_system(
        username="admin2",
        first_name="Second",
        last_name="Admin",
        email="admin2@example.org",
        password=PASSWORD,
        organisation=personas["admin"].organisation,
        role="system_admin",
    )
    analyst = personas["analyst"].user
    services.membership_change(
        actor=first_admin,
        user=analyst,
        organisation=Organisation.objects.get(name="Centrul Regional Iași"),
        role="regional_case_manager",
        scope=ScopeKind.CENTRE,
    )
    analyst = _fresh(analyst)
    assert analyst.has_perm("statistics.view_statistics") and not analyst.has_perm("cases.view_identity")

    services.membership_approve(actor=second_admin, user=analyst)
    analyst = _fresh(analyst)
    assert analyst.has_perm("cases.view_identity") and not analyst.has_perm("statistics.view_statistics")


def test_nobody_approves_their_own_raise_and_a_refusal_is_audited(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    operator = personas["operator"].user
    services.membership_change(
        actor=personas["admin"].user,
        user=operator,
        organisation=personas["operator"].organisation,
        role="national_coordinator",
        scope=ScopeKind.NATIONAL,
    )
    with pytest.raises(PermissionDenied):
        services.membership_approve(actor=operator, user=operator)
    page = signed_in("coordinator").get(reverse("accounts:approval_list")).content.decode()
    assert "operator" in page
    assert signed_in("coordinator").post(_url("accounts:membership_refuse", operator)).status_code == 302
    operator = _fresh(operator)
    assert not operator.has_perm("cases.override_consent") and operator.has_perm("helpline.log_contact")
    refused = AuditEntry.objects.get(action="user.membership_refused")
    assert refused.actor_label == "coordinator" and refused.details["role"] == "national_coordinator"
    assert "operator" not in signed_in("coordinator").get(reverse("accounts:approval_list")).content.decode()


def test_a_role_that_opens_no_identities_takes_effect_at_once(personas) -> None:  # type: ignore[no-untyped-def]
    manager = personas["manager_cluj"].user
    services.membership_change(
        actor=personas["admin"].user,
        user=manager,
        organisation=personas["analyst"].organisation,
        role="analyst",
        scope=ScopeKind.NATIONAL,
    )
    manager = _fresh(manager)
    assert manager.has_perm("statistics.view_statistics") and not manager.has_perm("cases.view_identity")


def test_only_approvers_reach_the_approval_screen(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    assert signed_in("admin").get(reverse("accounts:approval_list")).status_code == 200
    assert signed_in("coordinator").get(reverse("accounts:approval_list")).status_code == 200
    assert signed_in("manager_iasi").get(reverse("accounts:approval_list")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.membership_approve(actor=personas["manager_iasi"].user, user=personas["analyst"].user)


# --- (b) a password an administrator sets works once, to choose a new one -------------------


def _password_step(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_a_password_set_by_an_administrator_only_lets_the_user_choose_their_own_once(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    analyst = personas["analyst"]
    signed_in("admin").post(_url("accounts:user_password", analyst.user), {"password": CHOSEN_BY_ADMIN})

    client = Client()
    response = _password_step(client, "analyst", CHOSEN_BY_ADMIN)
    assert response["Location"] == reverse("accounts:password_choose")
    # Nothing else opens with it, not even the second-factor step.
    assert client.get(reverse("accounts:otp_verify"))["Location"] == reverse("accounts:password_choose")
    assert client.get(reverse("core:dashboard")).status_code == 302
    # It worked once: a second sign-in with it is refused.
    assert _password_step(Client(), "analyst", CHOSEN_BY_ADMIN).status_code == 200

    response = client.post(reverse("accounts:password_choose"), {"password": CHOSEN_BY_USER})
    assert response["Location"] == reverse("accounts:otp_verify")
    response = client.post(reverse("accounts:otp_verify"), {"token": current_code(analyst.device)})
    assert response["Location"] == reverse("core:dashboard")
    # The user's own password is an ordinary one.
    assert _password_step(Client(), "analyst", CHOSEN_BY_USER)["Location"] == reverse("accounts:otp_verify")
    assert AuditEntry.objects.filter(action="login.temporary_password_used", actor_label="analyst").count() == 1


def test_a_password_set_by_an_administrator_expires_after_24_hours(personas) -> None:  # type: ignore[no-untyped-def]
    analyst = personas["analyst"].user
    before = timezone.now()
    services.user_set_password(actor=personas["admin"].user, user=analyst, password=CHOSEN_BY_ADMIN)
    until = _fresh(analyst).password_temporary_until
    assert until is not None
    assert before + datetime.timedelta(hours=24) <= until <= timezone.now() + datetime.timedelta(hours=24)

    User.objects.filter(pk=analyst.pk).update(password_temporary_until=timezone.now() - datetime.timedelta(seconds=1))
    response = _password_step(Client(), "analyst", CHOSEN_BY_ADMIN)
    assert response.status_code == 200
    assert "24" in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


# --- (c) enrolling an authenticator needs a one-time code given out of band ------------------


def _enrolment_code_from(admin: Client, user: User) -> str:
    page = admin.post(_url("accounts:user_enrolment_code", user)).content.decode()
    found = re.search(r'<code class="enrolment-code">([A-Z0-9-]+)</code>', page)
    assert found is not None
    return found.group(1)


def test_the_password_alone_does_not_enrol_an_authenticator(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    analyst = personas["analyst"]
    Authenticator.objects.filter(user=analyst.user).delete()
    client = Client()
    assert _password_step(client, "analyst", PASSWORD)["Location"] == reverse("accounts:otp_enrol")
    page = client.get(reverse("accounts:otp_enrol"))
    assert "qr_data_uri" not in page.context and not Authenticator.objects.filter(user=analyst.user).exists()
    assert client.post(reverse("accounts:otp_enrol"), {"code": "ABCD-EFGH-JKMN"}).status_code == 200
    assert not Authenticator.objects.filter(user=analyst.user).exists()
    assert AuditEntry.objects.filter(action="otp.enrolment_code_failed", outcome="failure").count() == 1

    code = _enrolment_code_from(signed_in("admin"), analyst.user)
    # Stored only as a keyed hash.
    assert not EnrolmentCode.objects.filter(code_hash__icontains=code.replace("-", "")).exists()
    assert client.post(reverse("accounts:otp_enrol"), {"code": code.lower()})["Location"] == reverse(
        "accounts:otp_enrol"
    )
    page = client.get(reverse("accounts:otp_enrol"))
    assert page.context["qr_data_uri"].startswith("data:image/svg+xml")
    device = Authenticator.objects.get(user=analyst.user, confirmed=False)
    response = client.post(reverse("accounts:otp_enrol"), {"token": current_code(device)})
    assert response["Location"] == reverse("core:dashboard")

    # Used once: it does not open a second enrolment.
    Authenticator.objects.filter(user=analyst.user).delete()
    other = Client()
    _password_step(other, "analyst", PASSWORD)
    assert other.post(reverse("accounts:otp_enrol"), {"code": code}).status_code == 200


def test_an_enrolment_code_expires_and_a_newer_one_replaces_it(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    analyst = personas["analyst"].user
    admin = signed_in("admin")
    old = _enrolment_code_from(admin, analyst)
    new = _enrolment_code_from(admin, analyst)
    assert not services.enrolment_code_redeem(user=analyst, code=old)
    EnrolmentCode.objects.filter(user=analyst).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert not services.enrolment_code_redeem(user=analyst, code=new)
    # Nor is a code for one user good for another.
    assert not services.enrolment_code_redeem(user=personas["auditor"].user, code=_enrolment_code_from(admin, analyst))


# --- (d) authenticator secrets are encrypted at rest ---------------------------------------


def test_authenticator_secrets_are_encrypted_in_the_database(personas) -> None:  # type: ignore[no-untyped-def]
    device = personas["coordinator"].device
    hex_key = Authenticator.objects.get(pk=device.pk).key
    assert len(hex_key) == 40
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key FROM {Authenticator._meta.db_table} WHERE id = %s", [device.pk])
        raw = cursor.fetchone()[0]
    assert hex_key not in raw and hex_key.upper() not in raw
    # The codes still work.
    assert Authenticator.objects.get(pk=device.pk).verify_token(current_code(device))
    # ... and `manage.py rotate_field_keys` re-encrypts them with the identity fields.
    assert "key" in dict(encrypted_fields())[Authenticator]


def test_the_migration_moves_plain_secrets_into_encrypted_authenticators(personas) -> None:  # type: ignore[no-untyped-def]
    import importlib

    from django_otp.plugins.otp_totp.models import TOTPDevice

    migration = importlib.import_module("atis.accounts.migrations.0003_privileged_accounts")
    Authenticator.objects.filter(user=personas["auditor"].user).delete()
    old = TOTPDevice.objects.create(user=personas["auditor"].user, name="old phone", confirmed=True)
    migration.move_devices(TOTPDevice, Authenticator)
    assert not TOTPDevice.objects.exists()
    moved = Authenticator.objects.get(user=personas["auditor"].user)
    assert (moved.key, moved.name, moved.confirmed) == (old.key, "old phone", True)
    client = Client()
    _password_step(client, "auditor", PASSWORD)
    assert client.post(reverse("accounts:otp_verify"), {"token": current_code(moved)})["Location"] == reverse(
        "core:dashboard"
    )
