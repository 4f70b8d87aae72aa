"""Synthetic demonstration cases, from a handful for the demo to a million for benchmarks.

Nothing here is a real person. The shares follow the agency's published figures (see
docs/domain.md): about 70% sexual exploitation, 45% minors, 75% women and girls, half of
the victims exploited inside Romania, fewer than half assisted.

Case number `i` is drawn from its own random stream (seed and `i`), so a run that stopped
half-way, or a later run asking for more cases, continues exactly where the previous one
ended: the marker is the number of cases whose reference starts with DEMO_CASE_PREFIX.

For speed the cases are built in memory and written with `bulk_create` in batches, not
through the per-case services; the derived columns (look-up hashes, year of birth, minor
flags, responsible centre, child protection) are computed by the same functions the
services use, and encrypted fields encrypt themselves on the way to the database.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime
import math
import random
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from faker import Faker

from atis.accounts.models import User
from atis.audit.services import audit_record
from atis.cases import services
from atis.cases.changes import case_changed
from atis.cases.models import (
    Case,
    CaseStatus,
    CaseTask,
    Consent,
    ConsentPurpose,
    EventKind,
    Person,
    Proceeding,
    ProceedingRole,
    ProceedingStage,
    Referral,
    ReferralStatus,
    Scope,
    Section,
    Sex,
    TaskKind,
    TraffickingEvent,
    TraffickingStatus,
)
from atis.codelists.models import Code
from atis.geo.models import County, Locality
from atis.lib.crypto import normalise_for_lookup
from atis.organisations.models import CentreCoverage, Organisation, OrganisationKind
from atis.organisations.reference import HQ_NAME

DEMO_CASE_PREFIX = "CD-"
DEMO_PERSON_PREFIX = "PD-"
DEFAULT_DEMO_CASES = 3_500
DEFAULT_SEED = 20_260_101
BATCH_SIZE = 5_000
FIRST_DAY = datetime.date(2021, 1, 1)

# Relative weight of notifications per year; each lands at 500-700 identified victims a
# year with the default number of cases (a year after 2026 weighs like 2026).
YEAR_WEIGHTS = {2021: 560, 2022: 555, 2023: 570, 2024: 585, 2025: 640, 2026: 610}
# Fewer than half of identified victims received assistance (46-49% in 2017-2019); a few
# recent cases have not reached it yet, hence a little above 47%.
ASSISTED_SHARE = 0.49
NOT_VICTIM_SHARE = 0.03

_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_REFERENCE_WIDTH = 7
_GOLDEN = (math.sqrt(5) - 1) / 2

T = TypeVar("T")


class Weighted(Generic[T]):
    """A fixed weighted choice, drawn with one random number."""

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self.values = [value for value, _weight in pairs]
        self.cumulative: list[float] = []
        total = 0.0
        for _value, weight in pairs:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def pick(self, rng: random.Random) -> T:
        index = bisect.bisect_right(self.cumulative, rng.random() * self.total)
        return self.values[min(index, len(self.values) - 1)]


def demo_reference(prefix: str, index: int) -> str:
    """`prefix` + the index in base 32 (no 0/O, 1/I), fixed width: CD-AAAAAAA, CD-AAAAAAB…"""
    digits = []
    for _position in range(_REFERENCE_WIDTH):
        index, remainder = divmod(index, len(_REFERENCE_ALPHABET))
        digits.append(_REFERENCE_ALPHABET[remainder])
    if index:
        raise ValueError("demo reference counter overflow")
    return prefix + "".join(reversed(digits))


def cnp_control_digit(first12: str) -> str:
    total = sum(int(digit) * int(weight) for digit, weight in zip(first12, "279146358279", strict=True))
    control = total % 11
    return "1" if control == 10 else str(control)


def make_cnp(*, born: datetime.date, female: bool, county_code: int, serial: int) -> str:
    """A CNP of the right shape: sex and century, date of birth, county, serial, control digit."""
    if 1900 <= born.year <= 1999:
        first = "2" if female else "1"
    elif 2000 <= born.year <= 2099:
        first = "6" if female else "5"
    else:
        raise ValueError("no CNP century for this year of birth")
    first12 = f"{first}{born:%y%m%d}{county_code:02d}{serial:03d}"
    return first12 + cnp_control_digit(first12)


# --- Distributions ------------------------------------------------------------------------


def _w(spec: str, convert: Callable[[str], Any] = str) -> Weighted[Any]:
    """A weighted choice written compactly: "IT:25 ES:16" (value:weight, space-separated)."""
    pairs = []
    for item in spec.split():
        value, weight = item.rsplit(":", 1)
        pairs.append((convert(value), float(weight)))
    return Weighted(pairs)


def _band(text: str) -> tuple[int, int]:
    low, high = text.split("-")
    return int(low), int(high)


# Form of exploitation: (primary share, share of minors, share of women and girls, share internal)
FORMS: dict[str, tuple[float, float, float, float]] = {
    "sexual": (0.700, 0.52, 0.93, -1.0),  # internal share depends on age: SEXUAL_INTERNAL
    "forced_labour": (0.160, 0.12, 0.28, 0.30),
    "forced_begging": (0.050, 0.45, 0.50, 0.45),
    "forced_criminality": (0.040, 0.50, 0.45, 0.35),
    "servitude": (0.015, 0.20, 0.60, 0.50),
    "forced_marriage": (0.010, 0.80, 0.97, 0.70),
    "child_labour": (0.010, 1.00, 0.40, 0.80),
    "attempted": (0.010, 0.40, 0.75, 0.30),
    "other": (0.005, 0.30, 0.50, 0.50),
}
SEXUAL_INTERNAL = {True: 0.66, False: 0.45}  # minor -> share exploited inside Romania
PRIMARY_FORM = Weighted([(form, spec[0]) for form, spec in FORMS.items()])
SECOND_FORM_SHARE = 0.12
SECOND_FORMS = {
    "sexual": _w("forced_begging:3 forced_criminality:3 servitude:2 forced_labour:1"),
    "forced_labour": _w("servitude:4 forced_criminality:2 forced_begging:2"),
    "forced_begging": _w("forced_criminality:6 sexual:1 servitude:2"),
    "forced_criminality": _w("forced_begging:6 servitude:2"),
}

DESTINATIONS = _w("IT:25 ES:16 DE:16 GB:11 FR:8 CZ:4 NL:4 BE:3 AT:3 CY:2 GR:2 IE:2 PL:1 CH:1 DK:1 SE:1")
CITIES = {
    "IT": ("Roma", "Milano", "Torino", "Napoli", "Bari", "Ragusa", "Bologna"),
    "ES": ("Madrid", "Barcelona", "Valencia", "Castellón de la Plana", "Almería", "Huelva"),
    "DE": ("Berlin", "München", "Frankfurt am Main", "Hamburg", "Köln", "Dortmund"),
    "GB": ("London", "Birmingham", "Manchester", "Leeds", "Glasgow"),
    "FR": ("Paris", "Lyon", "Marseille", "Nice"),
    "CZ": ("Praha", "Brno"),
    "NL": ("Amsterdam", "Rotterdam", "Den Haag"),
    "BE": ("Bruxelles", "Antwerpen"),
    "AT": ("Wien", "Graz", "Linz"),
    "CY": ("Nicosia", "Limassol"),
    "GR": ("Atena", "Salonic"),
    "IE": ("Dublin", "Cork"),
    "PL": ("Warszawa",),
    "CH": ("Zürich", "Genève"),
    "DK": ("København",),
    "SE": ("Stockholm",),
}
TRANSIT = _w("HU:50 AT:20 BG:10 SI:10 FR:10")

# Counties of origin: those most affected in 2022 weigh more; every other county weighs 1.
COUNTY_WEIGHTS = {
    **{"SB": 4.0, "DJ": 4.0, "GL": 3.6, "BC": 3.6, "IS": 3.4, "BR": 2.0, "CT": 2.0, "MS": 2.0, "NT": 1.8},
    **{"VS": 1.8, "AG": 1.6, "PH": 1.6, "B": 1.6, "TM": 1.5, "OT": 1.4, "VN": 1.4, "MH": 1.3, "BZ": 1.3},
}
# Where victims trafficked inside Romania are exploited when not in their own county.
HOTSPOTS = _w("B:30 CT:15 TM:10 IF:10 CJ:10 BV:8 IS:8 PH:9")
URBAN_SHARE = 0.48
FOREIGN_CITIZENSHIP = _w("MD:50 UA:20 BG:10 PH:8 LK:7 NP:5")
HUNGARIAN_COUNTIES = {"HR", "CV", "MS", "BH", "SM", "SJ", "CJ"}

MINOR_AGES = _w("17:25 16:24 15:19 14:13 13:8 12:4 11:3 10:2 8:1 6:1", int)
ADULT_AGE_BANDS = _w("18-25:45 26-35:30 36-45:15 46-62:10", _band)
EDUCATION_ADULT = _w("none:8 primary:18 lower_secondary:34 vocational:10 upper_secondary:22 tertiary:3 unknown:5")
EDUCATION_MINOR = _w("none:6 primary:30 lower_secondary:55 unknown:9")

RECRUITMENT = {
    "sexual": _w(
        "loverboy:30 online_social_network:18 friends:18 family:8 online_ad:6 agency_job_offer:4 at_business:4 "
        "at_school:4 abduction:2 other:6"
    ),
    "forced_labour": _w(
        "agency_job_offer:30 friends:25 online_ad:15 online_social_network:10 family:8 at_work:5 newspaper_ad:2 other:5"
    ),
    "": _w("family:35 friends:30 online_social_network:12 abduction:3 other:20"),
}
RELATION = {
    "loverboy": _w("partner:90 acquaintance:10"),
    "family": _w("familial:80 acquaintance:20"),
    "friends": _w("acquaintance:85 partner:10 familial:5"),
    "agency_job_offer": _w("stranger:75 acquaintance:20 unknown:5"),
    "online_ad": _w("stranger:80 unknown:20"),
    "newspaper_ad": _w("stranger:90 unknown:10"),
    "": _w("acquaintance:40 stranger:30 familial:10 partner:10 unknown:10"),
}
CONTROL = {
    "sexual": _w(
        "psychological_abuse:1 physical_abuse:1 threatens_family:1 takes_earnings:1 physical_threats:1 "
        "sexual_abuse:1 false_promises:1 psychoactive_substance:1 withholds_documents:1"
    ).values,
    "forced_labour": _w(
        "withholds_documents:1 debt_bondage:1 excessive_hours:1 takes_earnings:1 withholds_necessities:1 "
        "false_promises:1 restricts_financial_access:1"
    ).values,
    "": _w("physical_threats:1 physical_abuse:1 takes_earnings:1 debt_bondage:1 psychological_abuse:1").values,
}
SEXUAL_TYPES = _w("prostitution:82 remote_interactive:8 pornography:6 private_sexual:4")
INDUSTRIES = _w(
    "a_agriculture:42 f_construction:18 c_manufacturing:10 i_accommodation_food:10 t_households:8 g_trade:4 "
    "h_transport:3 s_other_services:5"
)
# code: (share among adults, share among minors)
VULNERABILITIES = {
    "poverty": (0.45, 0.45),
    "education": (0.25, 0.35),
    "unemployment": (0.25, 0.0),
    "single_parent": (0.05, 0.20),
    "child_in_care": (0.0, 0.15),
    "abuse_physical": (0.10, 0.15),
    "abuse_social_media": (0.05, 0.12),
    "addiction": (0.08, 0.04),
    "social_group": (0.08, 0.08),
    "mental_health": (0.04, 0.04),
    "disability_physical_health": (0.03, 0.02),
    "homelessness": (0.04, 0.02),
}
NOTIFIER = _w("police:36 border_police:12 diicot:10 consulate:8 ngo:10 dgaspc:8 itm:4 iom:3 hq:9")
IDENTIFIER = _w("police:50 diicot:30 border_police:10 centre:5 itm:3 dgaspc:2")
# service: share of referrals that ask for it
SERVICES_ADULT = {
    **{"psychological": 0.85, "accommodation": 0.45, "medical": 0.40, "legal": 0.50},
    **{"vocational_training": 0.25, "employment": 0.20, "financial": 0.15, "social_care": 0.35},
}
SERVICES_MINOR = {
    **{"psychological": 0.9, "accommodation": 0.35, "medical": 0.4, "education": 0.6},
    **{"family_reintegration": 0.5, "social_care": 0.6, "legal": 0.3},
}
CLOSED_AFTER_ASSISTANCE = _w("reintegrated:85 lost_contact:7 relocated_abroad:5 other:3")
CLOSED_WITHOUT_ASSISTANCE = _w("refused_assistance:55 lost_contact:20 relocated_abroad:15 transferred:10")
DROPPED_OUT = _w("refused_assistance:60 lost_contact:40")
OLD_PROCEEDING_STAGE = _w("conviction:50 trial:25 dismissed:20 acquittal:5")
PROCEEDING_ROLE = _w("injured_party:60 witness:25 civil_party:15")
REJECTION_REASONS = (
    "Nu mai avem locuri disponibile în adăpost în această perioadă.",
    "Serviciile solicitate nu sunt oferite de organizația noastră.",
)

FORM_PHRASES = {
    "sexual": "exploatare sexuală",
    "forced_labour": "muncă forțată",
    "forced_begging": "cerșetorie forțată",
    "forced_criminality": "obligare la comiterea de furturi",
    "servitude": "aservire",
    "forced_marriage": "căsătorie forțată",
    "child_labour": "exploatarea prin muncă a copilului",
    "attempted": "tentativă de trafic",
    "other": "altă formă de exploatare",
}
NOTIFIER_PHRASES = {
    "police": "poliție",
    "border_police": "poliția de frontieră",
    "diicot": "DIICOT",
    "consulate": "consulat",
    "ngo": "o organizație neguvernamentală",
    "dgaspc": "DGASPC",
    "itm": "inspectoratul teritorial de muncă",
    "iom": "OIM",
    "hq": "linia telefonică gratuită 0800 800 678",
}

# Providers by development region (1 Nord-Est … 8 București-Ilfov): the demo NGOs and shelters.
PROVIDERS_NORTH_EAST = (
    "Asociația Speranța Moldovei (demo)",
    "Adăpostul Lumina (demo)",
    "Centrul public de asistență Iași (demo)",
)
PROVIDERS_NORTH_WEST = ("Fundația Drum Nou (demo)",)
PROVIDERS_SOUTH = ("Asociația Casa Deschisă (demo)", "Adăpostul Primăvara (demo)")
PROVIDERS_BY_REGION = {
    1: PROVIDERS_NORTH_EAST,
    2: PROVIDERS_NORTH_EAST + PROVIDERS_SOUTH,
    3: PROVIDERS_SOUTH,
    4: PROVIDERS_SOUTH,
    5: PROVIDERS_NORTH_WEST,
    6: PROVIDERS_NORTH_WEST,
    7: PROVIDERS_NORTH_WEST + PROVIDERS_SOUTH,
    8: PROVIDERS_SOUTH,
}
NAMED_ORGANISATIONS = {
    "police": "Inspectoratul General al Poliției Române",
    "diicot": "DIICOT – Structura Centrală",
    "border_police": "Inspectoratul General al Poliției de Frontieră",
    "itm": "Inspectoratul Teritorial de Muncă Iași",
    "consulate": "Consulatul General al României la Milano",
    "iom": "Organizația Internațională pentru Migrație – Misiunea în România",
    "hq": HQ_NAME,
}
# Demo accounts (atis.core.demo) that open and manage the cases of their centre.
CENTRE_MANAGERS = {"Centrul Regional Iași": "manager.iasi", "Centrul Regional București": "manager.bucuresti"}
COORDINATOR = "coordonator"
PROVIDER_ACCOUNTS = {"Asociația Speranța Moldovei (demo)": "ong.speranta"}


class DemoDataMissing(Exception):
    """The reference data or the demo organisations and accounts are not loaded yet."""


# --- What the database already holds -----------------------------------------------------


@dataclass
class _CountyInfo:
    pk: int
    mnemonic: str
    ins_code: int
    region: int
    urban: list[tuple[int, str]]
    rural: list[tuple[int, str]]
    centre_id: int
    dgaspc_id: int | None


@dataclass
class _Context:
    counties: dict[str, _CountyInfo]
    origin: Weighted[str]
    organisations: dict[str, int]
    codes: dict[tuple[str, str], int]
    hq_id: int
    coordinator_id: int
    managers: dict[int, int]  # centre id -> user id
    provider_users: dict[int, int]  # organisation id -> user id
    days: list[datetime.date]
    day_cumulative: list[float]
    female_names: list[str] = field(default_factory=list)
    male_names: list[str] = field(default_factory=list)
    last_names: list[str] = field(default_factory=list)
    streets: list[str] = field(default_factory=list)

    def code(self, code_list: str, value: str) -> int:
        return self.codes[(code_list, value)]


def _load_context(seed: int, today: datetime.date) -> _Context:
    counties = list(County.objects.select_related("region").order_by("mnemonic"))
    if len(counties) < 42:
        raise DemoDataMissing("Load the reference data first (migrate, load_reference).")
    coverage = dict(CentreCoverage.objects.values_list("county_id", "centre_id"))
    dgaspc: dict[int, int] = {}
    # The same choice as services.child_protection_for: the first active DGASPC of the county.
    for pk, county_id in (
        Organisation.objects.filter(kind=OrganisationKind.DGASPC, is_active=True, county__isnull=False)
        .order_by("-name")
        .values_list("pk", "county_id")
    ):
        dgaspc[county_id] = pk
    localities: dict[int, tuple[list[tuple[int, str]], list[tuple[int, str]]]] = {c.pk: ([], []) for c in counties}
    for pk, county_id, name, urban in Locality.objects.order_by("siruta_code").values_list(
        "pk", "county_id", "name", "urban"
    ):
        localities[county_id][0 if urban else 1].append((pk, name.title()))
    info = {
        county.mnemonic: _CountyInfo(
            pk=county.pk,
            mnemonic=county.mnemonic,
            ins_code=county.ins_code,
            region=county.region.code,
            urban=localities[county.pk][0],
            rural=localities[county.pk][1],
            centre_id=coverage[county.pk],
            dgaspc_id=dgaspc.get(county.pk),
        )
        for county in counties
        if county.pk in coverage
    }
    if not info:
        raise DemoDataMissing("No county is covered by a regional centre: run load_reference first.")

    names = set(NAMED_ORGANISATIONS.values()) | set(CENTRE_MANAGERS) | set(PROVIDER_ACCOUNTS)
    for providers in PROVIDERS_BY_REGION.values():
        names.update(providers)
    organisations = dict(Organisation.objects.filter(name__in=names).values_list("name", "pk"))
    missing = names - set(organisations)
    if missing:
        raise DemoDataMissing(f"Demo organisations missing (run seed_demo): {sorted(missing)}")
    usernames = {COORDINATOR, *CENTRE_MANAGERS.values(), *PROVIDER_ACCOUNTS.values()}
    users = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
    if COORDINATOR not in users:
        raise DemoDataMissing("Demo accounts missing: run seed_demo (it creates them before the cases).")
    codes = {(c.list, c.code): c.pk for c in Code.objects.all()}

    faker = Faker("ro_RO")
    faker.seed_instance(seed)
    days, cumulative = _day_distribution(today)
    return _Context(
        counties=info,
        origin=Weighted([(mnemonic, COUNTY_WEIGHTS.get(mnemonic, 1.0)) for mnemonic in sorted(info)]),
        organisations=organisations,
        codes=codes,
        hq_id=organisations[HQ_NAME],
        coordinator_id=users[COORDINATOR],
        managers={
            organisations[centre]: users[username] for centre, username in CENTRE_MANAGERS.items() if username in users
        },
        provider_users={
            organisations[name]: users[username] for name, username in PROVIDER_ACCOUNTS.items() if username in users
        },
        days=days,
        day_cumulative=cumulative,
        female_names=sorted({faker.first_name_female() for _ in range(600)}),
        male_names=sorted({faker.first_name_male() for _ in range(600)}),
        last_names=sorted({faker.last_name() for _ in range(900)}),
        streets=sorted({faker.street_name() for _ in range(400)}),
    )


def _day_distribution(today: datetime.date) -> tuple[list[datetime.date], list[float]]:
    """Every day from FIRST_DAY to today, weighted so that each year gets its share."""
    days: list[datetime.date] = []
    cumulative: list[float] = []
    total = 0.0
    day = FIRST_DAY
    while day <= today:
        year_days = 366 if day.year % 4 == 0 and (day.year % 100 != 0 or day.year % 400 == 0) else 365
        total += YEAR_WEIGHTS.get(day.year, YEAR_WEIGHTS[max(YEAR_WEIGHTS)]) / year_days
        days.append(day)
        cumulative.append(total)
        day += datetime.timedelta(days=1)
    return days, [value / total for value in cumulative]


# --- One batch of cases in memory ----------------------------------------------------------


@dataclass
class _Batch:
    persons: list[Person] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    vulnerabilities: list[tuple[Person, int]] = field(default_factory=list)
    case_codes: dict[str, list[tuple[Case, int]]] = field(default_factory=dict)
    events: list[TraffickingEvent] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    referral_services: list[tuple[Referral, int]] = field(default_factory=list)
    tasks: list[CaseTask] = field(default_factory=list)
    proceedings: list[Proceeding] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "cases": len(self.cases),
            "persons": len(self.persons),
            "events": len(self.events),
            "consents": len(self.consents),
            "referrals": len(self.referrals),
            "tasks": len(self.tasks),
            "proceedings": len(self.proceedings),
        }


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A time in office hours on `day` (UTC is close enough for synthetic data)."""
    return datetime.datetime.combine(
        day, datetime.time(rng.randint(8, 16), rng.randint(0, 59), rng.randint(0, 59)), tzinfo=datetime.UTC
    )


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class _CaseBuilder:
    """Builds case `i` and everything around it as unsaved model instances."""

    def __init__(self, context: _Context, seed: int, today: datetime.date) -> None:
        self.ctx = context
        self.seed = seed
        self.today = today
        self.rng = random.Random()
        self.dgaspc_reason = _("Minor: child protection must be notified by law (Law 272/2004).")

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _day(self, index: int) -> datetime.date:
        # A low-discrepancy sequence spreads any prefix of the cases evenly over the years.
        u = (index * _GOLDEN + self.seed % 1000 / 1000) % 1.0
        position = bisect.bisect_left(self.ctx.day_cumulative, u)
        return self.ctx.days[min(position, len(self.ctx.days) - 1)]

    def build(self, indexes: range) -> _Batch:
        batch = _Batch(case_codes={name: [] for name in services.CASE_M2M})
        for index in indexes:
            self._build_one(index, batch)
        return batch

    def _build_one(self, index: int, batch: _Batch) -> None:
        rng, ctx, today = self.rng, self.ctx, self.today
        rng.seed(self.seed * 10_000_019 + index)
        notified_on = self._day(index)
        primary = PRIMARY_FORM.pick(rng)
        _share, minor_share, female_share, internal_share = FORMS[primary]
        forms = [primary]
        if primary in SECOND_FORMS and rng.random() < SECOND_FORM_SHARE:
            forms.append(SECOND_FORMS[primary].pick(rng))
        minor = rng.random() < minor_share
        female = rng.random() < female_share
        if primary == "sexual":
            internal_share = SEXUAL_INTERNAL[minor]
        internal = rng.random() < internal_share
        destination = "RO" if internal else DESTINATIONS.pick(rng)

        # The story's dates: exploitation, notification, identification or not.
        not_victim = rng.random() < NOT_VICTIM_SHARE
        delay = rng.choices((rng.randint(0, 7), rng.randint(8, 45), rng.randint(46, 120)), (60, 30, 10))[0]
        decided_on = notified_on + datetime.timedelta(days=delay)
        decided = decided_on <= today
        identified_on = decided_on if decided and not not_victim else None
        age_day = identified_on or notified_on

        county = ctx.counties[ctx.origin.pick(rng)]
        citizenship = "RO" if rng.random() < 0.98 else FOREIGN_CITIZENSHIP.pick(rng)
        urban = rng.random() < URBAN_SHARE
        places = (county.urban if urban else county.rural) or county.urban or county.rural
        locality_id, locality_name = places[rng.randrange(len(places))]

        # Person: the age when identified drives the date of birth, as a case worker records it.
        if minor:
            age = MINOR_AGES.pick(rng)
        else:
            low, high = ADULT_AGE_BANDS.pick(rng)
            age = rng.randint(low, high)
        born = _years_before(age_day, age) - datetime.timedelta(days=rng.randint(0, 364))
        sex = Sex.FEMALE if female else Sex.MALE
        first_name = rng.choice(ctx.female_names if female else ctx.male_names)
        last_name = rng.choice(ctx.last_names)
        cnp = ""
        if citizenship == "RO" and rng.random() < (0.88 if not minor else 0.55):
            county_code = rng.randint(41, 46) if county.mnemonic == "B" else county.ins_code
            cnp = make_cnp(born=born, female=female, county_code=county_code, serial=rng.randint(1, 999))
        phone = ""
        if rng.random() < 0.38:
            number = f"7{rng.randint(20, 99)}{rng.randint(0, 999_999):06d}"
            phone = rng.choice((f"0{number[:3]} {number[3:6]} {number[6:]}", f"+40 {number}", f"0{number}"))
        email = ""
        if rng.random() < 0.08:
            email = (
                f"{normalise_for_lookup(first_name)}.{normalise_for_lookup(last_name)}{rng.randint(1, 99)}"
                f"@{rng.choice(('gmail.com', 'yahoo.com', 'yahoo.ro'))}"
            )
        address = ""
        if rng.random() < 0.7:
            address = f"{rng.choice(ctx.streets)} nr. {rng.randint(1, 120)}, {locality_name}"
        languages = "română"
        if county.mnemonic in HUNGARIAN_COUNTIES and rng.random() < 0.25:
            languages = "română, maghiară"
        elif rng.random() < 0.08:
            languages = "română, romani"
        elif not internal and rng.random() < 0.3:
            languages = (
                f"română, {'italiană' if destination == 'IT' else 'spaniolă' if destination == 'ES' else 'engleză'}"
            )
        if citizenship != "RO":
            languages = "rusă, română" if citizenship in ("MD", "UA") else "engleză"

        centre_id = county.centre_id
        owner_id = centre_id if rng.random() < 0.85 else ctx.hq_id
        manager_id = ctx.managers.get(centre_id)
        author_id = manager_id or ctx.coordinator_id
        created_at = _at(notified_on, rng)

        person = Person(
            public_id=self._uuid(),
            reference=demo_reference(DEMO_PERSON_PREFIX, index),
            first_name=first_name,
            last_name=last_name,
            cnp=cnp,
            date_of_birth=cast(Any, born),  # an encrypted date; its stub types it as text
            phone=phone,
            email=email,
            address=address,
            sex=sex,
            citizenship=citizenship,
            county_id=county.pk,
            locality_id=locality_id,
            languages=languages,
            education=(EDUCATION_MINOR if minor else EDUCATION_ADULT).pick(rng),
            created_at=created_at,
            updated_at=created_at,
        )
        services._set_person_lookups(person)
        batch.persons.append(person)
        for code, (adult_share, minor_share_v) in VULNERABILITIES.items():
            if rng.random() < (minor_share_v if minor else adult_share):
                batch.vulnerabilities.append((person, ctx.code("vulnerability", code)))
        if not internal and rng.random() < 0.1:
            batch.vulnerabilities.append((person, ctx.code("vulnerability", "migration")))

        # Exploitation before the notification (unknown for a few).
        started_on = ended_on = None
        if primary != "attempted" and rng.random() < 0.95:
            ended_on = notified_on - datetime.timedelta(days=rng.choice((0, 0, 1, 3, 7, 15, 30, 60, 120)))
            months = rng.randint(1, 36 if primary == "sexual" else 14)
            started_on = ended_on - datetime.timedelta(days=months * 30 + rng.randint(0, 29))
        recruitment_key = RECRUITMENT.get(primary, RECRUITMENT[""]).pick(rng) if rng.random() < 0.95 else ""
        relation_key = RELATION.get(recruitment_key, RELATION[""]).pick(rng) if recruitment_key else ""
        notifier = NOTIFIER.pick(rng)
        if notifier == "consulate" and internal:
            notifier = "police"
        notifying_id = (
            county.dgaspc_id if notifier == "dgaspc" else self._organisation(notifier, county.region, rng)
        ) or ctx.organisations[NAMED_ORGANISATIONS["police"]]

        case = Case(
            public_id=self._uuid(),
            reference=demo_reference(DEMO_CASE_PREFIX, index),
            person=person,
            status=CaseStatus.NOTIFIED,
            trafficking_status=TraffickingStatus.PRESUMED,
            recruitment_method_id=ctx.code("recruitment_method", recruitment_key) if recruitment_key else None,
            recruiter_relation_id=ctx.code("recruiter_relation", relation_key) if relation_key else None,
            trafficking_scope=Scope.INTERNAL if internal else Scope.INTERNATIONAL,
            destination_country=destination,
            notifying_institution_id=notifying_id,
            county_id=county.pk,
            centre_id=centre_id,
            owner_organisation_id=owner_id,
            case_manager_id=manager_id,
            created_by_id=author_id,
            notified_on=notified_on,
            exploitation_started_on=started_on,
            exploitation_ended_on=ended_on,
            summary=self._summary(primary, destination, notifier, internal),
            created_at=created_at,
            updated_at=created_at,
        )
        batch.cases.append(case)
        self._codes(case, forms, batch)
        self._events(case, person, county, destination, primary == "attempted", (started_on, ended_on), batch)

        last_change = notified_on
        if decided and not_victim:
            case.status = CaseStatus.NOT_VICTIM
            case.trafficking_status = TraffickingStatus.NOT_VICTIM
            case.deciding_institution_id = ctx.organisations[NAMED_ORGANISATIONS[rng.choice(("police", "diicot"))]]
            case.version += 1
            last_change = decided_on
            closed_on = decided_on + datetime.timedelta(days=rng.randint(1, 60))
            if closed_on <= today and rng.random() < 0.8:
                self._close(case, closed_on, "not_a_victim")
                last_change = closed_on
        elif identified_on is not None:
            last_change = self._identified(case, person, county, identified_on, minor, internal, batch)
        services._set_minor_flags(case, person)
        case.updated_at = _at(last_change, rng)
        person.updated_at = case.created_at

    def _organisation(self, key: str, region: int, rng: random.Random) -> int | None:
        if key == "ngo":
            providers = PROVIDERS_BY_REGION[region]
            return self.ctx.organisations[providers[rng.randrange(len(providers))]]
        if key == "centre":
            return None
        return self.ctx.organisations[NAMED_ORGANISATIONS[key]]

    def _summary(self, primary: str, destination: str, notifier: str, internal: bool) -> str:
        where = "în România" if internal else f"în {destination}"
        return (
            f"Persoană semnalată de {NOTIFIER_PHRASES[notifier]}; {FORM_PHRASES[primary]} {where}. "
            "Date sintetice pentru demonstrație."
        )

    def _codes(self, case: Case, forms: list[str], batch: _Batch) -> None:
        rng, ctx = self.rng, self.ctx
        for form in forms:
            batch.case_codes["exploitation_forms"].append((case, ctx.code("exploitation_form", form)))
        if "sexual" in forms:
            kinds = {SEXUAL_TYPES.pick(rng)}
            if rng.random() < 0.1:
                kinds.add(SEXUAL_TYPES.pick(rng))
            batch.case_codes["sexual_exploitation_types"] += [
                (case, ctx.code("sexual_exploitation_type", kind)) for kind in sorted(kinds)
            ]
        if {"forced_labour", "child_labour", "servitude"} & set(forms):
            industries = {INDUSTRIES.pick(rng)}
            if rng.random() < 0.15:
                industries.add(INDUSTRIES.pick(rng))
            batch.case_codes["labour_industries"] += [
                (case, ctx.code("labour_industry", industry)) for industry in sorted(industries)
            ]
        pool = CONTROL.get(forms[0], CONTROL[""])
        for method in rng.sample(pool, rng.randint(1, min(4, len(pool)))):
            batch.case_codes["control_methods"].append((case, ctx.code("control_method", method)))

    def _events(
        self,
        case: Case,
        person: Person,
        county: _CountyInfo,
        destination: str,
        attempted: bool,
        exploited: tuple[datetime.date | None, datetime.date | None],
        batch: _Batch,
    ) -> None:
        rng, ctx = self.rng, self.ctx
        internal = destination == "RO"
        started_on, ended_on = exploited
        recruited_on = started_on - datetime.timedelta(days=rng.randint(3, 60)) if started_on else None
        if attempted:  # stopped before any exploitation, often at the border
            recruited_on = case.notified_on - datetime.timedelta(days=rng.randint(1, 30))
        batch.events.append(
            TraffickingEvent(
                case=case,
                kind=EventKind.RECRUITMENT,
                country="RO",
                county_id=county.pk,
                locality_id=person.locality_id,
                started_on=recruited_on,
                ended_on=recruited_on,
            )
        )
        if attempted:
            if not internal:
                batch.events.append(
                    TraffickingEvent(
                        case=case, kind=EventKind.TRANSIT, country=TRANSIT.pick(rng), started_on=case.notified_on
                    )
                )
            return
        if internal:
            where = ctx.counties.get(HOTSPOTS.pick(rng), county) if rng.random() < 0.4 else county
            towns = where.urban or where.rural
            batch.events.append(
                TraffickingEvent(
                    case=case,
                    kind=EventKind.EXPLOITATION,
                    country="RO",
                    county_id=where.pk,
                    locality_id=towns[rng.randrange(len(towns))][0],
                    started_on=started_on,
                    ended_on=ended_on,
                )
            )
            return
        if rng.random() < 0.6:
            transit_on = started_on - datetime.timedelta(days=rng.randint(0, 2)) if started_on else None
            batch.events.append(
                TraffickingEvent(
                    case=case,
                    kind=EventKind.TRANSIT,
                    country=TRANSIT.pick(rng),
                    started_on=transit_on,
                    ended_on=transit_on,
                )
            )
        batch.events.append(
            TraffickingEvent(
                case=case,
                kind=EventKind.EXPLOITATION,
                country=destination,
                place=rng.choice(CITIES[destination]),
                started_on=started_on,
                ended_on=ended_on,
            )
        )

    def _close(self, case: Case, closed_on: datetime.date, reason: str) -> None:
        case.status = CaseStatus.CLOSED
        case.closed_on = closed_on
        case.closure_reason_id = self.ctx.code("closure_reason", reason)
        case.version += 1

    def _task(self, batch: _Batch, case: Case, kind: str, due_on: datetime.date, actor_id: int) -> None:
        done = due_on <= self.today and self.rng.random() < 0.92
        batch.tasks.append(
            CaseTask(
                case=case,
                kind=kind,
                due_on=due_on,
                done_on=due_on if done else None,
                done_by_id=actor_id if done else None,
                outcome="Realizat." if done else "",
            )
        )

    def _referral(
        self,
        batch: _Batch,
        case: Case,
        to_id: int,
        sent_on: datetime.date,
        *,
        consent: Consent | None,
        minor: bool,
        sections: Sequence[str],
    ) -> Referral:
        rng = self.rng
        referral = Referral(
            public_id=self._uuid(),
            case=case,
            from_organisation_id=case.owner_organisation_id,
            to_organisation_id=to_id,
            sections=list(sections),
            consent=consent,
            override_reason="" if consent else self.dgaspc_reason,
            sent_by_id=case.created_by_id,
            sent_at=_at(sent_on, rng),
            reason_id=self.ctx.code("referral_reason", "additional_services") if consent else None,
        )
        batch.referrals.append(referral)
        wanted = [
            service for service, share in (SERVICES_MINOR if minor else SERVICES_ADULT).items() if rng.random() < share
        ]
        for service in wanted or ["psychological"]:
            batch.referral_services.append((referral, self.ctx.code("service_type", service)))
        return referral

    def _answer(self, referral: Referral, status: str, on: datetime.date, reason: str = "") -> None:
        referral.status = status
        referral.answered_at = _at(on, self.rng)
        referral.answered_by_id = self.ctx.provider_users.get(referral.to_organisation_id)
        if status in (ReferralStatus.REJECTED, ReferralStatus.REVOKED, ReferralStatus.COMPLETED):
            referral.closed_at = referral.answered_at
            referral.response_reason = reason

    def _identified(
        self,
        case: Case,
        person: Person,
        county: _CountyInfo,
        identified_on: datetime.date,
        minor: bool,
        internal: bool,
        batch: _Batch,
    ) -> datetime.date:
        """The NIRM path after identification, as far as `today` reaches. Returns the day of
        the last change."""
        rng, ctx, today = self.rng, self.ctx, self.today
        actor = case.created_by_id
        first_referral = len(batch.referrals)  # this case's referrals are the ones added from here
        identifier = IDENTIFIER.pick(rng)
        identifying_id = (
            county.centre_id
            if identifier == "centre"
            else county.dgaspc_id
            if identifier == "dgaspc"
            else self._organisation(identifier, county.region, rng)
        ) or ctx.organisations[NAMED_ORGANISATIONS["police"]]
        case.status = CaseStatus.IDENTIFIED
        case.trafficking_status = TraffickingStatus.IDENTIFIED
        case.identified_on = identified_on
        case.identifying_institution_id = identifying_id
        case.deciding_institution_id = identifying_id
        case.reflection_starts_on = identified_on
        case.reflection_ends_on = identified_on + datetime.timedelta(days=services.REFLECTION_DAYS)
        case.version += 1
        last = identified_on
        self._task(batch, case, TaskKind.REFLECTION_END, case.reflection_ends_on, actor)

        dgaspc_referral = None
        if minor and county.dgaspc_id:
            # Law 272/2004: a child goes to child protection whatever the consent on file.
            case.child_protection_id = county.dgaspc_id
            self._task(batch, case, TaskKind.CHILD_PROTECTION, identified_on, actor)
            dgaspc_referral = self._referral(
                batch, case, county.dgaspc_id, identified_on, consent=None, minor=True, sections=list(Section.values)
            )
            accepted_on = identified_on + datetime.timedelta(days=rng.randint(0, 3))
            if accepted_on <= today:
                self._answer(dgaspc_referral, ReferralStatus.ACCEPTED, accepted_on)

        if rng.random() < 0.45:
            given = identified_on + datetime.timedelta(days=rng.randint(0, 20))
            if given <= today:
                batch.consents.append(
                    Consent(
                        case=case,
                        purpose=ConsentPurpose.PROCEEDINGS,
                        given_on=given,
                        given_by_representative=minor,
                        recorded_by_id=actor,
                        recorded_at=_at(given, rng),
                    )
                )
                self._proceeding(case, given, batch)

        closed_on: datetime.date | None = None
        reason = ""
        if rng.random() < ASSISTED_SHARE:
            consent_on = identified_on + datetime.timedelta(days=rng.randint(0, 5))
            if consent_on > today:
                return last
            batch.consents.append(
                Consent(
                    case=case,
                    purpose=ConsentPurpose.ASSISTANCE,
                    given_on=consent_on,
                    given_by_representative=minor,
                    recorded_by_id=actor,
                    recorded_at=_at(consent_on, rng),
                )
            )
            last = consent_on
            referrals = [dgaspc_referral] if dgaspc_referral else []
            if not minor or rng.random() < 0.4:
                providers = PROVIDERS_BY_REGION[county.region]
                provider_id = ctx.organisations[providers[rng.randrange(len(providers))]]
                sharing = Consent(
                    case=case,
                    purpose=ConsentPurpose.SHARING,
                    organisation_id=provider_id,
                    given_on=consent_on,
                    given_by_representative=minor,
                    recorded_by_id=actor,
                    recorded_at=_at(consent_on, rng),
                )
                batch.consents.append(sharing)
                sections = [Section.CASE, Section.ASSISTANCE] + ([Section.PERSON] if rng.random() < 0.8 else [])
                sent_on = consent_on + datetime.timedelta(days=rng.randint(0, 3))
                if sent_on > today:
                    return last
                if rng.random() < 0.06:
                    # The first provider had no room; the centre refers to another one.
                    refused = self._referral(
                        batch, case, provider_id, sent_on, consent=sharing, minor=minor, sections=sections
                    )
                    self._answer(refused, ReferralStatus.REJECTED, sent_on, rng.choice(REJECTION_REASONS))
                    others = [
                        name
                        for name in PROVIDERS_NORTH_EAST + PROVIDERS_SOUTH
                        if ctx.organisations[name] != provider_id
                    ]
                    provider_id = ctx.organisations[others[rng.randrange(len(others))]]
                    sharing = Consent(
                        case=case,
                        purpose=ConsentPurpose.SHARING,
                        organisation_id=provider_id,
                        given_on=sent_on,
                        given_by_representative=minor,
                        recorded_by_id=actor,
                        recorded_at=_at(sent_on, rng),
                    )
                    batch.consents.append(sharing)
                referral = self._referral(
                    batch, case, provider_id, sent_on, consent=sharing, minor=minor, sections=sections
                )
                referrals.append(referral)
                case.status = CaseStatus.REFERRED
                case.version += 1
                last = sent_on
            start = last + datetime.timedelta(days=rng.randint(1, 10))
            if start > today:
                return last
            for referral in referrals:
                if referral.status == ReferralStatus.SENT:
                    self._answer(referral, ReferralStatus.ACCEPTED, start)
            case.status = CaseStatus.ASSISTED
            case.version += 1
            last = start
            if rng.random() < 0.12:
                closed_on, reason = start + datetime.timedelta(days=rng.randint(10, 120)), DROPPED_OUT.pick(rng)
            else:
                follow_up = start + datetime.timedelta(days=rng.randint(60, 365))
                if follow_up > today:
                    return last
                case.status = CaseStatus.FOLLOW_UP
                case.version += 1
                last = follow_up
                for kind, months in services.FOLLOW_UP_MONTHS.items():
                    self._task(batch, case, kind, services._add_months(follow_up, months), actor)
                closed_on = services._add_months(follow_up, 12) + datetime.timedelta(days=rng.randint(0, 30))
                reason = CLOSED_AFTER_ASSISTANCE.pick(rng)
        else:
            closed_on = case.reflection_ends_on + datetime.timedelta(days=rng.randint(-60, 30))
            reason = CLOSED_WITHOUT_ASSISTANCE.pick(rng)
            if rng.random() < 0.1:
                closed_on = None  # still open: proceedings only, or the person keeps in touch
        if closed_on is None or closed_on > today:
            return last
        closed_on = max(closed_on, identified_on)
        for referral in batch.referrals[first_referral:]:
            if referral.status in (ReferralStatus.SENT, ReferralStatus.ACCEPTED):
                self._answer(referral, ReferralStatus.COMPLETED, closed_on)
        self._close(case, closed_on, reason)
        return closed_on

    def _proceeding(self, case: Case, since: datetime.date, batch: _Batch) -> None:
        rng = self.rng
        elapsed = (self.today - since).days
        if elapsed < 90:
            stage = rng.choice((ProceedingStage.COMPLAINT, ProceedingStage.INVESTIGATION))
        elif elapsed < 365:
            stage = rng.choice(
                (ProceedingStage.INVESTIGATION, ProceedingStage.INVESTIGATION, ProceedingStage.INDICTMENT)
            )
        elif elapsed < 730:
            stage = rng.choice((ProceedingStage.INDICTMENT, ProceedingStage.TRIAL, ProceedingStage.TRIAL))
        else:
            stage = OLD_PROCEEDING_STAGE.pick(rng)
        role = PROCEEDING_ROLE.pick(rng)
        claimed = None
        awarded = None
        if role != ProceedingRole.WITNESS and rng.random() < 0.4:
            claimed = rng.randint(10, 200) * 1000
            if stage == ProceedingStage.CONVICTION:
                awarded = claimed // rng.choice((1, 2, 4))
        batch.proceedings.append(
            Proceeding(
                case=case,
                role=role,
                prosecuting_unit_id=self.ctx.organisations[NAMED_ORGANISATIONS["diicot"]],
                file_number=f"{rng.randint(100, 9999)}/D/P/{since.year}",
                stage=stage,
                compensation_claimed=claimed,
                compensation_awarded=awarded,
                updated_on=min(self.today, since + datetime.timedelta(days=min(elapsed, rng.randint(0, 900)))),
            )
        )


