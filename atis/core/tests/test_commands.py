"""The set-up commands: reference data, demo data, the first administrator."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation

from atis.accounts.models import Membership, User
from atis.audit.models import AuditEntry
from atis.core import demo
from atis.core.tests.helpers import row_counts
from conftest import ensure_reference_data

pytestmark = pytest.mark.django_db


def test_demo_data_loads_once_and_a_second_run_changes_nothing() -> None:
    ensure_reference_data()
    output = io.StringIO()
    call_command("seed_demo", "--cases", "0", stdout=output)
    assert "admin" in output.getvalue() and "key " in output.getvalue()
    # One account per role, plus what a domain's demo adds (e.g. one strategy reporter per institution).
    usernames = set(User.objects.values_list("username", flat=True))
    assert {account.username for account in demo.DEMO_ACCOUNTS} <= usernames
    assert Membership.objects.filter(is_active=True).count() == len(usernames)
    before = row_counts()
    call_command("load_reference", stdout=io.StringIO())
    call_command("seed_demo", "--cases", "0", stdout=io.StringIO())
    assert row_counts() == before


def test_demo_data_and_codes_are_refused_in_production() -> None:
    with override_settings(PRODUCTION=True), pytest.raises(CommandError, match="production"):
        call_command("seed_demo", "--cases", "0", stdout=io.StringIO())
    with override_settings(PRODUCTION=True), pytest.raises(CommandError, match="production"):
        call_command("demo_totp", "admin", stdout=io.StringIO())


def test_demo_totp_prints_the_current_code() -> None:
    from atis.accounts.models import Authenticator

    ensure_reference_data()
    call_command("seed_demo", "--cases", "0", stdout=io.StringIO())
    output = io.StringIO()
    call_command("demo_totp", "auditor", stdout=output)
    code = output.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    assert Authenticator.objects.get(user__username="auditor").verify_token(code)


def test_create_admin_makes_the_first_administrator(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ensure_reference_data()
    monkeypatch.setenv("ATIS_ADMIN_PASSWORD", "a long first admin passphrase")
    output = io.StringIO()
    call_command("create_admin", "--username", "root.admin", "--email", "it@anitp.example", stdout=output)
    user = User.objects.get(username="root.admin")
    assert user.has_perm("accounts.manage_users")
    assert AuditEntry.objects.filter(action="user.create", channel="command").exists()
    # Nobody can issue the first administrator an enrolment code: the command prints one.
    from atis.accounts.services import enrolment_code_redeem

    code = output.getvalue().strip().rsplit(" ", 1)[-1]
    assert enrolment_code_redeem(user=user, code=code)


def test_create_admin_refuses_a_weak_password_with_the_reason(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ensure_reference_data()
    monkeypatch.setenv("ATIS_ADMIN_PASSWORD", "short")
    with translation.override("ro"), pytest.raises(CommandError, match="prea scurtă"):
        call_command("create_admin", "--username", "root.admin", "--email", "it@anitp.example")
    assert not User.objects.filter(username="root.admin").exists()
