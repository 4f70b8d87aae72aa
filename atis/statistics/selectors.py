"""Every read of statistics goes through here, scoped like the cases themselves.

An analyst or coordinator sees figures only for the cases their scope covers: nationally, or
for a regional centre its counties plus the cases put in its charge (the same rule as
`atis.cases.selectors.cases_visible_to`, applied to the facts). Any other scope sees nothing.
Any crossing of up to three breakdowns (or of two within one county) is summed from the kept
counts of a crossing of three that holds it: CrossingCount for a national reader,
CentreCrossingCount (the centre's own rows) for a regional one. A crossing filtered by the
centre in charge, whose dimensions one FactCount cube holds (every one-way table, the report's
two-way tables, GLOTIP's form × sex × minor, any crossing of the victims' profile), is summed
from it, per county and centre; any other is grouped from the facts of the reader's counties
(a regional centre's share, by index), as is a filter on the value of a dimension.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from atis.accounts.selectors import scope_of
from atis.cases.models import Scope as TraffickingScope
from atis.cases.models import Sex
from atis.codelists.models import Code, CodeList
from atis.geo.models import County
from atis.lib.disclosure import Protected, Table, protect, protect_layers, rare_keys
from atis.lib.scope import ScopeKind
from atis.organisations.changes import Recount
from atis.organisations.models import Organisation
from atis.statistics.cube import CROSSED, DIMENSIONS, UNKNOWN, cube_name, cubes
from atis.statistics.models import CaseFact, CentreCrossingCount, CoverageMove, CrossingCount, FactCount

# Dimensions a reader can pick, with their headings; "county" and the two years are columns
# of the counts themselves.
DIMENSION_LABELS: dict[str, Any] = {
    "identified_year": _("year of identification"),
    "trafficked_year": _("year trafficking began"),
    "sex": _("sex"),
    "minor": _("minor or adult"),
    "age_band": _("age band"),
    "form": _("main form of exploitation"),
    "scope": _("internal or international"),
    "destination": _("destination country"),
    "county": _("county of origin"),
    "settlement": _("rural or urban"),
    "recruitment": _("method of recruitment"),
    "recruiter": _("relation to the recruiter"),
    "institution": _("identifying institution"),
    "duration": _("duration of exploitation"),
    "assisted": _("assistance received"),
    "citizenship": _("citizenship"),
}
CHOOSABLE = tuple(DIMENSION_LABELS)
# Breakdowns that are geography below the country (an identifying institution is a county unit).
SUBNATIONAL_DIMENSIONS = {"county", "institution"}
# Breakdowns whose rare categories are grouped into "other" before publication.
LONG_DIMENSIONS = {"destination", "recruitment", "recruiter", "institution", "citizenship"}


def _scope_parts(user: Any) -> list[Q]:
    """The user's scope as conditions on the facts that never overlap: none when the user
    sees no figures; a regional centre's counties, then the cases in its charge elsewhere."""
    if not user.has_perm("statistics.view_statistics"):
        return []
    scope = scope_of(user)
    if scope.kind == ScopeKind.NATIONAL:
        return [Q()]
    if scope.kind == ScopeKind.CENTRE:
        counties = Q(county_id__in=scope.county_ids)
        return [counties, Q(centre_id=scope.organisation_id) & ~counties]
    return []


def _scope_condition(user: Any) -> Q | None:
    parts = _scope_parts(user)
    if not parts:
        return None
    condition = parts[0]
    for part in parts[1:]:
        condition |= part
    return condition


def is_subnational(user: Any, filters: Filters) -> bool:
    return scope_of(user).kind != ScopeKind.NATIONAL or bool(filters.county_id or filters.centre_id)


def facts_visible_to(user: Any) -> QuerySet[CaseFact]:
    condition = _scope_condition(user)
    if condition is None:
        return CaseFact.objects.none()
    return CaseFact.objects.filter(condition)


def _national_reader(user: Any) -> bool:
    return bool(user.has_perm("statistics.view_statistics")) and scope_of(user).kind == ScopeKind.NATIONAL


def crossings_visible_to(user: Any) -> QuerySet[CrossingCount]:
    """National counts: only for a reader whose scope is the whole country."""
    if not _national_reader(user):
        return CrossingCount.objects.none()
    return CrossingCount.objects.all()


def centre_crossings_visible_to(user: Any) -> QuerySet[CentreCrossingCount]:
    """A regional centre's counts: only its own rows, only for a reader scoped to that centre."""
    if not user.has_perm("statistics.view_statistics"):
        return CentreCrossingCount.objects.none()
    scope = scope_of(user)
    if scope.kind != ScopeKind.CENTRE or scope.organisation_id is None:
        return CentreCrossingCount.objects.none()
    return CentreCrossingCount.objects.filter(centre_id=scope.organisation_id)


