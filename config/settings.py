"""atis settings, driven by the environment.

ATIS_MODE chooses the profile:
- ``production`` (the default, so a forgotten variable never opens anything): every secret
  comes from the environment and is validated here, DEBUG is off, cookies are secure.
- ``demo``: what ``make run`` uses. Embedded SQLite under ``var/``, keys generated once
  into ``var/demo-keys.json`` (outside the database), served on loopback only.
- ``test``: what pytest uses. Fixed throw-away keys, eager Celery, plain static storage.
"""

from __future__ import annotations

import json
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from atis.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ATIS_VAR_DIR", str(BASE_DIR / "var")))
SHARED_DIR = Path(env_str("ATIS_SHARED_DIR", str(BASE_DIR.parent / "shared")))

ATIS_MODE = env_str("ATIS_MODE", "production")
if ATIS_MODE not in {"production", "demo", "test"}:
    raise ImproperlyConfigured(f"ATIS_MODE must be production, demo or test, not {ATIS_MODE!r}.")
PRODUCTION = ATIS_MODE == "production"
DEMO = ATIS_MODE == "demo"
TESTING = ATIS_MODE == "test"


def _demo_keys() -> dict[str, str]:
    """Keys for the embedded demo, created once and kept beside the database, never in it."""
    path = VAR_DIR / "demo-keys.json"
    if path.exists():
        return dict(json.loads(path.read_text()))
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    keys = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ATIS_FIELD_KEYS": Fernet.generate_key().decode(),
        "ATIS_LOOKUP_KEY": secrets.token_urlsafe(32),
        "ATIS_AUDIT_KEY": secrets.token_urlsafe(32),
    }
    path.write_text(json.dumps(keys, indent=2))
    path.chmod(0o600)
    return keys


_TEST_KEYS = {
    "SECRET_KEY": "test-only-secret-key-" + "x" * 40,
    # Two keys so every test run exercises reading under a rotated key list.
    "ATIS_FIELD_KEYS": "Yq3dGm6d2u8E0l0pX1n9bUj1tY7oQ3x2mJ4m1x6HqzQ=,Fq9b5Yh6pX5oE7iWc3b4m2T8rZ0yK1nV6sQ4dJ7aLhU=",
    "ATIS_LOOKUP_KEY": "test-lookup-key",
    "ATIS_AUDIT_KEY": "test-audit-key",
}


def _secret(name: str) -> str:
    if TESTING:
        return env_str(name, _TEST_KEYS[name])
    if DEMO:
        return env_str(name, _demo_keys()[name])
    return env_str(name, required=True)


SECRET_KEY = _secret("SECRET_KEY")
if PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")

# Field encryption: comma-separated Fernet keys, newest first. Old keys stay readable until
# `manage.py rotate_field_keys` has re-encrypted every row under the first one.
ATIS_FIELD_KEYS = [key.strip() for key in _secret("ATIS_FIELD_KEYS").split(",") if key.strip()]
for _key in ATIS_FIELD_KEYS:
    try:
        Fernet(_key.encode())
    except ValueError:
        raise ImproperlyConfigured(
            "ATIS_FIELD_KEYS must hold Fernet keys (32 url-safe base64-encoded bytes each)."
        ) from None
ATIS_LOOKUP_KEY = _secret("ATIS_LOOKUP_KEY")
ATIS_AUDIT_KEY = _secret("ATIS_AUDIT_KEY")

DEBUG = DEMO and env_bool("ATIS_DEBUG", False)

# The demo serves on loopback only; see the Makefile's `run` target.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", required=True) if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "atis.core",
    "atis.geo",
    "atis.accounts",
    "atis.organisations",
    "atis.audit",
    "atis.codelists",
    "atis.cases",
    "atis.assistance",
    "atis.helpline",
    "atis.knowledge",
    "atis.agencies",
    "atis.screening",
    "atis.cooperation",
    "atis.library",
    "atis.portal",
    "atis.strategy",
    "atis.campaigns",
    "atis.statistics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "atis.lib.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "atis.accounts.middleware.SessionLifetimeMiddleware",
    "atis.lib.access.AccessMiddleware",
    "atis.audit.middleware.RefusalAuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "atis.lib.middleware.NoStoreForAuthenticatedMiddleware",
    # Last, so it counts failures after every other middleware has answered.
    "axes.middleware.AxesMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "atis" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "atis.core.context_processors.atis",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
