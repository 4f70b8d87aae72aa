"""Demonstration agencies: real-sounding but fictional names, fiscal codes in a range not
yet given to any company (99xxxxxx, with a correct check digit), addresses in real counties.
Some licences are suspended, withdrawn or past their end date, so the look-up shows every
status. Written directly (the registry is reference data) and each agency audited.

Idempotent: agencies already present (by fiscal code) are left alone.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from atis.agencies import cui
from atis.agencies.importing import normalise_name
from atis.agencies.models import Agency, LicenceStatus
from atis.audit.services import audit_record
from atis.geo.models import County

_FIRST = (
    "Euro",
    "Carpați",
    "Dunărea",
    "Atlas",
    "Orizont",
    "Transilvania",
    "Moldova",
    "Delta",
    "Meridian",
    "Columna",
)
_SECOND = (
    "Job",
    "Muncă",
    "Career",
    "Work",
    "Personal",
    "Plasament",
    "Recrutare",
    "Staff",
    "Talent",
    "Contract",
)
_FORMS = ("SRL", "SRL", "SRL", "SA")
_PLACES = (
    ("IS", "Iași"),
    ("B", "București"),
    ("CJ", "Cluj-Napoca"),
    ("SB", "Sibiu"),
    ("DJ", "Craiova"),
    ("GL", "Galați"),
    ("BC", "Bacău"),
    ("SV", "Suceava"),
    ("TM", "Timișoara"),
    ("CT", "Constanța"),
    ("BV", "Brașov"),
    ("BH", "Oradea"),
    ("AG", "Pitești"),
    ("PH", "Ploiești"),
    ("MS", "Târgu Mureș"),
)
_STREETS = ("Str. Independenței", "Bd. Unirii", "Str. Libertății", "Calea Victoriei", "Str. Mihai Eminescu")
TOTAL = 40


def demo_agencies(seed: int) -> list[dict[str, object]]:
    rng = random.Random(f"agencies-{seed}")
    today = timezone.localdate()
    rows = []
    names: set[str] = set()
    for number in range(TOTAL):
        while True:
            name = f"{rng.choice(_FIRST)} {rng.choice(_SECOND)} {rng.choice(_FORMS)}"
            if name not in names:
                names.add(name)
                break
        issued = today - datetime.timedelta(days=rng.randint(60, 1300))
        valid_until = issued + datetime.timedelta(days=3 * 365)
        status = LicenceStatus.ACTIVE
        if number % 10 == 3:
            status = LicenceStatus.SUSPENDED
        elif number % 10 == 7:
            status = LicenceStatus.WITHDRAWN
        mnemonic, locality = rng.choice(_PLACES)
        rows.append(
            {
                "name": name,
                "fiscal_code": cui.with_check_digit(f"99{number:05d}{rng.randint(0, 9)}"),
                "licence_number": f"{rng.randint(10, 999)}/{issued.year}",
                "licence_issued_on": issued,
                "licence_valid_until": valid_until,
                "status": status,
                "county": mnemonic,
                "locality": locality,
                "address": f"{rng.choice(_STREETS)} nr. {rng.randint(1, 120)}",
                "website": f"https://{normalise_name(name).replace(' ', '-')}.example.ro",
                "notes": "Agenție fictivă, doar pentru demonstrație.",
            }
        )
    return rows


def load_demo_content(seed: int) -> str:
    counties = {county.mnemonic: county for county in County.objects.all()}
    existing = set(Agency.objects.values_list("fiscal_code", flat=True))
    now = timezone.now()
    created = 0
    with transaction.atomic():
        for row in demo_agencies(seed):
            if row["fiscal_code"] in existing:
                continue
            agency = Agency.objects.create(
                **{**row, "county": counties.get(str(row["county"]))},
                name_normalised=normalise_name(str(row["name"])),
                source="Date demonstrative",
                imported_at=now,
            )
            audit_record(action="agencies.agency_create", obj=agency, details={"source": "demo"})
            created += 1
    return f"Recruitment agencies: {created} demo agencies added ({Agency.objects.count()} in all)."