def _kept_crossings(user: Any) -> QuerySet[CrossingCount] | QuerySet[CentreCrossingCount] | None:
    """The crossings kept for this reader's whole scope: national or the centre's; None for
    any other scope, or while a county moves to or from the centre (their figures then come
    from the facts, which follow the coverage at once)."""
    if _national_reader(user):
        return crossings_visible_to(user)
    scope = scope_of(user)
    if scope.kind != ScopeKind.CENTRE:
        return None
    moving = CoverageMove.objects.filter(finished_at__isnull=True).filter(
        Q(from_centre_id=scope.organisation_id) | Q(to_centre_id=scope.organisation_id)
    )
    return None if moving.exists() else centre_crossings_visible_to(user)


def counts_visible_to(user: Any) -> QuerySet[FactCount]:
    condition = _scope_condition(user)
    if condition is None:
        return FactCount.objects.none()
    return FactCount.objects.filter(condition)


def recounts_pending() -> list[Recount]:
    """The counties whose victims are still being recounted (no figure, only how far along)."""
    moves = CoverageMove.objects.filter(finished_at__isnull=True).select_related("county", "from_centre", "to_centre")
    latest = {move.county_id: move for move in moves.order_by("requested_at", "pk")}
    out = []
    for county_id, move in latest.items():
        facts = CaseFact.objects.filter(county_id=county_id)
        victims = facts.count()
        waiting = facts.exclude(covering_centre_id=move.to_centre_id).count()
        out.append(
            Recount(
                county=move.county.name,
                from_centre=str(move.from_centre or "—"),
                to_centre=str(move.to_centre),
                victims=victims,
                recounted=victims - waiting,
            )
        )
    return out


@dataclass(frozen=True)
class Filters:
    year_from: int | None = None
    year_to: int | None = None
    county_id: int | None = None
    centre_id: int | None = None
    # Equality filters on fact dimensions (e.g. {"sex": "female"}); these need the fact table.
    equals: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def years(self, year_field: str) -> Q:
        q = Q()
        if self.year_from:
            q &= Q(**{f"{year_field}__gte": self.year_from})
        if self.year_to:
            q &= Q(**{f"{year_field}__lte": self.year_to})
        return q

    def as_query(self, year_field: str) -> Q:
        q = self.years(year_field)
        if self.county_id:
            q &= Q(county_id=self.county_id)
        if self.centre_id:
            q &= Q(centre_id=self.centre_id)
        return q


def _counts_cube(dimensions: Sequence[str]) -> tuple[str, tuple[str, ...], list[str]] | None:
    """The smallest FactCount cube answering these dimensions: its name, the dimensions its
    values hold (summed over those not asked for), and which asked dimensions are columns."""
    columns = [name for name in dimensions if name in ("identified_year", "county")]
    rest = {name for name in dimensions if name not in columns}
    for kept in cubes():
        if rest <= set(kept):
            return cube_name(kept), kept, columns
    return None


# Breakdowns with the fewest values first: the crossing chosen to hold one or two asked
# breakdowns is completed with these, so it has the fewest rows to sum.
_FEWEST_VALUES = ("minor", "assisted", "scope", "settlement", "sex")


def _kept_crossing(dimensions: Sequence[str], filters: Filters) -> tuple[str, tuple[str, ...], str | None] | None:
    """The kept crossing answering these dimensions over a reader's whole scope: its name,
    its dimensions, and the county its rows must be limited to (a county filter is a breakdown
    too). None when the figures need more than three breakdowns or a filter it cannot hold."""
    if filters.equals or filters.centre_id:
        return None
    needed = {name for name in dimensions if name != "identified_year"}
    county = str(filters.county_id) if filters.county_id else None
    if county:
        needed.add("county")
    if len(needed) > 3:
        return None
    for name in _FEWEST_VALUES:
        if len(needed) == 3:
            break
        needed.add(name)
    kept = tuple(name for name in CROSSED if name in needed)
    return cube_name(kept), kept, county


