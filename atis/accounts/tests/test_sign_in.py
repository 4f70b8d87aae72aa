"""Sign-in with both factors, enrolment, lockout, session lifetime, sign-out."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from atis.accounts import services
from atis.accounts.middleware import SIGNED_IN_AT
from atis.accounts.models import Authenticator, UserSession
from atis.audit.models import AuditEntry
from conftest import PASSWORD, current_code, sign_in

pytestmark = pytest.mark.django_db


def _password_step(client: Client, username: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_password_then_code_reaches_the_dashboard(personas) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    response = _password_step(client, "coordinator")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:otp_verify")
    session_key_after_password = client.session.session_key

    response = client.post(reverse("accounts:otp_verify"), {"token": current_code(personas["coordinator"].device)})
    assert response["Location"] == reverse("core:dashboard")
    assert client.session.session_key != session_key_after_password, "the session key must change at sign-in"
    assert client.get(reverse("core:dashboard")).status_code == 200
    actions = list(AuditEntry.objects.filter(actor_label="coordinator").values_list("action", flat=True))
    assert "login.password_ok" in actions and "login.success" in actions


def test_a_correct_password_alone_reaches_nothing(personas) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    _password_step(client, "coordinator")
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:otp_verify")


def test_a_wrong_code_is_refused_and_audited(personas) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    _password_step(client, "coordinator")
    wrong = current_code(personas["coordinator"].device, offset_steps=20)
    response = client.post(reverse("accounts:otp_verify"), {"token": wrong})
    assert response.status_code == 200
    assert "token" in response.context["form"].errors
    assert client.get(reverse("core:dashboard")).status_code == 302
    assert AuditEntry.objects.filter(action="otp.failed", outcome="failure").count() == 1


def test_a_new_user_enrols_an_authenticator_with_a_qr_code(personas) -> None:  # type: ignore[no-untyped-def]
    Authenticator.objects.filter(user=personas["analyst"].user).delete()
    code = services.enrolment_code_issue(actor=personas["admin"].user, user=personas["analyst"].user)
    client = Client()
    response = _password_step(client, "analyst")
    assert response["Location"] == reverse("accounts:otp_enrol")
    client.post(reverse("accounts:otp_enrol"), {"code": code})
    page = client.get(reverse("accounts:otp_enrol"))
    assert page.status_code == 200
    assert page.context["qr_data_uri"].startswith("data:image/svg+xml")
    # The dashboard stays closed until the new authenticator is confirmed.
    assert client.get(reverse("core:dashboard")).status_code == 302
    device = Authenticator.objects.get(user=personas["analyst"].user, confirmed=False)
    response = client.post(reverse("accounts:otp_enrol"), {"token": current_code(device)})
    assert response["Location"] == reverse("core:dashboard")
    device.refresh_from_db()
    assert device.confirmed


def test_five_failures_lock_the_account_and_are_logged(personas) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for _ in range(5):
        _password_step(client, "coordinator", "wrong-password-123")
    # Even the right password is refused now.
    response = _password_step(client, "coordinator")
    assert response.status_code in (403, 429)
    assert "15" in response.content.decode()
    assert AuditEntry.objects.filter(action="login.failed").count() >= 4
    assert AuditEntry.objects.filter(action="login.locked_out").exists()
    assert not client.session.get("_auth_user_id")


def test_an_unknown_account_is_logged_without_the_typed_name(db) -> None:  # type: ignore[no-untyped-def]
    _password_step(Client(), "MySecretPassword!", "whatever-123456")
    entry = AuditEntry.objects.get(action="login.failed")
    assert entry.object_label == "unknown account"
    assert "MySecretPassword" not in str(entry.details)


def test_idle_sessions_end_after_thirty_minutes(personas) -> None:  # type: ignore[no-untyped-def]
    client = sign_in(Client(), personas["coordinator"])
    assert client.get(reverse("core:dashboard")).status_code == 200
    assert settings.SESSION_COOKIE_AGE == 1800 and settings.SESSION_SAVE_EVERY_REQUEST
    session = UserSession.objects.get(user_id=personas["coordinator"].user.pk)
    remaining = (session.expire_date.timestamp() - time.time()) / 60
    assert 29 < remaining <= 30
    # The server forgets the session once its idle expiry has passed.
    UserSession.objects.filter(pk=session.pk).update(expire_date=session.expire_date.replace(year=2000))
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_sessions_end_twelve_hours_after_sign_in_however_active(personas) -> None:  # type: ignore[no-untyped-def]
    client = sign_in(Client(), personas["coordinator"])
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 12 * 3600 - 1
    session.save()
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_sign_out_deletes_the_server_side_session(personas) -> None:  # type: ignore[no-untyped-def]
    client = sign_in(Client(), personas["coordinator"])
    client.get(reverse("core:dashboard"))
    assert UserSession.objects.filter(user_id=personas["coordinator"].user.pk).exists()
    client.post(reverse("accounts:logout"))
    assert not UserSession.objects.filter(user_id=personas["coordinator"].user.pk).exists()
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_disabling_a_user_ends_all_their_sessions(personas, signed_in) -> None:  # type: ignore[no-untyped-def]
    victim_sessions = [sign_in(Client(), personas["coordinator"]) for _ in range(2)]
    for client in victim_sessions:
        assert client.get(reverse("core:dashboard")).status_code == 200
    admin = signed_in("admin")
    url = reverse("accounts:user_set_active", kwargs={"public_id": personas["coordinator"].user.public_id})
    assert admin.post(url, {"active": "0"}).status_code == 302
    assert not UserSession.objects.filter(user_id=personas["coordinator"].user.pk).exists()
    for client in victim_sessions:
        assert client.get(reverse("core:dashboard")).status_code == 302
    assert AuditEntry.objects.filter(action="user.disable").exists()
