"""HelpLine figures: aggregates only, from `contacts_for_statistics`, rare categories grouped.

Every table shown or exported passes through `atis.lib.disclosure`, the rule every published
figure of atis follows: a category seen fewer than `threshold()` times (11 by default) appears
only inside "other" (`group_rare`), and the table is then protected (`protect`) like the
statistics module's: a one-way table of the whole country is printed exactly, while a table
below national level (a regional reader's, or the table by county, where one caller from a
small county can be singled out) reads "<11" for a small figure. HelpLine has no right to see
unsuppressed figures, so no reader bypasses this.

Response time: for written channels (e-mail, chat, social networks) the time from the
message's arrival (`started_at`) to its handling being logged (`created_at`); a phone call
or a visit is answered as it happens. Follow-up time: from a follow-up's creation to its
completion.
"""

from __future__ import annotations

import datetime
import statistics as pystatistics
from collections import Counter
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from atis.accounts.selectors import scope_of
from atis.codelists.models import Code
from atis.helpline.countries import country_name
from atis.helpline.models import Contact, FollowUp
from atis.helpline.selectors import contacts_for_statistics
from atis.lib import disclosure
from atis.lib.disclosure import OTHER, group_rare, protect, threshold
from atis.lib.scope import ScopeKind

LIVE_CHANNELS = ("phone", "walk_in")
DEFAULT_MONTHS = 12


# A published figure: the exact count, or the text that stands for it ("<11", "x").
Figure = int | str


@dataclass
class Table:
    key: str
    title: str
    rows: list[tuple[str, Figure]]

    @property
    def shown(self) -> list[tuple[str, int]]:
        """The rows whose figure is printed, for the chart (a hidden figure has no bar)."""
        return [(label, count) for label, count in self.rows if isinstance(count, int)]


@dataclass
class HelplineFigures:
    date_from: datetime.date
    date_to: datetime.date
    total: int
    escalated: int
    emergencies: int
    response_minutes_median: float | None
    response_count: int
    follow_up_hours_median: float | None
    follow_ups_done: int
    follow_ups_overdue: int
    tables: list[Table] = field(default_factory=list)
    months: list[tuple[str, Figure]] = field(default_factory=list)
    threshold: int = field(default_factory=threshold)

    @property
    def escalated_share(self) -> float | None:
        return round(100 * self.escalated / self.total, 1) if self.total else None


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    start = (today.replace(day=1) - datetime.timedelta(days=365)).replace(day=1)
    return start, today


def _bounds(date_from: datetime.date, date_to: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(date_from, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min))
    return start, end


def _published(counts: dict[str, int], labels: dict[str, str], *, subnational: bool) -> list[tuple[str, Figure]]:
    """A one-way table as it may leave atis; `counts` in the order to print."""
    keys = [key for key, count in counts.items() if count > 0]
    table = disclosure.Table([labels.get(key, key) for key in keys], ["n"], [[counts[key]] for key in keys])
    published = protect(table, subnational=subnational)
    # The total line (the last, when there are several rows) is not printed on this page.
    return [
        (label, count if (count := published.grid[i][0]) is not None else published.display(i, 0))
        for i, label in enumerate(table.rows)
    ]


def _labelled(counts: dict[str, int], labels: dict[str, str], *, subnational: bool) -> list[tuple[str, Figure]]:
    keyed: dict[Hashable, int] = {key: count for key, count in counts.items()}
    grouped = group_rare(keyed)
    ordered = dict(sorted(grouped.items(), key=lambda item: (item[0] == OTHER, -item[1], str(item[0]))))
    other_label = pgettext("grouped statistics category", "other")
    return _published(
        {str(key): count for key, count in ordered.items()}, {**labels, OTHER: other_label}, subnational=subnational
    )


def _code_counts(contacts: QuerySet[Contact], path: str) -> dict[str, int]:
    rows = contacts.values(path).annotate(n=Count("id", distinct=True)).order_by()
    return {row[path]: row["n"] for row in rows if row[path]}


def _code_labels(*lists: str) -> dict[str, str]:
    return {code.code: code.label for code in Code.objects.filter(list__in=lists)}


def _median(values: list[float]) -> float | None:
    return round(pystatistics.median(values), 1) if values else None


def helpline_figures(user: Any, *, date_from: datetime.date, date_to: datetime.date) -> HelplineFigures:
    start, end = _bounds(date_from, date_to)
    contacts = contacts_for_statistics(user).filter(started_at__gte=start, started_at__lt=end)
    labels = _code_labels("helpline_channel", "helpline_contact_type", "helpline_caller_role", "helpline_topic")
    unknown = _("unknown")
    # Like the statistics module: below national level every table is protected; the table by
    # county always is.
    subnational = scope_of(user).kind != ScopeKind.NATIONAL

    destinations = Counter[str]()
    for row in contacts.values("destination_country").annotate(n=Count("id")).order_by():
        destinations[row["destination_country"] or "?"] += row["n"]
    counties = Counter[str]()
    for row in contacts.values("county__name").annotate(n=Count("id")).order_by():
        counties[row["county__name"] or "?"] += row["n"]
    country_labels = {code: (unknown if code == "?" else country_name(code)) for code in destinations}

    def by_code(key: str, title: str, field: str) -> Table:
        return Table(key, title, _labelled(_code_counts(contacts, field), labels, subnational=subnational))

    tables = [
        by_code("type", _("Contacts by type"), "contact_type__code"),
        by_code("topic", _("Contacts by topic"), "topics__code"),
        by_code("channel", _("Contacts by channel"), "channel__code"),
        by_code("caller", _("Contacts by caller"), "caller_role__code"),
        Table(
            "destination",
            _("Contacts by destination country"),
            _labelled(dict(destinations), country_labels, subnational=subnational),
        ),
        Table("county", _("Contacts by county"), _labelled(dict(counties), {"?": unknown}, subnational=True)),
    ]
    by_month = {
        row["month"].strftime("%Y-%m"): row["n"]
        for row in contacts.annotate(month=TruncMonth("started_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
        if row["month"] is not None
    }
    months = _published(by_month, {}, subnational=subnational)

    waits = [
        (created - started).total_seconds() / 60
        for started, created in contacts.exclude(channel__code__in=LIVE_CHANNELS).values_list(
            "started_at", "created_at"
        )
        if created >= started
    ]
    follow_ups = FollowUp.objects.filter(contact__in=contacts)
    done = [
        (done_at - created).total_seconds() / 3600
        for created, done_at in follow_ups.filter(done_at__isnull=False).values_list("created_at", "done_at")
        if done_at is not None
    ]
    return HelplineFigures(
        date_from=date_from,
        date_to=date_to,
        total=contacts.count(),
        escalated=contacts.filter(escalated_at__isnull=False).count(),
        emergencies=contacts.filter(emergency=True).count(),
        response_minutes_median=_median(waits),
        response_count=len(waits),
        follow_up_hours_median=_median(done),
        follow_ups_done=len(done),
        follow_ups_overdue=follow_ups.filter(done_at__isnull=True, due_at__lt=timezone.now()).count(),
        tables=tables,
        months=months,
    )


def export_rows(figures: HelplineFigures) -> list[list[Any]]:
    """One row per published cell: table, category, contacts."""
    rows: list[list[Any]] = [[_("Contacts in all"), "", figures.total]]
    rows.append([_("Escalated"), "", figures.escalated])
    for table in figures.tables:
        rows.extend([table.title, label, count] for label, count in table.rows)
    rows.extend([_("Contacts by month"), month, count] for month, count in figures.months)
    return rows
