"""System checks for the security promises in security.md; `check --deploy` runs them too."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.checks import Error, Tags, register
from django.utils.module_loading import import_string

MAX_IDLE_SECONDS = 30 * 60
MAX_ABSOLUTE_SECONDS = 12 * 60 * 60
MAX_RESET_SECONDS = 60 * 60


@register(Tags.security)
def check_sessions(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    if settings.SESSION_COOKIE_AGE > MAX_IDLE_SECONDS or not settings.SESSION_SAVE_EVERY_REQUEST:
        errors.append(
            Error(
                "Sessions must end after at most 30 idle minutes.",
                hint="SESSION_COOKIE_AGE <= 1800 with SESSION_SAVE_EVERY_REQUEST = True.",
                id="atis.E001",
            )
        )
    if getattr(settings, "ATIS_SESSION_ABSOLUTE_SECONDS", MAX_ABSOLUTE_SECONDS + 1) > MAX_ABSOLUTE_SECONDS:
        errors.append(Error("Sessions must end 12 hours after sign-in at most.", id="atis.E002"))
    if settings.PASSWORD_RESET_TIMEOUT > MAX_RESET_SECONDS:
        errors.append(Error("Password reset links must expire within one hour.", id="atis.E003"))
    return errors


@register(Tags.security)
def check_password_hashing(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    first = import_string(settings.PASSWORD_HASHERS[0])
    if not issubclass(first, Argon2PasswordHasher):
        return [
            Error(
                "Passwords must be hashed with Argon2id.", hint="Put Argon2 first in PASSWORD_HASHERS.", id="atis.E004"
            )
        ]
    return []


@register(Tags.security)
def check_content_security_policy(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    directives = getattr(settings, "CONTENT_SECURITY_POLICY", {}).get("DIRECTIVES", {})
    problems = []
    if directives.get("default-src") != ["'self'"]:
        problems.append("default-src must be 'self'")
    if directives.get("frame-ancestors") != ["'none'"]:
        problems.append("frame-ancestors must be 'none'")
    for name in ("script-src", "style-src", "default-src"):
        values = directives.get(name, [])
        if any(value in {"'unsafe-inline'", "'unsafe-eval'", "*"} or value.startswith("http") for value in values):
            problems.append(f"{name} must allow neither inline code, eval nor other hosts")
    return [Error(f"Content Security Policy: {problem}.", id="atis.E005") for problem in problems]
