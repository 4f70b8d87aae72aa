"""Reads of the agency registry.

Scope: the registry is public information about companies, not about people, so the scope
is the permission alone: whoever may look agencies up sees the whole registry; imports and
their reports are seen by those who may import.

For the HelpLine: `agencies_search(user, query, limit)`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from atis.agencies import cui
from atis.agencies.importing import normalise_name
from atis.agencies.models import Agency, AgencyImport, LicenceStatus
from atis.agencies.permissions import IMPORT

VIEW = "agencies.view_agency"


def agencies_visible_to(user: Any) -> QuerySet[Agency]:
    if not getattr(user, "is_authenticated", False) or not user.has_perm(VIEW):
        return Agency.objects.none()
    return Agency.objects.select_related("county")


def agency_for(user: Any, public_id: Any) -> Agency:
    agency = agencies_visible_to(user).filter(public_id=public_id).first()
    if agency is None:
        raise Http404
    return agency


def _matching(agencies: QuerySet[Agency], query: str) -> QuerySet[Agency]:
    """A fiscal code (with or without RO) matches exactly; words match the name, each of
    them, without regard to case or diacritics."""
    code = cui.normalise(query).removeprefix("RO")
    if code.isdigit():
        return agencies.filter(fiscal_code=code)
    for word in normalise_name(query).split()[:8]:
        agencies = agencies.filter(name_normalised__contains=word)
    return agencies


def status_condition(status: str, today: datetime.date | None = None) -> Q:
    """The licence status as shown: an active licence past its end date counts as expired."""
    today = today or timezone.localdate()
    lapsed = Q(status=LicenceStatus.ACTIVE, licence_valid_until__lt=today)
    if status == LicenceStatus.EXPIRED:
        return Q(status=LicenceStatus.EXPIRED) | lapsed
    if status == LicenceStatus.ACTIVE:
        return Q(status=LicenceStatus.ACTIVE) & ~lapsed
    return Q(status=status)


def agencies_list(user: Any, *, query: str = "", status: str = "", county_id: int | None = None) -> QuerySet[Agency]:
    agencies = agencies_visible_to(user)
    if query.strip():
        agencies = _matching(agencies, query)
    if status in LicenceStatus.values:
        agencies = agencies.filter(status_condition(status))
    if county_id:
        agencies = agencies.filter(county_id=county_id)
    return agencies.order_by("name_normalised", "id")


def agencies_search(user: Any, query: str, limit: int = 10) -> list[Agency]:
    """The agencies whose name holds every word of `query` (no regard to case or diacritics)
    or whose fiscal code is `query`; for a look-up during a call. Each has `current_status`
    (expired when an active licence has lapsed) and `is_licensed`."""
    if not query.strip() or limit <= 0:
        return []
    return list(_matching(agencies_visible_to(user), query).order_by("name_normalised", "id")[:limit])


def imports_visible_to(user: Any) -> QuerySet[AgencyImport]:
    if not getattr(user, "is_authenticated", False) or not user.has_perm(IMPORT):
        return AgencyImport.objects.none()
    return AgencyImport.objects.select_related("uploaded_by").defer("content")


def import_for(user: Any, public_id: Any) -> AgencyImport:
    job = imports_visible_to(user).filter(public_id=public_id).first()
    if job is None:
        raise Http404
    return job
