"""Test-wide set-up: the test profile, the roles, and one persona per role.

Personas (in the spirit of healthchecks' Alice/Bob/Charlie) are real accounts with an
authenticator; `signed_in(persona)` gives a client that has passed both factors.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

os.environ.setdefault("ATIS_MODE", "test")
os.environ.setdefault("ATIS_VAR_DIR", tempfile.mkdtemp(prefix="atis-test-var-"))

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from atis.accounts.models import Authenticator

PASSWORD = "Correct-horse-battery-77"


@dataclass
class Persona:
    key: str
    user: object
    device: Authenticator
    organisation: object


def ensure_reference_data() -> None:
    """Counties, roles and the agency's centres. Transactional tests flush the database,
    migration data included, so every fixture that needs them asks for them again."""
    from atis.accounts.services import roles_sync
    from atis.codelists.models import Code
    from atis.codelists.reference import load_codes
    from atis.geo.models import County, DevelopmentRegion, Locality
    from atis.geo.reference import load_counties, load_localities
    from atis.organisations.reference import agency_structure_load

    load_counties(DevelopmentRegion, County)
    load_codes(Code)
    if not Locality.objects.exists():
        load_localities(County, Locality)
    roles_sync()
    agency_structure_load()


@pytest.fixture(autouse=True)
def _audit_log_emptied_between_transactional_tests(request, django_db_blocker):  # type: ignore[no-untyped-def]
    """Transactional tests empty every table afterwards, which the append-only audit table
    refuses; its trigger is switched off just for that and on again before the next test."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if not transactional:
        yield
        return
    # Depending on it makes this fixture's teardown run before the flush, not after.
    request.getfixturevalue("transactional_db")
    from django.db import connection

    from atis.audit import triggers

    with django_db_blocker.unblock():
        triggers.set_enabled(connection, True)
    yield
    with django_db_blocker.unblock():
        triggers.set_enabled(connection, False)


@pytest.fixture(autouse=True)
def _default_language():  # type: ignore[no-untyped-def]
    """A request under /en/ leaves English active in the thread; each test starts in Romanian."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    """Rate-limit counters live in the cache; one test's exports must not count against another's."""
    from django.core.cache import cache

    cache.clear()
    yield


# persona key -> (role, organisation name, scope override)
PERSONA_SPECS: dict[str, tuple[str, str, str | None]] = {
    "admin": ("system_admin", "Agenția Națională împotriva Traficului de Persoane", None),
    "coordinator": ("national_coordinator", "Agenția Națională împotriva Traficului de Persoane", None),
    "manager_iasi": ("regional_case_manager", "Centrul Regional Iași", None),
    "manager_cluj": ("regional_case_manager", "Centrul Regional Cluj-Napoca", None),
    "ngo": ("provider_staff", "Test NGO Iași", None),
    "operator": ("helpline_operator", "Agenția Națională împotriva Traficului de Persoane", None),
    "campaigns": ("campaign_officer", "Centrul Regional Cluj-Napoca", None),
    "reporter": ("strategy_reporter", "Test ITM Iași", None),
    "analyst": ("analyst", "Agenția Națională împotriva Traficului de Persoane", None),
    "analyst_iasi": ("analyst", "Centrul Regional Iași", "centre"),
    "auditor": ("auditor", "Agenția Națională împotriva Traficului de Persoane", None),
}
PERSONAS = list(PERSONA_SPECS)


def _test_organisations() -> None:
    from atis.geo.models import County
    from atis.organisations.models import Organisation, OrganisationKind

    iasi = County.objects.get(mnemonic="IS")
    Organisation.objects.get_or_create(name="Test NGO Iași", defaults={"kind": OrganisationKind.NGO, "county": iasi})
    Organisation.objects.get_or_create(
        name="Test ITM Iași", defaults={"kind": OrganisationKind.LABOUR_INSPECTORATE, "county": iasi}
    )
    for mnemonic in ("IS", "CJ"):
        county = County.objects.get(mnemonic=mnemonic)
        Organisation.objects.get_or_create(
            name=f"Test DGASPC {county.name}", defaults={"kind": OrganisationKind.DGASPC, "county": county}
        )
    Organisation.objects.get_or_create(
        name="Test Police Iași", defaults={"kind": OrganisationKind.POLICE, "county": iasi}
    )


@pytest.fixture
def personas(db) -> dict[str, Persona]:  # type: ignore[no-untyped-def]
    from atis.accounts.services import user_create_by_system
    from atis.organisations.models import Organisation

    ensure_reference_data()
    _test_organisations()
    result = {}
    for key, (role, organisation_name, scope) in PERSONA_SPECS.items():
        organisation = Organisation.objects.get(name=organisation_name)
        user = user_create_by_system(
            username=key,
            first_name=key.title(),
            last_name="Test",
            email=f"{key}@example.org",
            password=PASSWORD,
            organisation=organisation,
            role=role,
            scope=scope,
        )
        device = Authenticator.objects.create(user=user, name="test", confirmed=True)
        result[key] = Persona(key, user, device, organisation)
    return result


def sign_in(client: Client, persona: Persona) -> Client:
    """Both factors given, as after a real sign-in (the real flow has its own tests)."""
    client.force_login(persona.user)  # type: ignore[arg-type]
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = persona.device.persistent_id
    session.save()
    return client


@pytest.fixture
def signed_in(personas) -> Callable[[str], Client]:  # type: ignore[no-untyped-def]
    def make(key: str) -> Client:
        return sign_in(Client(), personas[key])

    return make


def current_code(device: Authenticator, offset_steps: int = 0) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"
