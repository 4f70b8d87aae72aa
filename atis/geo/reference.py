"""The county list shipped with atis (made from ../shared/data/romania/counties.csv)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

COUNTIES_CSV = Path(__file__).resolve().parent / "data" / "counties.csv"
LOCALITIES_CSV = Path(__file__).resolve().parent / "data" / "uat_2025.csv"
# SIRUTA level 2 rows are the administrative units (UAT): municipalities, towns, communes.
SIRUTA_UAT_LEVEL = "2"
SIRUTA_URBAN = "1"


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


@dataclass(frozen=True)
class LocalityRow:
    siruta_code: int
    name: str
    county_ins_code: int
    kind: int
    urban: bool


def uats_from_siruta(path: Path) -> list[LocalityRow]:
    """The administrative units of the official SIRUTA list (`;`-separated, as INS publishes it)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            LocalityRow(
                siruta_code=int(row["SIRUTA"]),
                name=row["DENLOC"].strip(),
                county_ins_code=int(row["JUD"]),
                kind=int(row["TIP"]),
                urban=row["MED"] == SIRUTA_URBAN,
            )
            for row in csv.DictReader(handle, delimiter=";")
            if row["NIV"] == SIRUTA_UAT_LEVEL
        ]


def read_localities(path: Path = LOCALITIES_CSV) -> list[LocalityRow]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            LocalityRow(
                siruta_code=int(row["siruta_code"]),
                name=row["name"],
                county_ins_code=int(row["county_ins_code"]),
                kind=int(row["kind"]),
                urban=row["urban"] == "1",
            )
            for row in csv.DictReader(handle)
        ]


def write_localities(rows: list[LocalityRow], path: Path = LOCALITIES_CSV) -> None:
    """How the shipped file was made: `write_localities(uats_from_siruta(shared siruta_2025.csv))`."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["siruta_code", "name", "county_ins_code", "kind", "urban"])
        for row in rows:
            writer.writerow([row.siruta_code, row.name, row.county_ins_code, row.kind, int(row.urban)])


def load_localities(county_model: Any, locality_model: Any) -> int:
    counties = {county.ins_code: county for county in county_model.objects.all()}
    existing = set(locality_model.objects.values_list("siruta_code", flat=True))
    new = [
        locality_model(
            siruta_code=row.siruta_code,
            name=row.name,
            county=counties[row.county_ins_code],
            kind=row.kind,
            urban=row.urban,
        )
        for row in read_localities()
        if row.siruta_code not in existing
    ]
    locality_model.objects.bulk_create(new, batch_size=1000)
    return len(new)
