"""Synthetic cooperation data: partners (foreign counterparts included), agreements, county
teams with meetings and decisions, and a few transnational referrals.

Idempotent: what exists (by name, by county, by case) is left as it is. Everything is written
through the services, as the national coordinator (demo account), so the audit log reads as
real use would make it.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from faker import Faker

from atis.accounts.models import User
from atis.cases import services as case_services
from atis.cases.models import Case, CaseStatus, ConsentPurpose, Section
from atis.codelists.models import Code, CodeList
from atis.cooperation import services
from atis.cooperation.models import (
    Agreement,
    AgreementKind,
    AgreementVisibility,
    CountyTeam,
    DecisionStatus,
    Direction,
    PartnerService,
    TransnationalReferral,
    TrmPhase,
)
from atis.geo.models import County
from atis.organisations import services as organisation_services
from atis.organisations.models import CentreCoverage, Organisation, OrganisationKind, Sector
from atis.organisations.reference import HQ_NAME

COORDINATOR = "coordonator"
ADMIN = "admin"

# name, kind, sector, county mnemonic ("" abroad), country
PARTNERS: list[tuple[str, str, str, str, str]] = [
    (
        "Dipartimento per le Pari Opportunità – Antitratta (demo)",
        OrganisationKind.OTHER,
        Sector.FOREIGN_AUTHORITY,
        "",
        "IT",
    ),
    ("Associazione On the Road (demo)", OrganisationKind.NGO, Sector.NGO, "", "IT"),
    ("Policía Nacional – UCRIF (demo)", OrganisationKind.POLICE, Sector.FOREIGN_AUTHORITY, "", "ES"),
    ("Proyecto Esperanza (demo)", OrganisationKind.NGO, Sector.NGO, "", "ES"),
    ("Bundeskriminalamt – Menschenhandel (demo)", OrganisationKind.POLICE, Sector.FOREIGN_AUTHORITY, "", "DE"),
    ("KOK e.V. (demo)", OrganisationKind.NGO, Sector.NGO, "", "DE"),
    ("UK Modern Slavery and Human Rights Unit (demo)", OrganisationKind.POLICE, Sector.FOREIGN_AUTHORITY, "", "GB"),
    ("Salvation Army UK – Anti-trafficking (demo)", OrganisationKind.NGO, Sector.NGO, "", "GB"),
    (
        "OCRTEH – Office central traite des êtres humains (demo)",
        OrganisationKind.POLICE,
        Sector.FOREIGN_AUTHORITY,
        "",
        "FR",
    ),
    ("Comité contre l'esclavage moderne (demo)", OrganisationKind.NGO, Sector.NGO, "", "FR"),
    ("Consulatul României la Madrid (demo)", OrganisationKind.CONSULATE, Sector.PUBLIC, "", "ES"),
    ("Confederația Sindicală Cartel Alfa (demo)", OrganisationKind.OTHER, Sector.TRADE_UNION, "B", "RO"),
    ("Asociația Angajatorilor din Moldova (demo)", OrganisationKind.OTHER, Sector.EMPLOYER, "IS", "RO"),
]
TEAM_COUNTIES = ("IS", "CJ", "B", "TM", "DJ", "SB")
# Sectors of organisations loaded before this module, by kind.
SECTOR_BY_KIND = {
    OrganisationKind.NGO: Sector.NGO,
    OrganisationKind.SHELTER: Sector.NGO,
    OrganisationKind.INTERNATIONAL: Sector.INTERNATIONAL,
}
SERVICES: list[tuple[str, str, str, int | None]] = [
    ("Asociația Speranța Moldovei (demo)", "psychological", "IS", 20),
    ("Asociația Speranța Moldovei (demo)", "social_care", "IS", None),
    ("Asociația Speranța Moldovei (demo)", "legal", "IS", None),
    ("Adăpostul Lumina (demo)", "accommodation", "IS", 12),
    ("Adăpostul Primăvara (demo)", "accommodation", "B", 8),
    ("Fundația Drum Nou (demo)", "vocational_training", "CJ", 15),
    ("Fundația Drum Nou (demo)", "psychological", "CJ", 10),
    ("Asociația Casa Deschisă (demo)", "legal", "B", None),
    ("Asociația Casa Deschisă (demo)", "psychological", "B", 25),
    ("Agenția Județeană pentru Ocuparea Forței de Muncă Iași", "employment", "IS", None),
    ("Organizația Internațională pentru Migrație – Misiunea în România", "repatriation", "B", None),
    ("Associazione On the Road (demo)", "accommodation", "B", None),
]
LOCAL_NGO = {
    "IS": "Asociația Speranța Moldovei (demo)",
    "CJ": "Fundația Drum Nou (demo)",
    "B": "Asociația Casa Deschisă (demo)",
}
AGENDAS = [
    "Situația cazurilor identificate în județ în trimestrul încheiat; campania de prevenire din școli.",
    "Planul de acțiune județean; coordonarea cu ITM pentru controale în agricultură.",
    "Evaluarea serviciilor de asistență disponibile; instruirea personalului din unitățile sanitare.",
]
DECISIONS = [
    ("Organizarea unei sesiuni de informare în liceele din județ.", "school"),
    ("Controale comune ITM și poliție la angajatorii sezonieri.", "itm"),
    ("Actualizarea listei de servicii sociale disponibile pentru victime.", "dgaspc"),
    ("Transmiterea datelor trimestriale către ANITP.", "centre"),
]


def _organisation(
    admin: User, name: str, kind: str, sector: str, county: County | None, country: str
) -> tuple[Organisation, bool]:
    existing = Organisation.objects.filter(name=name).first()
    if existing is not None:
        if not existing.sector:
            # Organisations loaded before the directory existed get their sector once.
            organisation_services.organisation_save(actor=admin, organisation=existing, sector=sector)
        return existing, False
    created = organisation_services.organisation_save(
        actor=admin, name=name, kind=kind, sector=sector, county=county, country=country
    )
    return created, True


@transaction.atomic
def load_demo_content(seed: int) -> str:
    coordinator = User.objects.filter(username=COORDINATOR).first()
    admin = User.objects.filter(username=ADMIN).first()
    if coordinator is None or admin is None:
        return "Cooperation demo: skipped (demo accounts missing; run seed_demo)."
    rng = random.Random(seed)
    faker = Faker("ro_RO")
    faker.seed_instance(seed)
    today = datetime.date.today()
    counties = {county.mnemonic: county for county in County.objects.all()}
    made = {"partners": 0, "services": 0, "agreements": 0, "teams": 0, "meetings": 0, "transnational": 0}

    for name, kind, sector, mnemonic, country in PARTNERS:
        partner, created = _organisation(admin, name, kind, sector, counties.get(mnemonic), country)
        made["partners"] += int(created)
        if created:
            services.contact_point_add(
                actor=coordinator,
                organisation=partner,
                role="Punct focal pentru cooperare" if country == "RO" else "Focal point for referrals",
                name=faker.name(),
                phone=faker.phone_number(),
                email=f"contact{rng.randint(100, 999)}@example.org",
            )
    for organisation in Organisation.objects.filter(sector=""):
        organisation_services.organisation_save(
            actor=admin,
            organisation=organisation,
            sector=SECTOR_BY_KIND.get(OrganisationKind(organisation.kind), Sector.PUBLIC),
        )

    service_codes = {code.code: code for code in Code.objects.filter(list=CodeList.SERVICE_TYPE)}
    for name, service, mnemonic, capacity in SERVICES:
        provider = Organisation.objects.filter(name=name).first()
        if (
            provider is None
            or PartnerService.objects.filter(
                organisation=provider, service_type=service_codes[service], county=counties[mnemonic]
            ).exists()
        ):
            continue
        services.partner_service_save(
            actor=coordinator,
            organisation=provider,
            service_type=service_codes[service],
            county=counties[mnemonic],
            capacity=capacity,
        )
        made["services"] += 1

    made["agreements"] = _agreements(coordinator, today)
    for mnemonic in TEAM_COUNTIES:
        if CountyTeam.objects.filter(county=counties[mnemonic]).exists():
            continue
        _team(admin, coordinator, counties[mnemonic], today, rng, faker)
        made["teams"] += 1
        made["meetings"] += 2
    made["transnational"] = _transnational(coordinator, today)
    return (
        "Cooperation demo: {partners} partners, {services} services, {agreements} agreements, {teams} county teams "
        "({meetings} meetings), {transnational} transnational referrals created.".format(**made)
    )


def _agreements(coordinator: User, today: datetime.date) -> int:
    by_name = {org.name: org for org in Organisation.objects.all()}
    iasi = "Centrul Regional Iași"
    specs = [
        (
            "Protocol de colaborare privind asistența victimelor în județul Iași",
            AgreementKind.PROTOCOL,
            [HQ_NAME, iasi, "Asociația Speranța Moldovei (demo)", "Adăpostul Lumina (demo)"],
            today - datetime.timedelta(days=700),
            today + datetime.timedelta(days=20),
            AgreementVisibility.PARTIES,
        ),
        (
            "Acord de cooperare România–Italia în combaterea traficului de persoane",
            AgreementKind.BILATERAL,
            [HQ_NAME, "Dipartimento per le Pari Opportunità – Antitratta (demo)"],
            datetime.date(2019, 5, 14),
            None,
            AgreementVisibility.INTERNAL,
        ),
        (
            "Memorandum de înțelegere ANITP – OIM privind returnarea asistată",
            AgreementKind.MEMORANDUM,
            [HQ_NAME, "Organizația Internațională pentru Migrație – Misiunea în România"],
            today - datetime.timedelta(days=1000),
            today + datetime.timedelta(days=45),
            AgreementVisibility.INTERNAL,
        ),
        (
            "Protocol ANITP – Policía Nacional privind referirea transnațională",
            AgreementKind.PROTOCOL,
            [HQ_NAME, "Policía Nacional – UCRIF (demo)", "Consulatul României la Madrid (demo)"],
            today - datetime.timedelta(days=400),
            today + datetime.timedelta(days=330),
            AgreementVisibility.INTERNAL,
        ),
        (
            "Protocol ANITP – Cartel Alfa privind informarea lucrătorilor migranți",
            AgreementKind.PROTOCOL,
            [HQ_NAME, "Confederația Sindicală Cartel Alfa (demo)", "Asociația Angajatorilor din Moldova (demo)"],
            today - datetime.timedelta(days=1200),
            today - datetime.timedelta(days=60),
            AgreementVisibility.INTERNAL,
        ),
    ]
    created = 0
    for title, kind, party_names, signed_on, expires_on, visibility in specs:
        parties = [by_name[name] for name in party_names if name in by_name]
        if Agreement.objects.filter(title=title).exists() or len(parties) < 2:
            continue
        agreement = services.agreement_save(
            actor=coordinator,
            parties=parties,
            title=title,
            kind=kind,
            scope="Schimb de informații, referire și asistență coordonată a victimelor traficului de persoane.",
            signed_on=signed_on,
            expires_on=expires_on,
            visibility=visibility,
        )
        services.obligation_add(
            actor=coordinator,
            agreement=agreement,
            description="Desemnarea unui punct de contact și raportarea semestrială a activităților comune.",
            party=parties[-1],
        )
        services.activity_add(
            actor=coordinator,
            agreement=agreement,
            partners=parties,
            title="Reuniune anuală de evaluare a cooperării",
            held_on=min(today, signed_on + datetime.timedelta(days=180)),
        )
        created += 1
    return created


def _team(
    admin: User, coordinator: User, county: County, today: datetime.date, rng: random.Random, faker: Faker
) -> None:
    prefecture_name = (
        "Instituția Prefectului – Municipiul București"
        if county.mnemonic == "B"
        else f"Instituția Prefectului – Județul {county.name}"
    )
    prefecture, _created = _organisation(
        admin, prefecture_name, OrganisationKind.PREFECTURE, Sector.PUBLIC, county, "RO"
    )
    team = services.team_create(actor=coordinator, county=county, chair=prefecture)
    services.team_member_add(
        actor=coordinator,
        team=team,
        organisation=prefecture,
        representative=faker.name(),
        representative_role="Subprefect",
    )
    members: dict[str, Organisation] = {}
    coverage = CentreCoverage.objects.select_related("centre").filter(county=county).first()
    if coverage is not None:
        members["centre"] = coverage.centre
    dgaspc = Organisation.objects.filter(kind=OrganisationKind.DGASPC, county=county).order_by("name").first()
    if dgaspc is not None:
        members["dgaspc"] = dgaspc
    itm = Organisation.objects.filter(kind=OrganisationKind.LABOUR_INSPECTORATE, county=county).first()
    if itm is not None:
        members["itm"] = itm
    ngo = Organisation.objects.filter(name=LOCAL_NGO.get(county.mnemonic, "")).first()
    if ngo is not None:
        members["ngo"] = ngo
    for key, organisation in members.items():
        services.team_member_add(
            actor=coordinator,
            team=team,
            organisation=organisation,
            representative=faker.name(),
            representative_role="Reprezentant" if key != "centre" else "Șef centru regional",
        )
    owners = [organisation for key, organisation in members.items() if key in ("centre", "dgaspc", "itm")] or [
        prefecture
    ]
    present = [prefecture, *members.values()]
    for months_ago, agenda in ((5, AGENDAS[0]), (2, AGENDAS[rng.randrange(1, len(AGENDAS))])):
        held_on = today - datetime.timedelta(days=30 * months_ago)
        meeting = services.meeting_record(
            actor=coordinator,
            team=team,
            held_on=held_on,
            agenda=agenda,
            minutes="S-au prezentat datele trimestriale și propunerile instituțiilor membre.",
            participants=present,
        )
        for text, _kind in rng.sample(DECISIONS, 2):
            decision = services.decision_add(
                actor=coordinator,
                meeting=meeting,
                text=text,
                owner_organisation=rng.choice(owners),
                due_on=held_on + datetime.timedelta(days=rng.choice((30, 60, 120))),
            )
            if months_ago == 5 and rng.random() < 0.6:
                services.decision_follow_up(
                    actor=coordinator,
                    decision=decision,
                    noted_on=min(today, decision.due_on),
                    note="Realizat conform planului; raport transmis secretariatului echipei.",
                    status=DecisionStatus.DONE,
                )


def _transnational(coordinator: User, today: datetime.date) -> int:
    if TransnationalReferral.objects.exists():
        return 0
    counterparts = {
        org.country: org
        for org in Organisation.objects.filter(sector=Sector.FOREIGN_AUTHORITY).exclude(country="RO").order_by("-name")
    }
    cases = Case.objects.filter(
        destination_country__in=list(counterparts),
        status__in=(CaseStatus.IDENTIFIED, CaseStatus.REFERRED, CaseStatus.ASSISTED),
    ).order_by("id")[:4]
    created = 0
    service = Code.objects.get(list=CodeList.SERVICE_TYPE, code="repatriation")
    for index, case in enumerate(cases):
        counterpart = counterparts[case.destination_country]
        if index % 2 == 0:
            case_services.consent_record(
                actor=coordinator,
                case=case,
                purpose=ConsentPurpose.SHARING,
                organisation=counterpart,
                given_on=max(case.notified_on, today - datetime.timedelta(days=10)),
            )
            request = services.TransnationalRequest(
                direction=Direction.OUTGOING,
                counterpart=counterpart,
                phase=TrmPhase.RETURN,
                sections=[Section.CASE, Section.EVENTS],
                services=[service],
                message="Solicităm sprijin pentru returnarea în siguranță.",
            )
        else:
            request = services.TransnationalRequest(
                direction=Direction.INCOMING, counterpart=counterpart, phase=TrmPhase.FIRST_ASSISTANCE
            )
        services.transnational_open(actor=coordinator, case=case, request=request)
        created += 1
    return created