_default_db = f"sqlite:///{VAR_DIR / 'atis.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", None if PRODUCTION else _default_db, required=PRODUCTION)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the
    # start of a transaction, so concurrent writers queue instead of failing mid-way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "atis.accounts.backends.MembershipBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "atis.accounts.hashers.TestArgon2PasswordHasher" if TESTING else "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "atis.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "atis.accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "atis.accounts.validators.ContextWordsValidator"},
    # zxcvbn's estimate, 0 (guessed at once) to 4; 3 resists an offline attack on a slow hash.
    {
        "NAME": "atis.accounts.validators.GuessabilityValidator",
        "OPTIONS": {"min_score": env_int("ATIS_PASSWORD_MIN_SCORE", 3)},
    },
]
PASSWORD_RESET_TIMEOUT = 3600

# Lockout: 5 failures for one account within 15 minutes (security.md).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Reverse proxies in front of the application (X-Forwarded-For entries to skip from the
# right); one function reads the client's address for the audit log, axes and rate limits.
ATIS_PROXY_COUNT = env_int("ATIS_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "atis.lib.client_ip.client_ip"
RATELIMIT_IP_META_KEY = "atis.lib.client_ip.client_ip"
# axes.W006 wants the IP address in the lockout key. security.md asks for a lockout per
# account: an attacker rotating addresses still hits the same account's counter, while
# locking by IP would lock out a whole regional centre behind one NAT address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

OTP_TOTP_ISSUER = "atis"

# --- Sessions and cookies -------------------------------------------------------------
SESSION_ENGINE = "atis.accounts.sessions"
SESSION_COOKIE_AGE = 30 * 60  # idle timeout: every request pushes expiry 30 minutes ahead
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
ATIS_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- binds the cookie to this exact host, over HTTPS, for every path.
    SESSION_COOKIE_NAME = "__Host-atis-session"
    CSRF_COOKIE_NAME = "__Host-atis-csrf"
    SECURE_SSL_REDIRECT = env_bool("ATIS_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if ATIS_PROXY_COUNT > 0:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
else:
    SESSION_COOKIE_NAME = "atis-session"
    CSRF_COOKIE_NAME = "atis-csrf"

# --- Headers --------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "ro"
LANGUAGES = [("ro", _("Romanian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "atis" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Bucharest"
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "atis" / "static"]
# plotly.js is served from the plotly wheel (atis.lib.charts), so no copy lives in the repository.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "atis.lib.charts.PlotlyFinder",
]
STATIC_ROOT = Path(env_str("ATIS_STATIC_ROOT", str(VAR_DIR / "static"))) if PRODUCTION else None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if not PRODUCTION
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Private uploads live outside any web root and are served only by authorised views.
# Tests get a throw-away folder so no run leaves files behind.
MEDIA_ROOT = Path(
    env_str("ATIS_MEDIA_ROOT", tempfile.mkdtemp(prefix="atis-test-media-") if TESTING else str(VAR_DIR / "private"))
)
ATIS_ATTACHMENT_MAX_BYTES = env_int("ATIS_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# Django refuses larger request bodies outright (uploads stream to disk below this).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Background jobs ------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0", required=False)
if PRODUCTION:
    REDIS_URL = env_str("REDIS_URL", required=True)
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = not PRODUCTION
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if PRODUCTION
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["atis.lib.access.VerifiedStaffOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": "600/hour"},
    # Signed-in users are throttled by account; this only matters for an anonymous caller.
    "NUM_PROXIES": ATIS_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "atis API",
    "DESCRIPTION": "Information system of the national agency against trafficking in persons.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("ATIS_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

ATIS_HELPLINE = "0800 800 678"
# Exports (case files, audit log, tables) per user; more are refused with 429 and audited.
ATIS_EXPORT_RATE = env_str("ATIS_EXPORT_RATE", "30/h")
# Identity pages and exports per user in a window; past it the second factor is asked again
# and the auditors are alerted (atis.accounts.stepup).
ATIS_READ_BUDGET = env_int("ATIS_READ_BUDGET", 60)
ATIS_READ_BUDGET_SECONDS = env_int("ATIS_READ_BUDGET_SECONDS", 600)
RATELIMIT_VIEW = "atis.core.errors.too_many_requests"
ATIS_DISCLOSURE_THRESHOLD = env_int("ATIS_DISCLOSURE_THRESHOLD", 11)
# Seconds one table's disclosure control may take; past it the table is withheld with a message.
ATIS_DISCLOSURE_TIME_LIMIT = env_int("ATIS_DISCLOSURE_TIME_LIMIT", 2)

if TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