def _counts_of_crossing(
    visible: QuerySet[CrossingCount] | QuerySet[CentreCrossingCount],
    dimensions: Sequence[str],
    filters: Filters,
    crossing: tuple[str, tuple[str, ...], str | None],
) -> dict[tuple[str, ...], int]:
    name, kept, county = crossing
    by_year = "identified_year" in dimensions
    limited = visible.filter(filters.years("year"), dimensions=name)
    if county:
        # County comes last in CROSSED, so it is the last value of every crossing holding it.
        limited = limited.filter(value__endswith=f"|{county}")
    rows = limited.values_list("value", *(["year"] if by_year else [])).annotate(total=Sum("n")).order_by()
    out: dict[tuple[str, ...], int] = defaultdict(int)
    for value, *year, total in rows:
        if not total:
            continue
        parts = dict(zip(kept, value.split("|"), strict=True))
        if by_year:
            parts["identified_year"] = str(year[0])
        out[tuple(parts[dim] for dim in dimensions)] += total
    return dict(out)


def counts(user: Any, dimensions: Sequence[str], filters: Filters | None = None) -> dict[tuple[str, ...], int]:
    """Victims by the given dimensions (each key a tuple of values in that order)."""
    filters = filters or Filters()
    unknown = [name for name in dimensions if name not in CHOOSABLE]
    if unknown or len(dimensions) > 3:
        raise ValueError(f"Not a statistics dimension: {unknown or dimensions}")
    crossing = _kept_crossing(dimensions, filters)
    visible = None if crossing is None else _kept_crossings(user)
    if crossing is not None and visible is not None:
        return _counts_of_crossing(visible, dimensions, filters, crossing)
    cube = None if filters.equals else _counts_cube(dimensions)
    if cube is None:
        return counts_from_facts(user, dimensions, filters)
    name, kept, columns = cube
    column_map = {"identified_year": "year", "county": "county_id"}
    rows = (
        counts_visible_to(user)
        .filter(filters.as_query("year"), dimension=name)
        .values_list("value", *[column_map[c] for c in columns])
        .annotate(total=Sum("n"))
        .order_by()
    )
    out: dict[tuple[str, ...], int] = defaultdict(int)
    for value, *column_values, total in rows:
        if not total:
            continue
        parts = dict(zip(kept, value.split("|"), strict=True)) if kept else {}
        parts.update(zip(columns, map(str, column_values), strict=True))
        out[tuple(parts[dim] for dim in dimensions)] += total
    return dict(out)


def counts_from_facts(user: Any, dimensions: Sequence[str], filters: Filters) -> dict[tuple[str, ...], int]:
    """Any crossing grouped from the facts on demand (still by index, never the cases)."""
    fields = ["county_id" if dim == "county" else dim for dim in dimensions]
    for dim, _value in filters.equals:
        if dim not in DIMENSIONS:
            raise ValueError(f"Not a statistics dimension: {dim}")
    out: dict[tuple[str, ...], int] = defaultdict(int)
    # Part by part: a regional centre's counties, then its cases elsewhere, each read from an
    # index holding every dimension (an OR of the two would visit the table row by row).
    for part in _scope_parts(user):
        facts = CaseFact.objects.filter(part, filters.as_query("identified_year"), **dict(filters.equals))
        # COUNT(*), not COUNT(case_id): the case id is not in the indexes.
        for row in facts.values(*fields).annotate(total=Count("*")).order_by():
            out[tuple(UNKNOWN if row[f] is None else str(row[f]) for f in fields)] += row["total"]
    return dict(out)


# --- Labels -------------------------------------------------------------------------------------


_LABELS_ATTR = "_statistics_labels"


def _names(dimension: str, romanian: bool) -> dict[str, str]:
    """The labels of a dimension's values that live in the database (code lists, places)."""
    lists = {
        "form": CodeList.EXPLOITATION_FORM,
        "recruitment": CodeList.RECRUITMENT_METHOD,
        "recruiter": CodeList.RECRUITER_RELATION,
    }
    if dimension in lists:
        return {
            code: ro if romanian else en
            for code, en, ro in Code.objects.filter(list=lists[dimension]).values_list("code", "label_en", "label_ro")
        }
    if dimension == "county":
        return {str(pk): name for pk, name in County.objects.values_list("pk", "name")}
    if dimension == "institution":
        return {str(pk): name for pk, name in Organisation.objects.values_list("pk", "name")}
    return {}


