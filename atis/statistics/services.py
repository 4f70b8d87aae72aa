"""Writes of the statistics domain: the facts of identified victims, their counts, imports.

`refresh_case_facts(case_ids)` is the only writer of CaseFact, FactCount and the crossings,
apart from `coverage_move_step`, which recounts a county given to another centre for the
centres' crossings. Every case service reaches it through one funnel, the hook
`atis.cases.changes.case_changed` this app registers it into (apps.py), at the end of its
transaction (no signals, and cases never imports statistics): it takes each case's old
contribution off the counts, rewrites its fact row, and adds the new contribution, all
set-based in SQL, inside the caller's transaction. `statistics_check` proves the result: it
compares what is kept with a full rebuild.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from atis.audit.services import hold_the_audit_chain
from atis.cases.models import Case, CaseStatus, Referral, ReferralStatus, TraffickingStatus
from atis.organisations.models import CentreCoverage
from atis.statistics.cube import CROSSED, UNKNOWN, crossings, cube_name, cubes
from atis.statistics.models import (
    CaseFact,
    CentreCrossingCount,
    CoverageMove,
    CrossingCount,
    FactCount,
)

CHUNK = 500
CROSSINGS_CHUNK = 5_000
# Victims recounted per transaction when a county changes centre: each step holds the counts'
# lock, which every case change waits for (500 took 7.3 s at 1,000,000 cases; 50, under 1 s).
RECOUNT_STEP = 50


# --- Computing facts ------------------------------------------------------------------------


def age_band(age: int | None) -> str:
    if age is None:
        return UNKNOWN
    for upper, label in ((13, "0-13"), (17, "14-17"), (25, "18-25"), (35, "26-35"), (45, "36-45")):
        if age <= upper:
            return label
    return "46+"


def duration_band(start: datetime.date | None, end: datetime.date | None) -> str:
    if start is None or end is None or end < start:
        return UNKNOWN
    days = (end - start).days
    for upper, label in ((30, "<1m"), (182, "1-6m"), (365, "6-12m"), (730, "1-2y")):
        if days <= upper:
            return label
    return "2y+"


def _facts_for(case_ids: Sequence[int]) -> list[CaseFact]:
    rows = list(
        Case.objects.filter(
            pk__in=case_ids, trafficking_status=TraffickingStatus.IDENTIFIED, identified_on__isnull=False
        ).values(
            "pk",
            "status",
            "identified_on",
            "exploitation_started_on",
            "exploitation_ended_on",
            "county_id",
            "centre_id",
            "minor_at_identification",
            "age_at_identification",
            "trafficking_scope",
            "destination_country",
            "recruitment_method__code",
            "recruiter_relation__code",
            "identifying_institution_id",
            "person__sex",
            "person__birth_year",
            "person__citizenship",
            "person__locality__urban",
        )
    )
    if not rows:
        return []
    ids = [row["pk"] for row in rows]
    main_form: dict[int, tuple[int, str]] = {}
    through: Any = Case.exploitation_forms.through
    for case_id, code, order in through.objects.filter(case_id__in=ids).values_list(
        "case_id", "code__code", "code__order"
    ):
        # The main form is the first in the code list's order (sexual before labour…).
        if case_id not in main_form or (order, code) < main_form[case_id]:
            main_form[case_id] = (order, code)
    covering = dict(CentreCoverage.objects.values_list("county_id", "centre_id"))
    referred = set(
        Referral.objects.filter(
            case_id__in=ids, status__in=(ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED)
        ).values_list("case_id", flat=True)
    )
    facts = []
    for row in rows:
        # Facts are built only for identified cases, so the date is always there.
        identified_on: datetime.date = row["identified_on"]  # type: ignore[assignment]
        age = row["age_at_identification"]
        if age is None and row["person__birth_year"]:
            age = identified_on.year - row["person__birth_year"]
        started = row["exploitation_started_on"]
        scope = row["trafficking_scope"] or UNKNOWN
        destination = "RO" if scope == "internal" else (row["destination_country"] or UNKNOWN)
        urban = row["person__locality__urban"]
        facts.append(
            CaseFact(
                case_id=row["pk"],
                identified_on=identified_on,
                identified_year=identified_on.year,
                trafficked_year=started.year if started else None,
                county_id=row["county_id"],
                centre_id=row["centre_id"],
                covering_centre_id=covering.get(row["county_id"]),
                settlement=UNKNOWN if urban is None else ("urban" if urban else "rural"),
                sex=row["person__sex"] or UNKNOWN,
                minor="minor" if row["minor_at_identification"] else "adult",
                age_band=age_band(age),
                citizenship=row["person__citizenship"] or "",
                form=main_form.get(row["pk"], (0, UNKNOWN))[1],
                scope=scope,
                destination=destination,
                recruitment=row["recruitment_method__code"] or UNKNOWN,
                recruiter=row["recruiter_relation__code"] or UNKNOWN,
                institution=str(row["identifying_institution_id"] or UNKNOWN),
                duration=duration_band(started, row["exploitation_ended_on"] or identified_on),
                assisted="yes"
                if row["pk"] in referred or row["status"] in (CaseStatus.ASSISTED, CaseStatus.FOLLOW_UP)
                else "no",
            )
        )
    return facts


# --- Counts by delta -------------------------------------------------------------------------

_FACT = CaseFact._meta.db_table
_COUNT = FactCount._meta.db_table
_CROSSING = CrossingCount._meta.db_table
_CENTRE_CROSSING = CentreCrossingCount._meta.db_table


def _text_sql(name: str) -> str:
    column = "county_id" if name == "county" else name
    return f"COALESCE(CAST({column} AS VARCHAR(60)), '{UNKNOWN}')"


def _value_sql(dimensions: Sequence[str]) -> str:
    if not dimensions:
        return "''"
    return " || '|' || ".join(_text_sql(name) for name in dimensions)


def _case_filter(case_ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    if case_ids is None:
        return "1 = 1", []
    return f"case_id IN ({', '.join(['%s'] * len(case_ids))})", list(case_ids)


def _add_counts(case_ids: Sequence[int] | None, sign: int) -> None:
    """Add (sign=1) or take off (sign=-1) the contribution of these cases' facts, or of all."""
    if case_ids is not None and not case_ids:
        return
    where, params = _case_filter(case_ids)
    with connection.cursor() as cursor:
        for dimensions in cubes():
            value = _value_sql(dimensions)
            grouped = (
                f"SELECT {value} AS value, identified_year AS year, county_id, centre_id, COUNT(*) AS k "  # noqa: S608
                f"FROM {_FACT} WHERE {where} GROUP BY 1, 2, 3, 4"
            )
            if sign > 0:
                cursor.execute(
                    f"INSERT INTO {_COUNT} (dimension, value, year, county_id, centre_id, n) "  # noqa: S608
                    f"SELECT %s, value, year, county_id, centre_id, k FROM ({grouped}) AS d WHERE 1 = 1 "
                    f"ON CONFLICT (dimension, year, value, county_id, centre_id) "
                    f"DO UPDATE SET n = {_COUNT}.n + excluded.n",
                    [cube_name(dimensions), *params],
                )
            else:
                # An UPDATE, not an upsert: a count is never created negative, only lowered.
                cursor.execute(
                    f"UPDATE {_COUNT} SET n = {_COUNT}.n - d.k FROM ({grouped}) AS d "  # noqa: S608
                    f"WHERE {_COUNT}.dimension = %s AND {_COUNT}.value = d.value AND {_COUNT}.year = d.year "
                    f"AND {_COUNT}.county_id = d.county_id AND {_COUNT}.centre_id = d.centre_id",
                    [*params, cube_name(dimensions)],
                )