# --- Writing -------------------------------------------------------------------------------


@contextlib.contextmanager
def _historical_timestamps() -> Iterator[None]:
    """Keep the dates the story gives instead of "now" (auto_now fields ignore given values)."""
    fields = [
        cast(models.DateTimeField, model._meta.get_field(name))  # type: ignore[type-arg]
        for model, name in (
            (Person, "created_at"),
            (Person, "updated_at"),
            (Case, "created_at"),
            (Case, "updated_at"),
            (Consent, "recorded_at"),
            (Referral, "sent_at"),
        )
    ]
    saved = [(item, item.auto_now, item.auto_now_add) for item in fields]
    try:
        for item in fields:
            item.auto_now = item.auto_now_add = False
        yield
    finally:
        for item, auto_now, auto_now_add in saved:
            item.auto_now, item.auto_now_add = auto_now, auto_now_add


def _write(batch: _Batch) -> None:
    size = 1_000
    Person.objects.bulk_create(batch.persons, batch_size=size)
    through: Any = Person.vulnerabilities.through
    through.objects.bulk_create(
        [through(person_id=person.pk, code_id=code_id) for person, code_id in batch.vulnerabilities], batch_size=size
    )
    Case.objects.bulk_create(batch.cases, batch_size=size)
    for name, pairs in batch.case_codes.items():
        through = getattr(Case, name).through
        through.objects.bulk_create(
            [through(case_id=case.pk, code_id=code_id) for case, code_id in pairs], batch_size=size
        )
    TraffickingEvent.objects.bulk_create(batch.events, batch_size=size)
    Consent.objects.bulk_create(batch.consents, batch_size=size)
    Referral.objects.bulk_create(batch.referrals, batch_size=size)
    through = Referral.services.through
    through.objects.bulk_create(
        [through(referral_id=referral.pk, code_id=code_id) for referral, code_id in batch.referral_services],
        batch_size=size,
    )
    CaseTask.objects.bulk_create(batch.tasks, batch_size=size)
    Proceeding.objects.bulk_create(batch.proceedings, batch_size=size)


