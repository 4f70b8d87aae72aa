"""Every read of cooperation records goes through one scoping function per kind of record.

- Partner directory: agency staff (national, centre, own scope) see every partner; a partner's
  staff see only their own organisation.
- Agreements are internal to the agency by default: agency staff see them all; a partner's
  staff see only those their organisation is a party to AND that were shared with the parties.
- County teams: national sees all, a regional centre its counties, a partner the teams it
  chairs or sits on.
- Transnational referrals follow the case they belong to (`cases_visible_to`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from atis.accounts.selectors import scope_of
from atis.cases.selectors import cases_visible_to
from atis.cooperation.models import (
    Agreement,
    AgreementVisibility,
    ContactPoint,
    CountyTeam,
    Decision,
    DecisionStatus,
    Meeting,
    PartnerService,
    TransnationalReferral,
)
from atis.lib.scope import ScopeFields, ScopeKind, get_in_scope_or_404, restrict
from atis.organisations.models import Organisation, OrganisationKind

READ_DIRECTORY = "cooperation.view_partnerservice"
READ_AGREEMENTS = "cooperation.view_agreement"
READ_TEAMS = "cooperation.view_countyteam"
READ_TRANSNATIONAL = "cooperation.view_transnationalreferral"

# Days before expiry an agreement appears on the dashboard.
EXPIRY_ALERT_DAYS: int = getattr(settings, "ATIS_AGREEMENT_ALERT_DAYS", 60)

AGENCY_KINDS = (OrganisationKind.ANITP_HQ, OrganisationKind.ANITP_CENTRE)


def _agency_wide(user: Any) -> bool:
    """Agency staff whose scope is not one partner organisation."""
    return scope_of(user).kind in (ScopeKind.NATIONAL, ScopeKind.CENTRE, ScopeKind.OWN)


# --- Partner directory --------------------------------------------------------------------


def partners_visible_to(user: Any) -> QuerySet[Organisation]:
    if not user.has_perm(READ_DIRECTORY):
        return Organisation.objects.none()
    partners = Organisation.objects.select_related("county").filter(is_active=True)
    if _agency_wide(user):
        return partners
    return restrict(partners, scope_of(user), ScopeFields(organisation="id"))


def partners_search(
    queryset: QuerySet[Organisation],
    *,
    search: str = "",
    sector: str = "",
    country: str = "",
    county_id: int | None = None,
) -> QuerySet[Organisation]:
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(short_name__icontains=search))
    if sector:
        queryset = queryset.filter(sector=sector)
    if country:
        queryset = queryset.filter(country=country)
    if county_id:
        queryset = queryset.filter(county_id=county_id)
    return queryset


def partner_for(user: Any, public_id: Any) -> Organisation:
    return get_in_scope_or_404(partners_visible_to(user), public_id=public_id)


def contact_points_of(partner: Organisation) -> QuerySet[ContactPoint]:
    return partner.contact_points.filter(is_active=True)


def services_visible_to(user: Any) -> QuerySet[PartnerService]:
    return PartnerService.objects.filter(organisation__in=partners_visible_to(user), is_active=True).select_related(
        "organisation", "county", "service_type"
    )


def services_search(
    queryset: QuerySet[PartnerService], *, county_id: int | None = None, service_type_id: int | None = None
) -> QuerySet[PartnerService]:
    if county_id:
        queryset = queryset.filter(county_id=county_id)
    if service_type_id:
        queryset = queryset.filter(service_type_id=service_type_id)
    return queryset


def foreign_counterparts() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).exclude(country="RO").order_by("country", "name")


# --- Agreements ---------------------------------------------------------------------------


def agreements_visible_to(user: Any) -> QuerySet[Agreement]:
    if not user.has_perm(READ_AGREEMENTS):
        return Agreement.objects.none()
    scope = scope_of(user)
    if scope.kind in (ScopeKind.NATIONAL, ScopeKind.CENTRE):
        return Agreement.objects.all()
    if scope.kind == ScopeKind.ORGANISATION and scope.organisation_id is not None:
        shared = Agreement.objects.filter(
            visibility=AgreementVisibility.PARTIES, parties__id=scope.organisation_id
        ).values("pk")
        return Agreement.objects.filter(pk__in=shared)
    return Agreement.objects.none()


def agreement_for(user: Any, public_id: Any) -> Agreement:
    return get_in_scope_or_404(agreements_visible_to(user), public_id=public_id)


def agreements_expiring(
    user: Any, *, within_days: int = EXPIRY_ALERT_DAYS, today: datetime.date | None = None
) -> QuerySet[Agreement]:
    """Agreements still in force that end within the window, soonest first."""
    today = today or datetime.date.today()
    return (
        agreements_visible_to(user)
        .filter(expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=within_days))
        .order_by("expires_on")
    )


def agreements_search(
    queryset: QuerySet[Agreement], *, search: str = "", state: str = "", today: datetime.date | None = None
) -> QuerySet[Agreement]:
    today = today or datetime.date.today()
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(parties__name__icontains=search)).distinct()
    if state == "in_force":
        queryset = queryset.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
    elif state == "expired":
        queryset = queryset.filter(expires_on__lt=today)
    return queryset


# --- County teams -------------------------------------------------------------------------


def _team_shared_with(organisation_id: int) -> Q:
    return Q(chair_id=organisation_id) | Q(
        pk__in=CountyTeam.objects.filter(members__organisation_id=organisation_id).values("pk")
    )


TEAM_SCOPE = ScopeFields(county="county_id", shared_with_organisation=_team_shared_with)


def teams_visible_to(user: Any) -> QuerySet[CountyTeam]:
    if not user.has_perm(READ_TEAMS):
        return CountyTeam.objects.none()
    teams = CountyTeam.objects.select_related("county", "chair")
    return restrict(teams, scope_of(user), TEAM_SCOPE)


def team_for(user: Any, public_id: Any) -> CountyTeam:
    return get_in_scope_or_404(teams_visible_to(user), public_id=public_id)


def teams_overview(user: Any) -> QuerySet[CountyTeam]:
    return teams_visible_to(user).annotate(
        member_count=Count("members", distinct=True),
        open_decisions=Count(
            "meetings__decisions", filter=Q(meetings__decisions__status=DecisionStatus.OPEN), distinct=True
        ),
    )


def meeting_for(user: Any, public_id: Any) -> Meeting:
    return get_in_scope_or_404(
        Meeting.objects.filter(team__in=teams_visible_to(user)).select_related("team", "team__county"),
        public_id=public_id,
    )


def decision_for(user: Any, public_id: Any) -> Decision:
    return get_in_scope_or_404(
        Decision.objects.filter(meeting__team__in=teams_visible_to(user)).select_related(
            "meeting", "meeting__team", "owner_organisation"
        ),
        public_id=public_id,
    )


def decisions_overdue_for_owner(user: Any, *, today: datetime.date | None = None) -> QuerySet[Decision]:
    """Open decisions past their date that this person, or their institution if no person was named, owns."""
    from atis.accounts.selectors import active_membership

    today = today or datetime.date.today()
    membership = active_membership(user)
    mine = Q(owner=user)
    if membership is not None:
        mine |= Q(owner__isnull=True, owner_organisation_id=membership.organisation_id)
    return (
        Decision.objects.filter(meeting__team__in=teams_visible_to(user), status=DecisionStatus.OPEN, due_on__lt=today)
        .filter(mine)
        .select_related("meeting", "meeting__team__county", "owner_organisation")
        .order_by("due_on")
    )


# --- Transnational referrals --------------------------------------------------------------


def transnational_visible_to(user: Any) -> QuerySet[TransnationalReferral]:
    if not user.has_perm(READ_TRANSNATIONAL):
        return TransnationalReferral.objects.none()
    return TransnationalReferral.objects.filter(case__in=cases_visible_to(user)).select_related(
        "case", "counterpart", "sharing", "sharing__consent"
    )


def transnational_for(user: Any, public_id: Any) -> TransnationalReferral:
    return get_in_scope_or_404(transnational_visible_to(user), public_id=public_id)