def _crossings_sql(where: str, chosen: Sequence[tuple[str, ...]], *, by_centre: bool) -> str:
    """The facts' contribution to the chosen crossings, grouped: each fact row is joined to the
    list of crossings (three column positions each) and its three values picked by position, so
    one statement counts up to all 455 crossings of a batch of cases. By centre, grouped by
    the centres whose scope covers each fact as well."""
    position = {name: i for i, name in enumerate(CROSSED)}
    listed = ", ".join(
        f"('{cube_name(crossing)}', {', '.join(str(position[name]) for name in crossing)})" for crossing in chosen
    )

    def pick(slot: str) -> str:
        branches = " ".join(f"WHEN {i} THEN {_text_sql(name)}" for i, name in enumerate(CROSSED))
        return f"CASE x.{slot} {branches} END"

    value = f"{pick('a')} || '|' || {pick('b')} || '|' || {pick('c')}"
    if not by_centre:
        return (
            f"WITH x(dimensions, a, b, c) AS (VALUES {listed}) "  # noqa: S608 - fixed names only
            f"SELECT x.dimensions AS dimensions, {value} AS value, "
            f"identified_year AS year, COUNT(*) AS k FROM {_FACT} CROSS JOIN x WHERE {where} GROUP BY 1, 2, 3"
        )
    # Each fact once for the centre in charge and once more for the centre covering its
    # county, when that is another centre.
    reader = "CASE centres.slot WHEN 1 THEN centre_id ELSE covering_centre_id END"
    return (
        f"WITH x(dimensions, a, b, c) AS (VALUES {listed}), centres(slot) AS (VALUES (1), (2)) "  # noqa: S608
        f"SELECT {reader} AS reader, x.dimensions AS dimensions, {value} AS value, identified_year AS year, "
        f"COUNT(*) AS k FROM {_FACT} CROSS JOIN centres CROSS JOIN x WHERE ({where}) AND (centres.slot = 1 OR "
        f"(covering_centre_id IS NOT NULL AND covering_centre_id <> centre_id)) GROUP BY 1, 2, 3, 4"
    )


