"""The agency's own structure, loaded on every installation: headquarters and the 15
regional centres, one per Court of Appeal seat, with the counties each covers."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from atis.geo.models import County
from atis.organisations.models import CentreCoverage, Organisation, OrganisationKind

CENTRES_CSV = Path(__file__).resolve().parent / "data" / "regional_centres.csv"
HQ_NAME = "Agenția Națională împotriva Traficului de Persoane"


@transaction.atomic
def agency_structure_load() -> int:
    """Create what is missing; never overwrite what an administrator has since changed."""
    created = 0
    counties = {county.mnemonic: county for county in County.objects.all()}
    _, made = Organisation.objects.get_or_create(
        name=HQ_NAME,
        defaults={"short_name": "ANITP", "kind": OrganisationKind.ANITP_HQ, "county": counties["B"]},
    )
    created += int(made)
    with CENTRES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            centre, made = Organisation.objects.get_or_create(
                name=row["centre"],
                defaults={
                    "short_name": row["centre"].replace("Centrul Regional", "CR"),
                    "kind": OrganisationKind.ANITP_CENTRE,
                    "county": counties[row["seat_county"]],
                },
            )
            created += int(made)
            for mnemonic in row["counties"].split():
                _, made = CentreCoverage.objects.get_or_create(county=counties[mnemonic], defaults={"centre": centre})
                created += int(made)
    return created
