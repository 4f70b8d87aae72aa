"""The county list shipped with atis (made from ../shared/data/romania/counties.csv)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

COUNTIES_CSV = Path(__file__).resolve().parent / "data" / "counties.csv"


@dataclass(frozen=True)
class CountyRow:
    iso_code: str
    mnemonic: str
    name: str
    siruta_code: int
    ins_code: int
    region_code: int
    region_name: str


def read_counties(path: Path = COUNTIES_CSV) -> list[CountyRow]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            CountyRow(
                iso_code=row["iso_3166_2"],
                mnemonic=row["mnemonic"],
                name=row["name_iso"],
                siruta_code=int(row["siruta_code"]),
                ins_code=int(row["ins_jud_code"]),
                region_code=int(row["dev_region_code"]),
                region_name=row["dev_region"],
            )
            for row in csv.DictReader(handle)
        ]


def load_counties(region_model: Any, county_model: Any) -> int:
    """Create missing regions and counties. Takes the model classes so the data migration can
    pass its historical models and tests the current ones."""
    created = 0
    for row in read_counties():
        region, _ = region_model.objects.get_or_create(code=row.region_code, defaults={"name": row.region_name})
        _, made = county_model.objects.get_or_create(
            iso_code=row.iso_code,
            defaults={
                "mnemonic": row.mnemonic,
                "name": row.name,
                "siruta_code": row.siruta_code,
                "ins_code": row.ins_code,
                "region": region,
            },
        )
        created += int(made)
    return created