def _add_crossings(
    sign: int,
    case_ids: Sequence[int] | None,
    *,
    national: Sequence[tuple[str, ...]] = (),
    by_centre: Sequence[tuple[str, ...]] = (),
) -> None:
    """Add (sign=1) or take off (sign=-1) the contribution of these cases' facts (of all, for
    None) to the given crossings kept nationally and per centre."""
    if case_ids is not None and not case_ids:
        return
    where, params = _case_filter(case_ids)
    with connection.cursor() as cursor:
        for table, chosen, per_centre in ((_CROSSING, national, False), (_CENTRE_CROSSING, by_centre, True)):
            if not chosen:
                continue
            grouped = _crossings_sql(where, chosen, by_centre=per_centre)
            # A centre's count is keyed by its centre too: the contribution's reader.
            pairs = [("centre_id", "reader")] if per_centre else []
            pairs += [("dimensions", "dimensions"), ("value", "value"), ("year", "year")]
            if sign > 0:
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(column for column, _ in pairs)}, n) "  # noqa: S608
                    f"SELECT {', '.join(source for _, source in pairs)}, k FROM ({grouped}) AS d WHERE 1 = 1 "
                    f"ON CONFLICT ({', '.join(column for column, _ in pairs)}) "
                    f"DO UPDATE SET n = {table}.n + excluded.n",
                    params,
                )
            else:
                # An UPDATE, not an upsert: a count is never created negative, only lowered.
                same_cell = " AND ".join(f"{table}.{column} = d.{source}" for column, source in pairs)
                cursor.execute(
                    f"UPDATE {table} SET n = {table}.n - d.k FROM ({grouped}) AS d WHERE {same_cell}",  # noqa: S608
                    params,
                )


def coverage_moved(county_id: int, from_centre_id: int | None, to_centre_id: int) -> CoverageMove:
    """Record that a county now belongs to another centre (`organisations.centre_coverage_set`,
    through the hook `organisations.changes.coverage_changed`) and recount its victims for the centres' crossings in the background, once committed.

    Recounting a large county takes minutes; done here, it would hold every case change
    waiting on the counts' lock. Until it is finished, the two centres read their figures from
    the facts, which follow the new coverage at once."""
    from atis.statistics.tasks import move_county_figures

    move = CoverageMove.objects.create(county_id=county_id, from_centre_id=from_centre_id, to_centre_id=to_centre_id)
    transaction.on_commit(lambda: move_county_figures.delay(county_id))
    return move


