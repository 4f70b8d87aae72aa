"""The annual report's chapters beyond identified victims: the HelpLine, assistance, campaigns
and prosecutions, for one calendar year and the requesting user's scope.

Each domain is read through its own scoping selector (the HelpLine's and the campaigns'
figures selectors; assistance and proceedings through the cases whose statistical facts the
user may see). Every table then goes through the same step as the victims' tables: rare
categories of long lists folded into "other", and `disclosure.protect` for every table but a
one-way table of the whole country (a county breakdown is always below national level; a
crossing of two breakdowns is protected at national level too).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from atis.accounts.selectors import scope_of
from atis.codelists.models import Code
from atis.lib.disclosure import Protected, Table, protect, rare_keys
from atis.lib.scope import ScopeKind
from atis.statistics import selectors
from atis.statistics.reports import Chapter, report_table
from atis.statistics.selectors import Filters
from atis.statistics.services import UNKNOWN

OTHER = "other"


def _labels(labels: Mapping[str, str]) -> Callable[[str], str]:
    unknown, other = _("unknown"), pgettext("statistics category", "other")

    def label(key: str) -> str:
        if key == UNKNOWN:
            return unknown
        if key == OTHER:
            return other
        return labels.get(key, key)

    return label


def _fold(counts: dict[str, int]) -> dict[str, int]:
    totals: dict[Any, int] = dict(counts)
    rare: set[Any] = rare_keys(totals, keep={UNKNOWN})
    if not rare:
        return counts
    out = {key: value for key, value in counts.items() if key not in rare}
    out[OTHER] = out.get(OTHER, 0) + sum(counts[key] for key in rare)
    return out


def _by_size(keys: Iterable[str], totals: Mapping[str, int]) -> list[str]:
    return sorted(keys, key=lambda key: (key in (UNKNOWN, OTHER), -totals.get(key, 0), key))


def one_way(
    counts: Mapping[str, int],
    *,
    label: Callable[[str], str],
    column: str,
    subnational: bool,
    fold: bool = False,
    order: list[str] | None = None,
) -> Protected:
    """A one-way table of counts, grouped and protected like any published table."""
    data = _fold(dict(counts)) if fold else dict(counts)
    keys = order if order is not None else _by_size(data, data)
    table = Table([label(key) for key in keys], [column], [[data.get(key, 0)] for key in keys], row_keys=keys)
    return protect(table, subnational=subnational)


def two_way(
    counts: Mapping[tuple[str, str], int],
    *,
    row_label: Callable[[str], str],
    column_label: Callable[[str], str],
    row_order: list[str],
    column_order: list[str],
    known_margins: tuple[bool, bool] = (False, False),
) -> Protected:
    """A two-way table: a crossing, so protected at every level, national included.
    `known_margins`: whether the one-way table of the rows, of the columns, is printed exactly."""
    cells = [[counts.get((row, column), 0) for column in column_order] for row in row_order]
    table = Table(
        [row_label(key) for key in row_order],
        [column_label(key) for key in column_order],
        cells,
        row_keys=row_order,
        column_keys=column_order,
    )
    return protect(table, subnational=True, known_margins=known_margins)


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    return start, timezone.make_aware(datetime.datetime(year + 1, 1, 1))


def _subnational(user: Any) -> bool:
    return selectors.is_subnational(user, Filters())


def _code_labels(code_list: str) -> dict[str, str]:
    return {code.code: code.label for code in Code.objects.filter(list=code_list)}


def _visible_case_ids(user: Any) -> Any:
    """The cases whose figures the user may see: those of the statistics scope."""
    return selectors.facts_visible_to(user).values("case_id")


def _county_names() -> dict[str, str]:
    from atis.geo.models import County

    return {str(pk): name for pk, name in County.objects.values_list("pk", "name")}


# --- The HelpLine -------------------------------------------------------------------------------


def helpline_chapter(user: Any, year: int) -> Chapter:
    from atis.codelists.models import CodeList
    from atis.helpline.selectors import contacts_for_statistics

    start, end = _year_bounds(year)
    contacts = contacts_for_statistics(user).filter(started_at__gte=start, started_at__lt=end)
    subnational = _subnational(user)
    contacts_word = str(_("contacts"))

    types = {
        row["contact_type__code"] or UNKNOWN: row["n"]
        for row in contacts.values("contact_type__code").annotate(n=Count("id")).order_by()
    }
    topics = {
        row["topics__code"]: row["n"]
        for row in contacts.values("topics__code").annotate(n=Count("id", distinct=True)).order_by()
        if row["topics__code"]
    }
    months = {
        str(row["month"]): row["n"]
        for row in contacts.annotate(month=ExtractMonth("started_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    }
    escalated = contacts.filter(escalated_at__isnull=False).count()
    total = sum(types.values())
    escalation = one_way(
        {"yes": escalated, "no": total - escalated},
        label=_labels({"yes": str(_("escalated")), "no": str(_("not escalated"))}),
        column=contacts_word,
        subnational=subnational,
        order=["yes", "no"],
    )
    by_type = one_way(
        types,
        label=_labels(_code_labels(CodeList.HELPLINE_CONTACT_TYPE)),
        column=contacts_word,
        subnational=subnational,
        fold=True,
    )
    by_topic = one_way(
        topics,
        label=_labels(_code_labels(CodeList.HELPLINE_TOPIC)),
        column=contacts_word,
        subnational=subnational,
        fold=True,
    )
    by_month = one_way(
        months,
        label=_labels({str(number): str(name) for number, name in MONTHS.items()}),
        column=contacts_word,
        subnational=subnational,
        order=[str(number) for number in range(1, 13)],
    )
    return Chapter(
        "helpline",
        str(_("The HelpLine")),
        [
            report_table(str(_("Contacts by type")), str(_("Type")), by_type, chart=True),
            report_table(
                str(_("Contacts by topic (a contact may touch several)")), str(_("Topic")), by_topic, chart=True
            ),
            report_table(str(_("Contacts by month")), str(_("Month")), by_month, chart=True),
            report_table(str(_("Contacts escalated")), str(_("Escalated")), escalation),
        ],
        notes=[(str(_("Share of contacts escalated")), _share(escalation))],
    )


def _share(published: Protected) -> str:
    """The first row's share of the total, only when both are published."""
    part, whole = published.grid[0][0], published.grid[-1][0]
    if part is None or whole is None or not whole:
        return "x"
    return f"{100 * part / whole:.1f}%"


