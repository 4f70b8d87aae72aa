"""What the public pages show about the agency: its regional centres and the counties each covers."""

from __future__ import annotations

from dataclasses import dataclass, field

from atis.geo.models import County
from atis.organisations.models import Organisation, OrganisationKind
from atis.organisations.selectors import centre_coverage_table


@dataclass
class PublicCentre:
    centre: Organisation
    counties: list[County] = field(default_factory=list)


def regional_centres() -> list[PublicCentre]:
    """Active regional centres in name order, each with the counties it covers.

    Only an office's published contacts are shown; nothing here comes from case data.
    """
    centres = {
        centre.pk: PublicCentre(centre)
        for centre in Organisation.objects.filter(kind=OrganisationKind.ANITP_CENTRE, is_active=True)
        .select_related("county")
        .order_by("name")
    }
    for county, centre in centre_coverage_table():
        if centre is not None and centre.pk in centres:
            centres[centre.pk].counties.append(county)
    return list(centres.values())


def headquarters() -> Organisation | None:
    return Organisation.objects.filter(kind=OrganisationKind.ANITP_HQ, is_active=True).order_by("pk").first()
