"""Demo content: the national strategy 2024–2028 with a realistic action plan (5 general
objectives, 40 activities) and two reporting rounds, one reviewed and one still open.

Idempotent: when the strategy exists, nothing changes. Institutions missing from the
registry are created through the organisations service; each responsible institution gets
a demo strategy reporter (password as every demo account) so its reports go through the same
services as a real one's.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from atis.accounts import roles
from atis.accounts.models import User
from atis.accounts.services import user_create_by_system
from atis.core.demo import DEMO_PASSWORD
from atis.geo.models import County
from atis.lib.request_context import acting_as
from atis.organisations import services as organisation_services
from atis.organisations.models import Organisation, OrganisationKind, Sector
from atis.organisations.reference import HQ_NAME
from atis.strategy import selectors, services
from atis.strategy.models import Activity, Area, Implementation, ReportingRound, Strategy, StrategyStatus
from atis.strategy.services import PlanActivity, PlanIndicator

TITLE = "Strategia națională împotriva traficului de persoane 2024–2028 (demo)"
ANITP = HQ_NAME
IGPR = "Inspectoratul General al Poliției Române"
DIICOT = "DIICOT – Structura Centrală"
IGPF = "Inspectoratul General al Poliției de Frontieră"
ITM = "Inspectoratul Teritorial de Muncă Iași"
EDU = "Ministerul Educației"
MUNCA = "Ministerul Muncii și Solidarității Sociale"
ANPDCA = "Autoritatea Națională pentru Protecția Drepturilor Copilului și Adopție"
MAE = "Ministerul Afacerilor Externe"
MJ = "Ministerul Justiției"
NEW_INSTITUTIONS = [
    (EDU, "ME", OrganisationKind.OTHER),
    (MUNCA, "MMSS", OrganisationKind.OTHER),
    (ANPDCA, "ANPDCA", OrganisationKind.OTHER),
    (MAE, "MAE", OrganisationKind.OTHER),
    (MJ, "MJ", OrganisationKind.OTHER),
]
REPORTERS = {
    ANITP: "raportor.anitp",
    IGPR: "raportor.igpr",
    DIICOT: "raportor.diicot",
    IGPF: "raportor.igpf",
    EDU: "raportor.educatie",
    MUNCA: "raportor.munca",
    ANPDCA: "raportor.anpdca",
    MAE: "raportor.mae",
    MJ: "raportor.justitie",
}

# (general code, title, area, [(specific code, title, [(activity, responsible, partners, indicator, unit, target)])])
PLAN = [
    (
        "OG1",
        "Prevenirea traficului de persoane prin informare, educație și reducerea cererii",
        Area.PREVENTION,
        [
            (
                "OS1.1",
                "Creșterea nivelului de informare a populației generale și a grupurilor vulnerabile",
                [
                    (
                        "Campanii naționale de informare privind riscurile migrației pentru muncă",
                        ANITP,
                        [MUNCA, MAE],
                        "Persoane informate",
                        "persoane",
                        200000,
                    ),
                    (
                        "Sesiuni de informare în școlile din mediul rural",
                        EDU,
                        [ANITP],
                        "Elevi participanți",
                        "elevi",
                        30000,
                    ),
                    (
                        "Promovarea liniei telefonice gratuite 0800 800 678",
                        ANITP,
                        [],
                        "Apeluri primite",
                        "apeluri",
                        6000,
                    ),
                    (
                        "Informarea lucrătorilor sezonieri înainte de plecare",
                        MUNCA,
                        [ITM, ANITP],
                        "Lucrători informați",
                        "persoane",
                        15000,
                    ),
                ],
            ),
            (
                "OS1.2",
                "Reducerea cererii care favorizează exploatarea",
                [
                    (
                        "Campanii de reducere a cererii pentru servicii sexuale",
                        ANITP,
                        [IGPR],
                        "Campanii derulate",
                        "campanii",
                        5,
                    ),
                    (
                        "Controale tematice privind munca nedeclarată în sectoarele cu risc",
                        ITM,
                        [IGPR],
                        "Controale efectuate",
                        "controale",
                        400,
                    ),
                    (
                        "Ghid pentru angajatori privind recrutarea etică",
                        MUNCA,
                        [ANITP],
                        "Ghiduri distribuite",
                        "exemplare",
                        5000,
                    ),
                    (
                        "Introducerea temei traficului în programa de educație civică",
                        EDU,
                        [ANITP],
                        "Unități școlare acoperite",
                        "școli",
                        2000,
                    ),
                ],
            ),
        ],
    ),
    (
        "OG2",
        "Identificarea, protecția și asistența victimelor",
        Area.ASSISTANCE,
        [
            (
                "OS2.1",
                "Identificarea timpurie a victimelor și referirea lor",
                [
                    (
                        "Aplicarea Mecanismului național de identificare și referire revizuit",
                        ANITP,
                        [IGPR, ANPDCA],
                        "Victime referite",
                        "persoane",
                        2500,
                    ),
                    (
                        "Formarea personalului de primă linie în identificarea victimelor",
                        ANITP,
                        [IGPR, IGPF, ITM],
                        "Profesioniști formați",
                        "persoane",
                        3000,
                    ),
                    (
                        "Identificarea victimelor la frontieră",
                        IGPF,
                        [ANITP],
                        "Victime identificate la frontieră",
                        "persoane",
                        150,
                    ),
                    (
                        "Protocol de identificare a copiilor victime",
                        ANPDCA,
                        [ANITP],
                        "Protocol aprobat",
                        "documente",
                        1,
                    ),
                ],
            ),
            (
                "OS2.2",
                "Asistență de calitate și reintegrare socială",
                [
                    (
                        "Finanțarea serviciilor de asistență oferite de ONG-uri acreditate",
                        MUNCA,
                        [ANITP],
                        "Victime asistate",
                        "persoane",
                        1200,
                    ),
                    ("Evaluarea anuală a centrelor de asistență", ANITP, [ANPDCA], "Centre evaluate", "centre", 40),
                    ("Programe de reintegrare pe piața muncii", MUNCA, [ANITP], "Victime angajate", "persoane", 300),
                    ("Servicii specializate pentru copiii victime", ANPDCA, [ANITP], "Copii asistați", "copii", 500),
                ],
            ),
        ],
    ),
    (
        "OG3",
        "Urmărirea penală eficientă a traficanților și despăgubirea victimelor",
        Area.PROSECUTION,
        [
            (
                "OS3.1",
                "Investigații și urmărire penală proactive",
                [
                    (
                        "Investigații financiare paralele în dosarele de trafic",
                        DIICOT,
                        [IGPR],
                        "Dosare cu investigații financiare",
                        "dosare",
                        200,
                    ),
                    (
                        "Echipe comune de anchetă cu statele de destinație",
                        DIICOT,
                        [IGPR, MJ],
                        "Echipe comune constituite",
                        "echipe",
                        12,
                    ),
                    (
                        "Formarea procurorilor în audierea victimelor",
                        MJ,
                        [DIICOT],
                        "Procurori formați",
                        "persoane",
                        250,
                    ),
                    ("Monitorizarea recrutării online", IGPR, [DIICOT], "Anunțuri verificate", "anunțuri", 10000),
                ],
            ),
            (
                "OS3.2",
                "Protecția victimelor în procesul penal",
                [
                    ("Audierea victimelor minore în spații adaptate", MJ, [ANPDCA], "Spații amenajate", "spații", 20),
                    ("Acordarea de despăgubiri victimelor", MJ, [ANITP], "Victime despăgubite", "persoane", 150),
                    (
                        "Confiscarea extinsă a bunurilor traficanților",
                        DIICOT,
                        [],
                        "Valoare confiscată",
                        "milioane lei",
                        50,
                    ),
                    (
                        "Informarea victimelor despre drepturile procesuale",
                        ANITP,
                        [DIICOT],
                        "Victime informate",
                        "persoane",
                        2000,
                    ),
                ],
            ),
        ],
    ),
    (
        "OG4",
        "Cooperare interinstituțională și internațională",
        Area.COOPERATION,
        [
            (
                "OS4.1",
                "Cooperare la nivel național și local",
                [
                    (
                        "Funcționarea echipelor interinstituționale județene",
                        ANITP,
                        [IGPR, ITM],
                        "Reuniuni ale echipelor",
                        "reuniuni",
                        160,
                    ),
                    ("Parteneriate cu organizațiile neguvernamentale", ANITP, [], "Acorduri încheiate", "acorduri", 30),
                    (
                        "Schimb de date între instituții prin atis",
                        ANITP,
                        [IGPR, DIICOT],
                        "Instituții conectate",
                        "instituții",
                        10,
                    ),
                    ("Cooperare cu sindicatele și patronatele", MUNCA, [ANITP], "Acțiuni comune", "acțiuni", 20),
                ],
            ),
            (
                "OS4.2",
                "Cooperare internațională",
                [
                    (
                        "Acorduri bilaterale cu principalele state de destinație",
                        MAE,
                        [ANITP],
                        "Acorduri semnate",
                        "acorduri",
                        4,
                    ),
                    (
                        "Asistență consulară pentru victimele din străinătate",
                        MAE,
                        [ANITP],
                        "Victime asistate de consulate",
                        "persoane",
                        300,
                    ),
                    ("Participarea la platforma EMPACT THB", IGPR, [DIICOT], "Acțiuni operative comune", "acțiuni", 15),
                    ("Repatrierea asistată a victimelor", ANITP, [MAE, IGPF], "Victime repatriate", "persoane", 250),
                ],
            ),
        ],
    ),
    (
        "OG5",
        "Monitorizarea și evaluarea fenomenului și a politicilor",
        Area.MONITORING,
        [
            (
                "OS5.1",
                "Date de calitate despre fenomen",
                [
                    (
                        "Raportul anual privind traficul de persoane",
                        ANITP,
                        [IGPR, DIICOT],
                        "Rapoarte publicate",
                        "rapoarte",
                        5,
                    ),
                    (
                        "Colectarea unitară a datelor despre victime (HTCDS)",
                        ANITP,
                        [],
                        "Instituții care raportează",
                        "instituții",
                        12,
                    ),
                    ("Studiu privind exploatarea prin muncă", ANITP, [ITM], "Studii publicate", "studii", 2),
                    ("Statistici judiciare privind traficul", MJ, [DIICOT], "Seturi de date publicate", "seturi", 5),
                ],
            ),
            (
                "OS5.2",
                "Evaluarea strategiei",
                [
                    ("Evaluarea intermediară a strategiei", ANITP, [], "Evaluări realizate", "evaluări", 1),
                    (
                        "Evaluarea finală și elaborarea strategiei următoare",
                        ANITP,
                        [],
                        "Strategie elaborată",
                        "documente",
                        1,
                    ),
                    (
                        "Rapoarte semestriale ale instituțiilor responsabile",
                        ANITP,
                        [IGPR, DIICOT, EDU, MUNCA],
                        "Rapoarte primite",
                        "rapoarte",
                        80,
                    ),
                    (
                        "Consultarea societății civile asupra implementării",
                        ANITP,
                        [],
                        "Consultări organizate",
                        "consultări",
                        10,
                    ),
                ],
            ),
        ],
    ),
]
NARRATIVES = {
    Implementation.COMPLETED: "Activitatea a fost realizată integral în perioadă.",
    Implementation.IN_PROGRESS: "Activitatea se desfășoară conform calendarului.",
    Implementation.DELAYED: "Activitatea a început, dar este în urmă față de calendar.",
    Implementation.NOT_STARTED: "Activitatea nu a început în perioadă.",
    Implementation.CANCELLED: "Activitatea a fost anulată prin decizia grupului de lucru.",
}
DIFFICULTIES = [
    ("funding", "Fondurile nu au fost alocate la timp în bugetul instituției."),
    ("staff", "Personal insuficient și fluctuație ridicată în structurile teritoriale."),
    ("coordination", "Întârzieri în semnarea protocolului cu instituțiile partenere."),
    ("legislation", "Procedura necesită modificarea ordinului comun, aflat în avizare."),
    ("data", "Datele nu pot fi extrase automat din sistemele existente."),
]


def _institutions(admin: User) -> dict[str, Organisation]:
    bucharest = County.objects.filter(mnemonic="B").first()
    for name, short, kind in NEW_INSTITUTIONS:
        if not Organisation.objects.filter(name=name).exists():
            organisation_services.organisation_save(
                actor=admin, name=name, short_name=short, kind=kind, county=bucharest, sector=Sector.PUBLIC
            )
    names = {ANITP, IGPR, DIICOT, IGPF, ITM, *(name for name, _s, _k in NEW_INSTITUTIONS)}
    return {organisation.name: organisation for organisation in Organisation.objects.filter(name__in=names)}


def _reporters(institutions: dict[str, Organisation]) -> dict[int, User]:
    found = {}
    for name, username in REPORTERS.items():
        user = User.objects.filter(username=username).first() or user_create_by_system(
            username=username,
            first_name="Raportor",
            last_name=institutions[name].short_name or name[:30],
            email=f"{username}@demo.atis.invalid",
            password=DEMO_PASSWORD,
            organisation=institutions[name],
            role=roles.STRATEGY_REPORTER,
        )
        found[institutions[name].pk] = user
    itm_reporter = User.objects.filter(username="raportor").first()
    if itm_reporter is not None:
        found[institutions[ITM].pk] = itm_reporter
    return found


def _plan(institutions: dict[str, Organisation], rng: random.Random) -> list[PlanActivity]:
    activities = []
    for general_code, general_title, area, specifics in PLAN:
        for specific_code, specific_title, items in specifics:
            for number, (title, responsible, partners, indicator, unit, target) in enumerate(items, start=1):
                recurring = rng.random() < 0.4
                activities.append(
                    PlanActivity(
                        general_code=general_code,
                        general_title=general_title,
                        specific_code=specific_code,
                        specific_title=specific_title,
                        code=f"{specific_code[2:]}.{number}",
                        title=title,
                        area=area,
                        responsible=institutions[responsible],
                        partners=[institutions[name] for name in partners],
                        deadline=None if recurring else datetime.date(rng.choice([2025, 2026, 2027, 2028]), 12, 31),
                        recurrence=rng.choice(["annual", "semester"]) if recurring else "once",
                        budget_source=rng.choice(["state", "own", "external", "none"]),
                        budget_amount=None,
                        indicators=[PlanIndicator(indicator, unit, Decimal(0), Decimal(target))],
                    )
                )
    for activity in activities:
        if activity.budget_source != "none":
            activity.budget_amount = Decimal(rng.randrange(20, 2000) * 1000)
    return activities


def _report_round(
    coordinator: User, reporters: dict[int, User], round_: ReportingRound, rng: random.Random, *, review: bool
) -> int:
    count = 0
    expected = selectors.expected_activities(round_, Activity.objects.prefetch_related("indicators"))  # type: ignore[arg-type]
    for activity in expected:
        if rng.random() < (0.1 if review else 0.45):
            continue  # not reported (yet)
        status = rng.choices(list(NARRATIVES), weights=[30, 35, 15, 15, 5])[0]
        kind, difficulty = rng.choice(DIFFICULTIES) if status in ("delayed", "cancelled", "not_started") else ("", "")
        indicator = activity.indicators.all()[0]
        value = None if status == "not_started" else Decimal(int(indicator.target * Decimal(rng.uniform(0.1, 1.1))))
        reporter = reporters[activity.responsible_id]
        report = services.report_save(
            actor=reporter,
            round_=round_,
            activity=activity,
            implementation=status,
            narrative=NARRATIVES[status],
            difficulties=difficulty,
            difficulty_kind=kind,
            values={indicator.pk: value} if value is not None else {},
        )
        if review or rng.random() < 0.6:
            report = services.report_submit(actor=reporter, report=report)
            if review:
                services.report_accept(actor=coordinator, report=report)
        count += 1
    return count


def load_demo_content(seed: int) -> str:
    if Strategy.objects.filter(title=TITLE).exists():
        return "Strategy: demo strategy already loaded."
    rng = random.Random(seed)
    admin = User.objects.get(username="admin")
    coordinator = User.objects.get(username="coordonator")
    with transaction.atomic():
        with acting_as(admin):
            institutions = _institutions(admin)
        reporters = _reporters(institutions)
        with acting_as(coordinator):
            strategy = services.strategy_create(actor=coordinator, title=TITLE, start_year=2024, end_year=2028)
            services.action_plan_replace(actor=coordinator, strategy=strategy, activities=_plan(institutions, rng))
            strategy = services.strategy_set_status(
                actor=coordinator, strategy=strategy, status=StrategyStatus.IN_FORCE
            )
            first = services.round_open(
                actor=coordinator,
                strategy=strategy,
                title="Semestrul II 2025",
                period_start=datetime.date(2025, 7, 1),
                period_end=datetime.date(2025, 12, 31),
                due_on=datetime.date(2026, 1, 31),
            )
        reviewed = _report_round(coordinator, reporters, first, rng, review=True)
        with acting_as(coordinator):
            services.round_close(actor=coordinator, round_=first)
            second = services.round_open(
                actor=coordinator,
                strategy=strategy,
                title="Semestrul I 2026",
                period_start=datetime.date(2026, 1, 1),
                period_end=datetime.date(2026, 6, 30),
                due_on=datetime.date(2026, 7, 31),
            )
        pending = _report_round(coordinator, reporters, second, rng, review=False)
        with acting_as(coordinator):
            services.evaluation_create(actor=coordinator, strategy=strategy, round_=first)
    return (
        f"Strategy: {strategy.activities.count()} activities, {reviewed} reports accepted in "
        f"“{first.title}”, {pending} in progress in “{second.title}”."
    )
