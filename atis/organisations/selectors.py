from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from atis.accounts.selectors import scope_of
from atis.geo.models import County
from atis.lib.scope import ScopeFields, restrict
from atis.organisations.models import CentreCoverage, Organisation

ORGANISATION_SCOPE = ScopeFields(county="county_id", organisation="id")


def organisations_visible_to(user: Any) -> QuerySet[Organisation]:
    """Administrators see every organisation; everyone else within their scope."""
    organisations = Organisation.objects.select_related("county")
    if user.has_perm("organisations.manage_organisations"):
        return organisations
    return restrict(organisations, scope_of(user), ORGANISATION_SCOPE)


def organisations_search(
    queryset: QuerySet[Organisation], *, search: str = "", kind: str = "", county_id: int | None = None
) -> QuerySet[Organisation]:
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(short_name__icontains=search))
    if kind:
        queryset = queryset.filter(kind=kind)
    if county_id:
        queryset = queryset.filter(county_id=county_id)
    return queryset


def centre_coverage_table() -> list[tuple[County, Organisation | None]]:
    coverage = {row.county_id: row.centre for row in CentreCoverage.objects.select_related("centre")}
    return [(county, coverage.get(county.pk)) for county in County.objects.all()]