def coverage_move_step(county_id: int, limit: int = RECOUNT_STEP) -> int:
    """Recount up to `limit` victims of the county counted for a centre that no longer covers
    it, in a transaction of their own; returns how many. None left: its moves are finished."""
    with transaction.atomic():
        _lock_the_counts()
        covering = CentreCoverage.objects.filter(county_id=county_id).values_list("centre_id", flat=True).first()
        ids = list(
            CaseFact.objects.filter(county_id=county_id)
            .exclude(covering_centre_id=covering)
            .order_by("case_id")
            .values_list("case_id", flat=True)[:limit]
        )
        if not ids:
            CoverageMove.objects.filter(county_id=county_id, finished_at__isnull=True).update(
                finished_at=timezone.now()
            )
            return 0
        _add_crossings(-1, ids, by_centre=crossings())
        CaseFact.objects.filter(case_id__in=ids).update(covering_centre_id=covering)
        _add_crossings(1, ids, by_centre=crossings())
        return len(ids)


def refresh_case_facts(case_ids: Iterable[int]) -> int:
    """Bring the facts and counts of these cases up to date; returns how many are identified.

    Called through `cases.changes.case_changed` by the case services inside their transaction
    after a change, and by the demo generator after each batch. Locks the cases (in id order, so two refreshes cannot
    deadlock) so concurrent changes of one case take its contribution off exactly once.
    Only cases whose facts changed touch the counts (most edits change no figure), and of the
    national crossings only those holding a dimension that changed.
    """
    ids = sorted({int(pk) for pk in case_ids})
    kept = 0
    with transaction.atomic():
        for chunk in _chunks(ids, CHUNK):
            list(Case.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values_list("pk", flat=True))
        # The national crossings in batches ten times larger: their cost is one row written
        # per distinct profile of the batch, and many cases of a batch share a profile.
        for batch in _chunks(ids, CROSSINGS_CHUNK):
            changed: list[int] = []
            moved: set[str] = set()
            fresh: list[CaseFact] = []
            for chunk in _chunks(batch, CHUNK):
                new = {fact.case_id: fact for fact in _facts_for(chunk)}
                old = {fact.case_id: fact for fact in CaseFact.objects.filter(case_id__in=chunk)}
                kept += len(new)
                for pk in chunk:
                    before, after = _values_of(old.get(pk)), _values_of(new.get(pk))
                    if before != after:
                        changed.append(pk)
                        moved |= _moved(before, after)
                        if pk in new:
                            fresh.append(new[pk])
            if not changed:
                continue
            _lock_the_counts()
            national = crossings() if ALL in moved else [crossing for crossing in crossings() if moved & set(crossing)]
            # Another centre in charge or covering the county moves the victim between centres:
            # every crossing of the centres' counts then moves.
            by_centre = crossings() if moved & {"centre", "covering_centre"} else national
            _add_crossings(-1, changed, national=national, by_centre=by_centre)
            for chunk in _chunks(changed, CHUNK):
                _add_counts(chunk, -1)
                CaseFact.objects.filter(case_id__in=chunk).delete()
            CaseFact.objects.bulk_create(fresh, batch_size=CHUNK)
            for chunk in _chunks(changed, CHUNK):
                _add_counts(chunk, 1)
            _add_crossings(1, changed, national=national, by_centre=by_centre)
    return kept


ALL = "*"
_FACT_FIELDS = [field.attname for field in CaseFact._meta.concrete_fields if field.attname != "case_id"]