def labeller(dimension: str, user: Any = None) -> Any:
    """A function value → readable label for one dimension, in the active language.

    Given the user, the labels read from the database are kept on the user object, like
    its scope: once per request or report, not once per table.
    """
    from django.utils.translation import get_language

    romanian = (get_language() or "en").startswith("ro")
    fixed: dict[str, Any] = {
        UNKNOWN: _("unknown"),
        "other": pgettext_lazy("statistics category", "other"),
        "minor": _("minors"),
        "adult": _("adults"),
        "yes": _("assisted"),
        "no": _("not assisted"),
        "urban": _("urban"),
        "rural": _("rural"),
    }
    if dimension == "sex":
        fixed.update({value: label for value, label in Sex.choices})
    if dimension == "scope":
        fixed.update({value: label for value, label in TraffickingScope.choices})
    cache: dict[tuple[str, bool], dict[str, str]] | None = None
    if user is not None:
        cache = getattr(user, _LABELS_ATTR, None)
        if cache is None:
            cache = {}
            setattr(user, _LABELS_ATTR, cache)
    names = cache.get((dimension, romanian)) if cache is not None else None
    if names is None:
        names = _names(dimension, romanian)
        if cache is not None:
            cache[(dimension, romanian)] = names
    fixed.update(names)

    def label(value: str) -> str:
        return str(fixed.get(value, value))

    return label


def _order(dimension: str, values: set[str], totals: dict[str, int]) -> list[str]:
    if dimension in ("identified_year", "trafficked_year", "age_band", "duration"):
        order = ["0-13", "14-17", "18-25", "26-35", "36-45", "46+", "<1m", "1-6m", "6-12m", "1-2y", "2y+"]
        return sorted(values, key=lambda v: (v in (UNKNOWN, "other"), order.index(v) if v in order else 99, v))
    return sorted(values, key=lambda v: (v in (UNKNOWN, "other"), -totals.get(v, 0), v))


def table(user: Any, rows: str, columns: str | None = None, filters: Filters | None = None) -> Table:
    """A one- or two-way table of victims, labelled, in a stable order (largest first)."""
    dims = [rows] + ([columns] if columns else [])
    return _table_of(user, counts(user, dims, filters), rows, columns)


def _table_of(user: Any, data: dict[tuple[str, ...], int], rows: str, columns: str | None) -> Table:
    row_totals: dict[str, int] = defaultdict(int)
    column_totals: dict[str, int] = defaultdict(int)
    for key, value in data.items():
        row_totals[key[0]] += value
        if columns:
            column_totals[key[1]] += value
    row_keys = _order(rows, set(row_totals), row_totals)
    column_keys = _order(columns, set(column_totals), column_totals) if columns else ["n"]
    cells = [[data.get((r, c) if columns else (r,), 0) for c in column_keys] for r in row_keys]
    row_label = labeller(rows, user)
    column_label = labeller(columns, user) if columns else (lambda _value: str(_("victims")))
    return Table(
        [row_label(r) for r in row_keys],
        [column_label(c) for c in column_keys],
        cells,
        row_keys=row_keys,
        column_keys=column_keys,
    )


def years_available(user: Any) -> list[int]:
    return sorted(
        {
            year
            for year in counts_visible_to(user).filter(dimension=cube_name(()), n__gt=0).values_list("year", flat=True)
        }
    )


# --- The disclosure step --------------------------------------------------------------------


def _folded(breakdowns: Sequence[str | None], known: Sequence[bool]) -> set[str]:
    """The breakdowns whose rare categories go into "other": the long ones, and in a crossing
    any whose one-way table is printed exactly. A category of 3 victims in the whole country,
    all in one line of the crossing, would show through: no hidden cell can blur a total that
    is printed elsewhere."""
    return {name for name, is_known in itertools.zip_longest(breakdowns, known) if name and is_known} | (
        LONG_DIMENSIONS & {name for name in breakdowns if name}
    )


def _fold_rare(user: Any, result: Table, rows: str, columns: str | None, fold: set[str] | None = None) -> Table:
    """Rare categories of long breakdowns (or of those in `fold`) go into "other" before any
    cell is judged."""
    fold = LONG_DIMENSIONS if fold is None else fold
    cells = [list(line) for line in result.cells]
    row_keys, row_labels = list(result.row_keys), list(result.rows)
    if rows in fold:
        rare = rare_keys(dict(zip(row_keys, [sum(line) for line in cells], strict=True)), keep={UNKNOWN})
        if rare:
            folded = [
                sum(cells[i][j] for i, key in enumerate(row_keys) if key in rare) for j in range(len(result.columns))
            ]
            kept = [i for i, key in enumerate(row_keys) if key not in rare]
            cells = [cells[i] for i in kept] + [folded]
            row_keys = [row_keys[i] for i in kept] + ["other"]
            row_labels = [row_labels[i] for i in kept] + [labeller(rows, user)("other")]
    column_keys, column_labels = list(result.column_keys), list(result.columns)
    if columns in fold:
        totals = {key: sum(line[j] for line in cells) for j, key in enumerate(column_keys)}
        rare = rare_keys(totals, keep={UNKNOWN})
        if rare:
            kept = [j for j, key in enumerate(column_keys) if key not in rare]
            cells = [
                [line[j] for j in kept] + [sum(line[j] for j, key in enumerate(column_keys) if key in rare)]
                for line in cells
            ]
            column_keys = [column_keys[j] for j in kept] + ["other"]
            column_labels = [column_labels[j] for j in kept] + [labeller(columns, user)("other")]
    return Table(row_labels, column_labels, cells, row_keys=row_keys, column_keys=column_keys)