# --- Assistance -----------------------------------------------------------------------------------


def assistance_chapter(user: Any, year: int) -> Chapter:
    from atis.assistance.models import ServiceDelivery
    from atis.cases.models import Sex
    from atis.codelists.models import CodeList

    deliveries = ServiceDelivery.objects.filter(case_id__in=_visible_case_ids(user), started_on__year=year)
    subnational = _subnational(user)
    # Victims assisted: each counted once, by the sex recorded in their statistical facts.
    assisted = {
        row["sex"] or UNKNOWN: row["n"]
        for row in selectors.facts_visible_to(user)
        .filter(case_id__in=deliveries.values("case_id"))
        .values("sex")
        .annotate(n=Count("case_id"))
        .order_by()
    }
    services = {
        row["service_type__code"]: row["n"]
        for row in deliveries.values("service_type__code").annotate(n=Count("id")).order_by()
    }
    victims = one_way(
        assisted,
        label=_labels({value: str(label) for value, label in Sex.choices}),
        column=str(_("victims")),
        subnational=subnational,
    )
    by_service = one_way(
        services,
        label=_labels(_code_labels(CodeList.SERVICE_TYPE)),
        column=str(_("services")),
        subnational=subnational,
        fold=True,
    )
    return Chapter(
        "assistance",
        str(_("Assistance")),
        [
            report_table(str(_("Victims assisted during the year, by sex")), str(_("Sex")), victims),
            report_table(str(_("Services delivered, by type")), str(_("Service")), by_service, chart=True),
        ],
    )


