"""Every read of campaigns goes through here: the scoped list, totals against targets, the
risk view by county and the figures of an evaluation.

Scope: the national coordinator sees every campaign; a campaign officer those of their
organisation and those it is a partner in; a regional analyst (figures only) the campaigns
touching the counties of their centre, and the national ones. Campaigns hold no personal
data; the victims and HelpLine contacts they are compared with are read only as counts per
county, published through the same disclosure step as every statistic (`disclosure.protect`:
under the threshold "<11", with the figures hidden beside them "x"), exact only for a role
allowed unsuppressed figures, whose view is audited.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import number_format

from atis.accounts.selectors import scope_of
from atis.campaigns.models import (
    Activity,
    ActivityPhoto,
    Campaign,
    CampaignCode,
    CampaignStatus,
    CodeKind,
    Participation,
)
from atis.cases.models import Case, TraffickingStatus
from atis.codelists.models import Code, CodeList
from atis.geo.models import County, Locality
from atis.helpline.models import Contact
from atis.lib.disclosure import HIDDEN, Protected, Table, protect
from atis.lib.scope import ScopeFields, ScopeKind, get_in_scope_or_404, restrict

VIEW = "campaigns.view_campaign"
FIGURES = "campaigns.view_campaign_figures"
# The permission that shows exact figures, as on the statistics screens.
UNSUPPRESSED = "statistics.view_unsuppressed"
RISK_WINDOW_DAYS = 365


def _partner_of(organisation_id: int) -> Q:
    return Q(partners=organisation_id)


CAMPAIGN_SCOPE = ScopeFields(county="counties", organisation="organisation_id", shared_with_organisation=_partner_of)


def _scoped(user: Any) -> QuerySet[Campaign]:
    scope = scope_of(user)
    campaigns = restrict(Campaign.objects.all(), scope, CAMPAIGN_SCOPE)
    if scope.kind == ScopeKind.CENTRE:
        # A national campaign touches every centre's counties.
        campaigns = campaigns | Campaign.objects.filter(is_national=True)
    # Partners and counties are many-to-many: one campaign must appear once.
    return Campaign.objects.filter(pk__in=campaigns.values("pk"))


def campaigns_visible_to(user: Any) -> QuerySet[Campaign]:
    """Campaigns a user may open (their page, activities and photos)."""
    if not user.has_perm(VIEW):
        return Campaign.objects.none()
    return _scoped(user)


def campaigns_for_figures(user: Any) -> QuerySet[Campaign]:
    """Campaigns whose totals a user may see (analysts: figures only, never the pages)."""
    if not (user.has_perm(FIGURES) or user.has_perm(VIEW)):
        return Campaign.objects.none()
    return _scoped(user)


def campaign_for(user: Any, public_id: Any) -> Campaign:
    return get_in_scope_or_404(
        campaigns_visible_to(user).select_related("organisation", "created_by", "approved_by"), public_id=public_id
    )


def campaign_figures_for(user: Any, public_id: Any) -> Campaign:
    return get_in_scope_or_404(campaigns_for_figures(user).select_related("organisation"), public_id=public_id)


def activity_for(user: Any, public_id: Any) -> Activity:
    return get_in_scope_or_404(
        Activity.objects.filter(campaign__in=campaigns_visible_to(user)).select_related(
            "campaign", "county", "locality", "activity_type", "channel"
        ),
        public_id=public_id,
    )


def photo_for(user: Any, public_id: Any) -> ActivityPhoto:
    return get_in_scope_or_404(
        ActivityPhoto.objects.filter(activity__campaign__in=campaigns_visible_to(user)).select_related(
            "activity__campaign"
        ),
        public_id=public_id,
    )


def campaign_list(user: Any, *, status: str = "", county_id: int | None = None) -> QuerySet[Campaign]:
    campaigns = campaigns_visible_to(user).select_related("organisation")
    if status in CampaignStatus.values:
        campaigns = campaigns.filter(status=status)
    if county_id:
        campaigns = campaigns.filter(Q(counties=county_id) | Q(is_national=True)).distinct()
    return campaigns.order_by("-starts_on", "-id")


def public_campaigns() -> QuerySet[Campaign]:
    """What the public portal shows: running or evaluated campaigns marked public."""
    return Campaign.objects.filter(
        is_public=True, status__in=(CampaignStatus.RUNNING, CampaignStatus.EVALUATED)
    ).order_by("-starts_on", "-id")


def codes_of(kind: str) -> QuerySet[CampaignCode]:
    return CampaignCode.objects.filter(kind=kind, is_active=True)


# --- Totals -------------------------------------------------------------------------------


@dataclass
class Reach:
    people: int = 0
    events: int = 0
    materials: int = 0
    media_reach: int = 0


@dataclass
class Indicator:
    key: str
    actual: int
    target: int | None

    @property
    def percent(self) -> int | None:
        if not self.target:
            return None
        return round(100 * self.actual / self.target)


@dataclass
class CampaignTotals:
    campaign: Campaign
    reach: Reach
    indicators: list[Indicator]
    by_county: list[tuple[County, Reach]]
    by_group: list[tuple[CampaignCode, dict[str, int]]]  # group -> {"female_adult": n, ..., "total": n}


def _reach(activities: QuerySet[Activity]) -> Reach:
    sums = activities.aggregate(events=Count("pk"), materials=Sum("materials_distributed"), media=Sum("media_reach"))
    people = Participation.objects.filter(activity__in=activities).aggregate(total=Sum("count"))["total"] or 0
    return Reach(
        people=people, events=sums["events"] or 0, materials=sums["materials"] or 0, media_reach=sums["media"] or 0
    )


def reach_by_county(activities: QuerySet[Activity]) -> dict[int, Reach]:
    found: dict[int, Reach] = defaultdict(Reach)
    for row in activities.values("county_id").annotate(
        events=Count("pk"), materials=Sum("materials_distributed"), media=Sum("media_reach")
    ):
        found[row["county_id"]] = Reach(
            events=row["events"], materials=row["materials"] or 0, media_reach=row["media"] or 0
        )
    for row in (
        Participation.objects.filter(activity__in=activities).values("activity__county_id").annotate(total=Sum("count"))
    ):
        found[row["activity__county_id"]].people = row["total"] or 0
    return found


def reach_by_group(activities: QuerySet[Activity]) -> list[tuple[CampaignCode, dict[str, int]]]:
    cells: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        Participation.objects.filter(activity__in=activities)
        .values("target_group_id", "sex", "age_band")
        .annotate(total=Sum("count"))
    ):
        cell = cells[row["target_group_id"]]
        cell[f"{row['sex']}_{row['age_band']}"] += row["total"]
        cell["total"] += row["total"]
    groups = CampaignCode.objects.filter(pk__in=cells).order_by("order")
    return [(group, dict(cells[group.pk])) for group in groups]


def campaign_totals(campaign: Campaign) -> CampaignTotals:
    activities = Activity.objects.filter(campaign=campaign)
    reach = _reach(activities)
    by_county = reach_by_county(activities)
    counties = County.objects.in_bulk(list(by_county))
    return CampaignTotals(
        campaign=campaign,
        reach=reach,
        indicators=[
            Indicator("people", reach.people, campaign.target_people),
            Indicator("events", reach.events, campaign.target_events),
            Indicator("materials", reach.materials, campaign.target_materials),
            Indicator("media_reach", reach.media_reach, campaign.target_media_reach),
        ],
        by_county=sorted(((counties[pk], value) for pk, value in by_county.items()), key=lambda item: item[0].name),
        by_group=reach_by_group(activities),
    )


@dataclass
class OverviewRow:
    campaign: Campaign
    reach: Reach
    indicators: list[Indicator] = field(default_factory=list)


def totals_overview(user: Any, *, year: int | None = None) -> list[OverviewRow]:
    """Reach against targets for every campaign the user may see figures of, in few queries."""
    campaigns = campaigns_for_figures(user).exclude(status=CampaignStatus.DRAFT).select_related("organisation")
    if year:
        campaigns = campaigns.filter(starts_on__year__lte=year, ends_on__year__gte=year)
    campaigns = campaigns.order_by("-starts_on", "-id")
    ids = list(campaigns.values_list("pk", flat=True))
    sums = {
        row["campaign_id"]: row
        for row in Activity.objects.filter(campaign_id__in=ids)
        .values("campaign_id")
        .annotate(events=Count("pk"), materials=Sum("materials_distributed"), media=Sum("media_reach"))
    }
    people = {
        row["activity__campaign_id"]: row["total"]
        for row in Participation.objects.filter(activity__campaign_id__in=ids)
        .values("activity__campaign_id")
        .annotate(total=Sum("count"))
    }
    rows = []
    for campaign in campaigns:
        row = sums.get(campaign.pk, {})
        reach = Reach(
            people=people.get(campaign.pk) or 0,
            events=row.get("events") or 0,
            materials=row.get("materials") or 0,
            media_reach=row.get("media") or 0,
        )
        rows.append(
            OverviewRow(
                campaign,
                reach,
                [
                    Indicator("people", reach.people, campaign.target_people),
                    Indicator("events", reach.events, campaign.target_events),
                    Indicator("materials", reach.materials, campaign.target_materials),
                    Indicator("media_reach", reach.media_reach, campaign.target_media_reach),
                ],
            )
        )
    return rows


def activities_for_figures(user: Any) -> QuerySet[Activity]:
    return Activity.objects.filter(campaign__in=campaigns_for_figures(user))


# --- Risk view ----------------------------------------------------------------------------


@dataclass
class CountyRisk:
    county: County
    victims: int
    contacts: int
    activities: int
    people_reached: int
    flagged: bool = False

    # Shown values: after disclosure control, exact only for roles allowed unsuppressed figures.
    victims_shown: str = ""
    contacts_shown: str = ""


@dataclass
class RiskView:
    since: datetime.date
    until: datetime.date
    counties: list[CountyRisk]
    uncovered_forms: list[Code]
    exact: bool
    mean_victims: float
    mean_activities: float
    # The mean is the total over 42 counties: hidden ("x") when the total is.
    mean_victims_shown: str = ""
    limit: int = 0

    @property
    def flagged(self) -> list[CountyRisk]:
        return [row for row in self.counties if row.flagged]


def published_by_county(counties: list[County], counts: dict[int, int], column: str, *, exact: bool) -> Protected:
    """Counts by county as a one-way table below national level, through the disclosure step."""
    table = Table([county.name for county in counties], [column], [[counts.get(county.pk, 0)] for county in counties])
    return protect(table, subnational=not exact)


def identified_victims_by_county(since: datetime.date, until: datetime.date) -> dict[int, int]:
    """Identified victims by county of origin, by the day they were identified (counts only)."""
    return dict(
        Case.objects.filter(
            trafficking_status=TraffickingStatus.IDENTIFIED, identified_on__gte=since, identified_on__lte=until
        )
        .values_list("county_id")
        .annotate(n=Count("pk"))
        .values_list("county_id", "n")
    )


def helpline_contacts_by_county(since: datetime.date, until: datetime.date) -> dict[int, int]:
    start, end = _day_bounds(since, until)
    return dict(
        Contact.objects.filter(county__isnull=False, started_at__gte=start, started_at__lt=end)
        .values_list("county_id")
        .annotate(n=Count("pk"))
        .values_list("county_id", "n")
    )


def _day_bounds(since: datetime.date, until: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(since, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


def risk_view(user: Any, *, today: datetime.date | None = None) -> RiskView:
    """The last 12 months by county: identified victims, HelpLine contacts, campaign activity.

    A county is flagged when it has many victims and little prevention: at least one
    victim and at least the national mean of victims per county, while its activities are
    below the national mean of activities per county. Campaign activity counts every
    organisation's campaigns (not only those the user may open): prevention is planned
    against the whole picture; only counts are read.
    """
    until = today or timezone.localdate()
    since = until - datetime.timedelta(days=RISK_WINDOW_DAYS - 1)
    exact = bool(user.has_perm(UNSUPPRESSED))
    victims = identified_victims_by_county(since, until)
    contacts = helpline_contacts_by_county(since, until)
    recent = Activity.objects.filter(held_on__gte=since, held_on__lte=until).exclude(
        campaign__status=CampaignStatus.DRAFT
    )
    reach = reach_by_county(recent)
    counties = list(County.objects.order_by("name"))
    mean_victims = sum(victims.values()) / len(counties) if counties else 0.0
    mean_activities = sum(r.events for r in reach.values()) / len(counties) if counties else 0.0
    published_victims = published_by_county(counties, victims, "victims", exact=exact)
    published_contacts = published_by_county(counties, contacts, "contacts", exact=exact)
    rows = []
    for index, county in enumerate(counties):
        row = CountyRisk(
            county=county,
            victims=victims.get(county.pk, 0),
            contacts=contacts.get(county.pk, 0),
            activities=reach[county.pk].events if county.pk in reach else 0,
            people_reached=reach[county.pk].people if county.pk in reach else 0,
        )
        row.flagged = row.victims > 0 and row.victims >= mean_victims and row.activities < mean_activities
        row.victims_shown = published_victims.display(index, 0)
        row.contacts_shown = published_contacts.display(index, 0)
        rows.append(row)
    rows.sort(key=lambda row: (not row.flagged, -row.victims, row.activities, row.county.name))
    return RiskView(
        since=since,
        until=until,
        counties=rows,
        uncovered_forms=forms_without_running_campaign(),
        exact=exact,
        mean_victims=mean_victims,
        mean_activities=mean_activities,
        mean_victims_shown=HIDDEN if published_victims.grid[-1][0] is None else number_format(mean_victims, 1),
        limit=published_victims.limit,
    )


def forms_without_running_campaign() -> list[Code]:
    covered = Campaign.objects.filter(status=CampaignStatus.RUNNING).values("exploitation_forms")
    return list(
        Code.objects.filter(list=CodeList.EXPLOITATION_FORM, is_active=True).exclude(pk__in=covered).order_by("order")
    )


# --- Evaluation ---------------------------------------------------------------------------


@dataclass
class ContactPeriod:
    key: str  # "before" | "during" | "after"
    since: datetime.date
    until: datetime.date
    contacts: int

    @property
    def days(self) -> int:
        return max(0, (self.until - self.since).days + 1)

    @property
    def per_30_days(self) -> float | None:
        # Periods differ in length (the one after may not be over): compare rates, not sums.
        return round(30 * self.contacts / self.days, 1) if self.days else None


def campaign_county_ids(campaign: Campaign) -> list[int]:
    if campaign.is_national:
        return list(County.objects.values_list("pk", flat=True))
    return list(campaign.counties.values_list("pk", flat=True))


def contacts_before_during_after(campaign: Campaign, *, today: datetime.date | None = None) -> list[ContactPeriod]:
    """HelpLine contacts from the campaign's counties in the period as long as the campaign
    just before it, during it, and as long again after it (up to today)."""
    today = today or timezone.localdate()
    length = datetime.timedelta(days=(campaign.ends_on - campaign.starts_on).days + 1)
    one_day = datetime.timedelta(days=1)
    windows = [
        ("before", campaign.starts_on - length, campaign.starts_on - one_day),
        ("during", campaign.starts_on, min(campaign.ends_on, today)),
        ("after", campaign.ends_on + one_day, min(campaign.ends_on + length, today)),
    ]
    counties = campaign_county_ids(campaign)
    periods = []
    for key, since, until in windows:
        contacts = 0
        if until >= since:
            start, end = _day_bounds(since, until)
            contacts = Contact.objects.filter(county_id__in=counties, started_at__gte=start, started_at__lt=end).count()
        periods.append(ContactPeriod(key, since, until, contacts))
    return periods


def survey_percent(respondents: int | None, aware: int | None) -> float | None:
    if not respondents or aware is None:
        return None
    return round(100 * aware / respondents, 1)


def localities_of(county_id: int) -> QuerySet[Locality]:
    return Locality.objects.filter(county_id=county_id).order_by("name")


def target_groups() -> QuerySet[CampaignCode]:
    return codes_of(CodeKind.TARGET_GROUP)