def _chunks(ids: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    return (ids[start : start + size] for start in range(0, len(ids), size))


def _values_of(fact: CaseFact | None) -> dict[str, Any] | None:
    return None if fact is None else {name: getattr(fact, name) for name in _FACT_FIELDS}


def _moved(before: dict[str, Any] | None, after: dict[str, Any] | None) -> set[str]:
    """The fact's columns whose value changed ("county" and "centre" for the two keys); ALL when
    every crossing moves (a victim counted or no longer counted, or another year of
    identification)."""
    if before is None or after is None or before["identified_year"] != after["identified_year"]:
        return {ALL}
    changed = {name for name in _FACT_FIELDS if before[name] != after[name]}
    return {name.removesuffix("_id") for name in changed}


def _lock_the_counts() -> None:
    """One change at a time adjusts the counts, until its transaction ends.

    Two changes of different cases meet on shared count rows (every adult woman identified
    this year adds to the same national crossings) and each adjusts hundreds of rows, in an
    order PostgreSQL does not promise: run side by side they deadlock and one change fails.
    The lock is the audit trail's: every change is audited in the same transaction right
    after, so it waits no longer, and there is no second lock to take in the other order.
    Taken after the cases' own locks, as audit_record takes it after the case was written.
    """
    hold_the_audit_chain()


def statistics_rebuild(*, progress: Callable[[int], object] | None = None, chunk: int = 5_000) -> int:
    """Recompute every fact and count from the cases (after a restore or a code-list change)."""
    with transaction.atomic():
        FactCount.objects.all().delete()
        CrossingCount.objects.all().delete()
        CentreCrossingCount.objects.all().delete()
        CaseFact.objects.all().delete()
        ids = list(
            Case.objects.filter(trafficking_status=TraffickingStatus.IDENTIFIED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        total = 0
        for start in range(0, len(ids), chunk):
            facts = _facts_for(ids[start : start + chunk])
            CaseFact.objects.bulk_create(facts, batch_size=2_000)
            # Per chunk: all facts at once would join a million rows to 455 crossings.
            _add_crossings(1, [fact.case_id for fact in facts], national=crossings(), by_centre=crossings())
            total += len(facts)
            if progress:
                progress(len(ids[start : start + chunk]))
        _add_counts(None, 1)
        # Every victim was counted for the centre covering its county now.
        CoverageMove.objects.filter(finished_at__isnull=True).update(finished_at=timezone.now())
    return total


@dataclass(frozen=True)
class Difference:
    """One kept row that a rebuild would publish otherwise (None: no such row on that side)."""

    table: str  # "facts", "counts", "national crossings" or "centres' crossings"
    key: tuple[Any, ...]
    kept: Any
    rebuilt: Any


def _kept() -> dict[str, dict[tuple[Any, ...], Any]]:
    """Everything kept, by table and key. A count of 0 is no count: the delta leaves such rows
    behind when the last victim of a cell leaves it, a rebuild writes none."""
    fields = ["case_id", *_FACT_FIELDS]
    return {
        "facts": {(row[0],): row[1:] for row in CaseFact.objects.values_list(*fields)},
        "counts": {
            row[:-1]: row[-1]
            for row in FactCount.objects.exclude(n=0).values_list(
                "dimension", "value", "year", "county_id", "centre_id", "n"
            )
        },
        "national crossings": {
            row[:-1]: row[-1]
            for row in CrossingCount.objects.exclude(n=0).values_list("dimensions", "value", "year", "n")
        },
        "centres' crossings": {
            row[:-1]: row[-1]
            for row in CentreCrossingCount.objects.exclude(n=0).values_list(
                "centre_id", "dimensions", "value", "year", "n"
            )
        },
    }


def statistics_check(*, progress: Callable[[int], object] | None = None) -> list[Difference]:
    """Compare every kept fact and count with what `statistics_rebuild` would publish now, and
    change nothing: the rebuild runs inside a transaction that is rolled back, so what is
    compared is exactly what a rebuild writes, not a second implementation of it.

    Holds the counts' lock throughout, so no case change lands between the two readings (case
    changes wait for it, as during a rebuild). While a county given to another centre is still
    being recounted (`CoverageMove` unfinished), the centres' crossings of its victims differ
    by design: callers say so beside the differences.
    """
    with transaction.atomic():
        _lock_the_counts()
        kept = _kept()
        statistics_rebuild(progress=progress)
        rebuilt = _kept()
        transaction.set_rollback(True)
    differences = []
    for table, rows in kept.items():
        fresh = rebuilt[table]
        for key in sorted(rows.keys() | fresh.keys(), key=repr):
            if rows.get(key) != fresh.get(key):
                differences.append(Difference(table=table, key=key, kept=rows.get(key), rebuilt=fresh.get(key)))
    return differences
