"""Synthetic demonstration data: organisations and one account per role.

Idempotent: a second run finds everything in place and changes nothing. Later modules add
their own generators and call them from the `seed_demo` command.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.db import transaction

from atis.accounts import roles
from atis.accounts.models import Authenticator, User
from atis.accounts.services import user_create_by_system
from atis.geo.models import County
from atis.organisations.models import Organisation, OrganisationKind
from atis.organisations.reference import HQ_NAME

DEMO_PASSWORD = "Demo-parola-sigura-2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: str
    organisation: str
    scope: str | None = None


DEMO_ORGANISATIONS: list[tuple[str, str, str, str]] = [
    # name, kind, county mnemonic, country
    ("Inspectoratul General al Poliției Române", OrganisationKind.POLICE, "B", "RO"),
    ("DIICOT – Structura Centrală", OrganisationKind.DIICOT, "B", "RO"),
    ("Inspectoratul General al Poliției de Frontieră", OrganisationKind.BORDER_POLICE, "B", "RO"),
    ("Inspectoratul Teritorial de Muncă Iași", OrganisationKind.LABOUR_INSPECTORATE, "IS", "RO"),
    ("Agenția Județeană pentru Ocuparea Forței de Muncă Iași", OrganisationKind.EMPLOYMENT_AGENCY, "IS", "RO"),
    ("Instituția Prefectului – Județul Iași", OrganisationKind.PREFECTURE, "IS", "RO"),
    ("Asociația Speranța Moldovei (demo)", OrganisationKind.NGO, "IS", "RO"),
    ("Fundația Drum Nou (demo)", OrganisationKind.NGO, "CJ", "RO"),
    ("Asociația Casa Deschisă (demo)", OrganisationKind.NGO, "B", "RO"),
    ("Adăpostul Lumina (demo)", OrganisationKind.SHELTER, "IS", "RO"),
    ("Adăpostul Primăvara (demo)", OrganisationKind.SHELTER, "B", "RO"),
    ("Centrul public de asistență Iași (demo)", OrganisationKind.ASSISTANCE_CENTRE, "IS", "RO"),
    ("Consulatul General al României la Milano", OrganisationKind.CONSULATE, "", "IT"),
    ("Organizația Internațională pentru Migrație – Misiunea în România", OrganisationKind.INTERNATIONAL, "B", "RO"),
]

DEMO_ACCOUNTS = [
    DemoAccount("admin", "Andrei", "Admin", roles.SYSTEM_ADMIN, HQ_NAME),
    DemoAccount("coordonator", "Carmen", "Coordonator", roles.NATIONAL_COORDINATOR, HQ_NAME),
    DemoAccount("manager.iasi", "Ioana", "Manole", roles.REGIONAL_CASE_MANAGER, "Centrul Regional Iași"),
    DemoAccount("manager.bucuresti", "Bogdan", "Marin", roles.REGIONAL_CASE_MANAGER, "Centrul Regional București"),
    DemoAccount("ong.speranta", "Elena", "Sandu", roles.PROVIDER_STAFF, "Asociația Speranța Moldovei (demo)"),
    DemoAccount("operator", "Oana", "Petrescu", roles.HELPLINE_OPERATOR, HQ_NAME),
    DemoAccount("campanii", "Cristi", "Pop", roles.CAMPAIGN_OFFICER, "Centrul Regional Cluj-Napoca"),
    DemoAccount("raportor", "Radu", "Iliescu", roles.STRATEGY_REPORTER, "Inspectoratul Teritorial de Muncă Iași"),
    DemoAccount("analist", "Ana", "Lazăr", roles.ANALYST, HQ_NAME),
    DemoAccount("analist.iasi", "Irina", "Lupu", roles.ANALYST, "Centrul Regional Iași", "centre"),
    DemoAccount("auditor", "Dan", "Ursu", roles.AUDITOR, HQ_NAME),
]


def totp_secret(device: Authenticator) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


@transaction.atomic
def demo_organisations_load() -> int:
    counties = {county.mnemonic: county for county in County.objects.all()}
    created = 0
    for name, kind, mnemonic, country in DEMO_ORGANISATIONS:
        _, made = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "county": counties.get(mnemonic), "country": country}
        )
        created += int(made)
    for county in counties.values():
        _, made = Organisation.objects.get_or_create(
            name=f"DGASPC {county.name}",
            defaults={"kind": OrganisationKind.DGASPC, "county": county, "short_name": f"DGASPC {county.mnemonic}"},
        )
        created += int(made)
    return created


@transaction.atomic
def demo_accounts_load() -> list[tuple[DemoAccount, User, Authenticator]]:
    """Create missing demo accounts, each with a confirmed authenticator."""
    result = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = user_create_by_system(
                username=account.username,
                first_name=account.first_name,
                last_name=account.last_name,
                email=f"{account.username}@demo.atis.invalid",
                password=DEMO_PASSWORD,
                organisation=Organisation.objects.get(name=account.organisation),
                role=account.role,
                scope=account.scope,
            )
        device = Authenticator.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = Authenticator.objects.create(user=user, name="demo authenticator", confirmed=True)
        result.append((account, user, device))
    return result