def demo_case_count() -> int:
    return Case.objects.filter(reference__startswith=DEMO_CASE_PREFIX).count()


def demo_cases_build(
    count: int, *, start: int = 0, seed: int = DEFAULT_SEED, today: datetime.date | None = None
) -> _Batch:
    """The cases `start`…`start + count - 1` in memory, unsaved (for tests and previews)."""
    today = today or timezone.localdate()
    return _CaseBuilder(_load_context(seed, today), seed, today).build(range(start, start + count))


def demo_cases_load(
    total: int = DEFAULT_DEMO_CASES,
    *,
    seed: int = DEFAULT_SEED,
    today: datetime.date | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], object] | None = None,
) -> dict[str, int]:
    """Make the database hold `total` demo cases; create only what is missing.

    Each batch commits on its own, so an interrupted run leaves whole batches and the next
    run resumes after them. One audit entry records the run (none when nothing was added).
    """
    existing = demo_case_count()
    counts = {"cases": 0, "persons": 0, "events": 0, "consents": 0, "referrals": 0, "tasks": 0, "proceedings": 0}
    if existing >= total:
        return counts
    today = today or timezone.localdate()
    builder = _CaseBuilder(_load_context(seed, today), seed, today)
    ranges = [range(start, min(total, start + batch_size)) for start in range(existing, total, batch_size)]
    # The next batch is built (pure Python, no database) while the current one is written:
    # the database's share of the work then overlaps the building.
    with _historical_timestamps(), ThreadPoolExecutor(max_workers=1) as builder_thread:
        upcoming = builder_thread.submit(builder.build, ranges[0])
        for following in [*ranges[1:], None]:
            batch = upcoming.result()
            if following is not None:
                upcoming = builder_thread.submit(builder.build, following)
            with transaction.atomic():
                _write(batch)
                case_changed([case.pk for case in batch.cases])
            for key, value in batch.counts().items():
                counts[key] += value
            if progress:
                progress(len(batch.cases))
    audit_record(
        action="demo.seed",
        object_type="cases.case",
        object_label=f"{DEMO_CASE_PREFIX}*",
        details={**counts, "seed": seed, "demo_cases_total": total},
    )
    return counts
