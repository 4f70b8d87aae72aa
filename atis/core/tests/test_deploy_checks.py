"""`check --deploy` passes with production settings; the custom checks catch weak settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings

from atis.core import checks

ROOT = Path(__file__).resolve().parents[3]


def _production_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ATIS_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env.update(
        ATIS_MODE="production",
        SECRET_KEY="p" * 30 + "-production-secret-key-for-the-check-only",
        DATABASE_URL="sqlite:////tmp/atis-deploy-check.sqlite3",
        ALLOWED_HOSTS="atis.example.ro",
        ATIS_FIELD_KEYS=Fernet.generate_key().decode(),
        ATIS_LOOKUP_KEY="lookup-key-for-the-check",
        ATIS_AUDIT_KEY="audit-key-for-the-check",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    env.update(overrides)
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_production_settings() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_its_secrets() -> None:
    env = _production_env()
    del env["ATIS_AUDIT_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "ATIS_AUDIT_KEY must be set" in result.stderr


def test_production_refuses_a_malformed_encryption_key() -> None:
    result = _manage("check", env=_production_env(ATIS_FIELD_KEYS="not-a-key"))
    assert result.returncode != 0
    assert "ATIS_FIELD_KEYS must hold Fernet keys" in result.stderr


@pytest.mark.parametrize(
    ("setting", "value", "check", "error_id"),
    [
        ("SESSION_COOKIE_AGE", 3600, checks.check_sessions, "atis.E001"),
        ("SESSION_SAVE_EVERY_REQUEST", False, checks.check_sessions, "atis.E001"),
        ("ATIS_SESSION_ABSOLUTE_SECONDS", 24 * 3600, checks.check_sessions, "atis.E002"),
        ("PASSWORD_RESET_TIMEOUT", 86400, checks.check_sessions, "atis.E003"),
        (
            "PASSWORD_HASHERS",
            ["django.contrib.auth.hashers.PBKDF2PasswordHasher"],
            checks.check_password_hashing,
            "atis.E004",
        ),
        (
            "CONTENT_SECURITY_POLICY",
            {
                "DIRECTIVES": {
                    "default-src": ["'self'"],
                    "script-src": ["'self'", "'unsafe-inline'"],
                    "frame-ancestors": ["'none'"],
                }
            },
            checks.check_content_security_policy,
            "atis.E005",
        ),
        (
            "CONTENT_SECURITY_POLICY",
            {"DIRECTIVES": {"default-src": ["'self'"], "frame-ancestors": ["*"]}},
            checks.check_content_security_policy,
            "atis.E005",
        ),
    ],
)
def test_each_custom_check_catches_a_weak_setting(setting, value, check, error_id) -> None:  # type: ignore[no-untyped-def]
    assert check() == []
    with override_settings(**{setting: value}):
        assert error_id in [error.id for error in check()]