# --- Campaigns ------------------------------------------------------------------------------------


def campaigns_chapter(user: Any, year: int) -> Chapter:
    from atis.campaigns.models import Activity, CampaignStatus, Participation
    from atis.campaigns.selectors import campaigns_for_figures

    campaigns = campaigns_for_figures(user).filter(
        starts_on__lte=datetime.date(year, 12, 31), ends_on__gte=datetime.date(year, 1, 1)
    )
    campaigns = campaigns.exclude(status=CampaignStatus.DRAFT)
    activities = Activity.objects.filter(campaign__in=campaigns, held_on__year=year)
    scope = scope_of(user)
    if scope.kind == ScopeKind.CENTRE:
        # A national campaign reaches every county; a centre reports only its own.
        activities = activities.filter(county_id__in=scope.county_ids)
    by_status = {row["status"]: row["n"] for row in campaigns.values("status").annotate(n=Count("id")).order_by()}
    events = {
        str(row["county_id"]): row["n"] for row in activities.values("county_id").annotate(n=Count("id")).order_by()
    }
    people = {
        str(row["activity__county_id"]): row["n"] or 0
        for row in Participation.objects.filter(activity__in=activities)
        .values("activity__county_id")
        .annotate(n=Sum("count"))
        .order_by()
    }
    counties = _labels(_county_names())
    status_table = one_way(
        by_status,
        label=_labels({value: str(label) for value, label in CampaignStatus.choices}),
        column=str(_("campaigns")),
        subnational=_subnational(user),
    )
    # Figures by county are below national level whoever reads them.
    events_table = one_way(events, label=counties, column=str(_("activities")), subnational=True)
    people_table = one_way(
        {key: value for key, value in people.items() if value},
        label=counties,
        column=str(_("people reached")),
        subnational=True,
    )
    return Chapter(
        "campaigns",
        str(_("Prevention campaigns")),
        [
            report_table(str(_("Campaigns run during the year, by status")), str(_("Status")), status_table),
            report_table(str(_("Activities held, by county")), str(_("County")), events_table, chart=True),
            report_table(str(_("People reached, by county")), str(_("County")), people_table, chart=True),
        ],
    )


# --- Prosecutions ---------------------------------------------------------------------------------


def prosecutions_chapter(user: Any, year: int) -> Chapter:
    from atis.cases.models import Proceeding, ProceedingRole, ProceedingStage

    proceedings = Proceeding.objects.filter(case_id__in=_visible_case_ids(user), updated_on__year=year)
    subnational = _subnational(user)
    stages = {row["stage"]: row["n"] for row in proceedings.values("stage").annotate(n=Count("id")).order_by()}
    crossed = {
        (row["stage"], row["role"]): row["n"]
        for row in proceedings.values("stage", "role").annotate(n=Count("id")).order_by()
    }
    stage_label = _labels({value: str(label) for value, label in ProceedingStage.choices})
    stage_order = [value for value in ProceedingStage.values if value in stages]
    by_stage = one_way(
        stages, label=stage_label, column=str(_("proceedings")), subnational=subnational, order=stage_order
    )
    roles = [value for value in ProceedingRole.values if any(role == value for _stage, role in crossed)]
    by_role = two_way(
        crossed,
        row_label=stage_label,
        column_label=_labels({value: str(label) for value, label in ProceedingRole.choices}),
        # The table by stage above is printed exactly when national: its figures are known.
        known_margins=(not subnational, False),
        row_order=stage_order,
        column_order=roles,
    )
    return Chapter(
        "prosecutions",
        str(_("Criminal proceedings")),
        [
            report_table(
                str(_("Criminal proceedings last updated during the year, by stage or outcome")),
                str(_("Stage")),
                by_stage,
                chart=True,
            ),
            report_table(str(_("Stage × role of the victim")), str(_("Stage")), by_role),
        ],
    )


OTHER_CHAPTERS: tuple[Callable[[Any, int], Chapter], ...] = (
    helpline_chapter,
    assistance_chapter,
    campaigns_chapter,
    prosecutions_chapter,
)
