from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from atis.geo.models import County, DevelopmentRegion, Locality
from atis.geo.reference import COUNTIES_CSV, read_counties, read_localities, uats_from_siruta
from atis.organisations.models import CentreCoverage, Organisation, OrganisationKind


def test_the_shipped_county_list_matches_the_shared_source() -> None:
    source = Path(settings.SHARED_DIR) / "data" / "romania" / "counties.csv"
    assert source.is_file(), f"the shared reference data is missing at {source} (set ATIS_SHARED_DIR)"
    assert read_counties(COUNTIES_CSV) == read_counties(source)


def test_the_shipped_localities_are_the_administrative_units_of_siruta() -> None:
    source = Path(settings.SHARED_DIR) / "data" / "romania" / "siruta_2025.csv"
    assert source.is_file(), f"the shared reference data is missing at {source} (set ATIS_SHARED_DIR)"
    assert read_localities() == uats_from_siruta(source)


@pytest.mark.django_db
def test_localities_know_their_county_and_whether_they_are_urban() -> None:
    assert Locality.objects.count() == 3181
    iasi = Locality.objects.get(siruta_code=95060)
    assert (iasi.county.mnemonic, iasi.urban) == ("IS", True)
    assert not Locality.objects.filter(county__mnemonic="IS", kind=Locality.Kind.COMMUNE, urban=True).exists()


@pytest.mark.django_db
def test_the_migration_loads_41_counties_bucharest_and_8_regions() -> None:
    assert County.objects.count() == 42
    assert DevelopmentRegion.objects.count() == 8
    assert County.objects.get(iso_code="RO-B").name == "București"
    assert County.objects.get(mnemonic="IS").region.name == "Nord-Est"


@pytest.mark.django_db
def test_fifteen_regional_centres_cover_every_county_once(personas) -> None:  # type: ignore[no-untyped-def]
    assert Organisation.objects.filter(kind=OrganisationKind.ANITP_CENTRE).count() == 15
    assert CentreCoverage.objects.count() == 42
    assert CentreCoverage.objects.get(county__mnemonic="VS").centre.name == "Centrul Regional Iași"
    assert CentreCoverage.objects.get(county__mnemonic="TR").centre.name == "Centrul Regional București"