def _totals_by(data: dict[tuple[str, ...], int], position: int) -> dict[Hashable, int]:
    totals: dict[Hashable, int] = defaultdict(int)
    for key, n in data.items():
        totals[key[position]] += n
    return dict(totals)


@dataclass(frozen=True)
class Layer:
    """One value of the third breakdown of a three-way crossing, with its table."""

    key: str
    label: str
    published: Protected


def published_layers(
    user: Any, rows: str, columns: str, layer: str, filters: Filters | None = None, *, unsuppressed: bool = False
) -> tuple[list[Layer], Protected]:
    """A three-way crossing as one rows × columns table per value of the third breakdown, and
    the table of their sums (the two-way table shown above them).

    The layers, their sums and every total are protected as one grid (`protect_layers`), so a
    figure hidden in one table cannot be worked out from another: at every level, national
    included. Exact only for a reader allowed to see it so (the caller audits that view).
    """
    filters = filters or Filters()
    exact = unsuppressed and user.has_perm("statistics.view_unsuppressed")
    data = counts(user, [rows, columns, layer], filters)
    # Rare categories are judged on the whole crossing, as in the two-way table, so "other"
    # holds the same categories in every value's table.
    known = known_margins(user, filters, (rows, columns, layer))
    fold = set() if exact else _folded((rows, columns, layer), known)
    rare = [
        rare_keys(_totals_by(data, position), keep={UNKNOWN}) if name in fold else set()
        for position, name in enumerate((rows, columns, layer))
    ]
    by_layer: dict[str, dict[tuple[str, ...], int]] = defaultdict(lambda: defaultdict(int))
    summed: dict[tuple[str, ...], int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    for key, n in data.items():
        row, column, value = ("other" if part in rare[i] else part for i, part in enumerate(key))
        by_layer[value][(row, column)] += n
        summed[(row, column)] += n
        totals[value] += n
    whole = _table_of(user, dict(summed), rows, columns)
    values = _order(layer, set(by_layer), totals)
    tables = [
        Table(
            whole.rows,
            whole.columns,
            [[by_layer[value].get((r, c), 0) for c in whole.column_keys] for r in whole.row_keys],
            row_keys=whole.row_keys,
            column_keys=whole.column_keys,
        )
        for value in values
    ]
    if not tables:
        return [], protect(whole, subnational=not exact, known_margins=known[:2])
    published, total = protect_layers(tables, subnational=not exact, known_margins=known)
    label = labeller(layer, user)
    return [Layer(value, label(value), table) for value, table in zip(values, published, strict=True)], total


def published_table(
    user: Any, rows: str, columns: str | None = None, filters: Filters | None = None, *, unsuppressed: bool = False
) -> Protected:
    """The table as it may leave the internal view: grouped and suppressed, unless the user
    may see it so and asked to (the caller audits that view). Only a one-way table of the
    whole country is printed exactly: a crossing of two breakdowns can single out a victim
    at national level too."""
    filters = filters or Filters()
    raw = table(user, rows, columns, filters)
    if unsuppressed and user.has_perm("statistics.view_unsuppressed"):
        return protect(raw, subnational=False)
    protected = bool(columns) or is_subnational(user, filters) or bool(SUBNATIONAL_DIMENSIONS & {rows, columns})
    known = known_margins(user, filters, (rows, columns)) if columns else ()
    folded = _fold_rare(user, raw, rows, columns, _folded((rows, columns), known))
    return protect(folded, subnational=protected, known_margins=known)


def known_margins(user: Any, filters: Filters, breakdowns: Sequence[str]) -> tuple[bool, ...]:
    """For each breakdown of a crossing, whether its one-way table is printed exactly (of the
    whole country, no geography below it): the crossing's totals along it are then known to
    any reader, so its protection may neither hide nor use them."""
    national = not is_subnational(user, filters)
    return tuple(national and name not in SUBNATIONAL_DIMENSIONS for name in breakdowns)
