"""Statistics on PostgreSQL at 100,000 and 1,000,000 cases, against DuckDB scanning Parquet.

Creates (or reuses) its own database, migrates it, seeds it with `seed_demo --cases N`
(which resumes and keeps the statistical facts current batch by batch), then, in the same
run, times:

- atis: the annual report (every table it prints: one-way tables of every breakdown, the
  county table, the report's two-way tables and the trend by year) for the national analyst,
  each table as the dashboard gets it (`selectors.published_table`: counts, labels, rare
  categories grouped, disclosure control), and the raw counts alone (`selectors.counts`);
  single crossings, one or more per path of `selectors.counts`: national crossings of two and
  three breakdowns (the national crossing counts), a regional analyst's crossings of two and
  three (the centre's crossing counts), a crossing filtered by the centre in charge (counts per
  county and centre) and a regional crossing of three within one county (grouped from the
  facts); each with the user as a request has it after the access check, and with the user,
  its permissions and its scope resolved afresh (three more queries);
- DuckDB: the same tables computed by scanning the same data (the identified victims with
  their dimensions, exported from PostgreSQL to a Parquet file), each a GROUP BY.

Each round runs every variant once in a shuffled order (a noisy moment of the shared machine
hits all alike), and every table is checked to give the same figures in both engines.

Usage (from the repository root):
    .venv/bin/python -m benchmarks.statistics --sizes 100000
    .venv/bin/python -m benchmarks.statistics                   # 100k then 1M
Results are printed as a Markdown table and saved to benchmarks/results/statistics-<size>.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
# This file's name hides the standard `statistics` module for anything imported from this
# folder (cases_list.py uses it), so its helpers are repeated here rather than imported.


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def prepare_database(server: str, name: str, reset: bool) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        if reset:
            log(f"dropping database {name}")
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            log(f"creating database {name}")
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=30, help="timed rounds per measurement")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--database", default="atis_bench_statistics")
    parser.add_argument("--reset", action="store_true", help="drop the benchmark database first")
    return parser.parse_args()


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return {
        "p50": round(median, 2),
        "p95": round(percentile(values, 0.95), 2),
        "mean": round(sum(values) / len(values), 2),
    }


def timed_together(runs: dict[str, Callable[[], object]], repeats: int) -> dict[str, dict[str, float]]:
    """Each round runs every variant once, in a shuffled order, so a noisy moment of this
    shared machine hits all of them alike; one warm-up round first (plans cached, pages in
    memory, for both engines alike)."""
    for run in runs.values():
        run()
    values: dict[str, list[float]] = {name: [] for name in runs}
    shuffler = random.Random(7)
    order = list(runs)
    for _ in range(repeats):
        shuffler.shuffle(order)
        for name in order:
            started = time.perf_counter()
            runs[name]()
            values[name].append((time.perf_counter() - started) * 1000)
    return {name: summary(values[name]) for name in runs}


# The fact columns holding codes or words, as opposed to ids and years.
TEXT_COLUMNS = [
    "settlement",
    "sex",
    "minor",
    "age_band",
    "citizenship",
    "form",
    "scope",
    "destination",
    "recruitment",
    "recruiter",
    "institution",
    "duration",
    "assisted",
]


def report_tables() -> list[tuple[str, str | None, bool]]:
    """(rows, columns, whole period?) of every table in the annual report."""
    tables: list[tuple[str, str | None, bool]] = [("identified_year", None, True), ("county", None, False)]
    from atis.statistics.cube import DIMENSIONS, PAIRS  # after django.setup()

    tables += [(name, None, False) for name in DIMENSIONS]
    tables += [(rows, columns, False) for rows, columns in PAIRS]
    return tables


def duckdb_sql(dimensions: list[str], year: int | None, conditions: Sequence[str] = ()) -> str:
    """The GROUP BY computing one table, under the given conditions (a regional analyst's
    scope, a county, a centre: the same rules as atis's)."""
    names = [("county_id" if name == "county" else name) for name in dimensions]
    where = [f"identified_year = {year}"] if year else []
    where += conditions
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    return f"SELECT {', '.join(names)}, COUNT(*) FROM facts {clause} GROUP BY ALL"  # noqa: S608 - our own names


CROSSINGS, CENTRE_CROSSINGS = "national crossing counts", "the centre's crossing counts"
COUNTS, FACTS = "counts per county and centre", "grouped from the facts"


def path_of(dims: list[str], user: Any, filters: Any) -> str:
    """Which of the selector's ways answers this crossing for this user."""
    from atis.statistics import selectors

    if selectors._kept_crossing(dims, filters) is not None:
        if selectors._national_reader(user):
            return CROSSINGS
        if selectors.centre_crossings_visible_to(user).exists():
            return CENTRE_CROSSINGS
    if filters.equals or selectors._counts_cube(dims) is None:
        return FACTS
    return COUNTS


def dims_of(rows: str, columns: str | None) -> list[str]:
    return [rows] + ([columns] if columns else [])


def as_counts(result: list[tuple[Any, ...]]) -> dict[tuple[str, ...], int]:
    """DuckDB's rows as atis's keys (a missing value is atis's "unknown")."""
    return {tuple("unknown" if v is None else str(v) for v in row[:-1]): row[-1] for row in result}


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.dsn = f"{args.server}/{args.database}"

    def seed(self, size: int) -> float:
        from django.core.management import call_command

        from atis.cases.demo import demo_case_count
        from atis.cases.models import Case, TraffickingStatus
        from atis.statistics.models import CaseFact

        have = demo_case_count()
        elapsed = 0.0
        if have < size:
            log(f"seeding from {have:,} to {size:,} demo cases")
            started = time.perf_counter()
            call_command("seed_demo", cases=size, stdout=io.StringIO())
            elapsed = time.perf_counter() - started
            log(f"seeded {size - have:,} cases in {elapsed / 60:.1f} min")
        identified = Case.objects.filter(trafficking_status=TraffickingStatus.IDENTIFIED).count()
        if CaseFact.objects.count() != identified:
            # A database seeded before the statistics app existed: build its facts once.
            log(f"building the facts of {identified:,} identified victims")
            started = time.perf_counter()
            call_command("statistics_rebuild", stdout=io.StringIO())
            log(f"statistics_rebuild took {time.perf_counter() - started:.1f} s")
        import psycopg

        with psycopg.connect(self.dsn, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE statistics_casefact")
            connection.execute("VACUUM ANALYZE statistics_factcount")
            connection.execute("VACUUM ANALYZE statistics_crossingcount")
            connection.execute("VACUUM ANALYZE statistics_centrecrossingcount")
        return elapsed

    def measure_writes(self) -> dict[str, Any]:
        """What keeping the facts and counts costs a change (`refresh_case_facts`, which every
        case service calls in its transaction): an edit that moves no figure, a victim's sex
        corrected (one dimension: the 91 national crossings holding it, both ways), a victim
        counted for the first time (every count added, as at identification or in the demo
        seeding), and the same for a batch of 5,000. Each run is rolled back: the database stays as it was."""
        import random

        from django.db import transaction

        from atis.cases.models import Case, Person, TraffickingStatus
        from atis.organisations.models import CentreCoverage
        from atis.statistics import services
        from atis.statistics.models import CaseFact

        ids = list(CaseFact.objects.values_list("case_id", flat=True))
        rng = random.Random(7)

        def no_change(batch: list[int]) -> None:
            pass

        def sex_corrected(batch: list[int]) -> None:
            people = list(Case.objects.filter(pk__in=batch).values_list("person_id", flat=True))
            women = list(Person.objects.filter(pk__in=people, sex="female").values_list("pk", flat=True))
            Person.objects.filter(pk__in=people).exclude(pk__in=women).update(sex="female")
            Person.objects.filter(pk__in=women).update(sex="male")

        def first_counted(batch: list[int]) -> None:
            # Taken out of the figures first (untimed), so the timed refresh counts it anew.
            Case.objects.filter(pk__in=batch).update(trafficking_status=TraffickingStatus.PRESUMED)
            services.refresh_case_facts(batch)
            Case.objects.filter(pk__in=batch).update(trafficking_status=TraffickingStatus.IDENTIFIED)

        changes = {
            "no figure moves": no_change,
            "sex corrected": sex_corrected,
            "counted for the first time": first_counted,
        }
        out: dict[str, Any] = {}
        for size, repeats in ((1, self.args.repeats), (5_000, 3)):
            for name, change in changes.items():
                timings: list[float] = []
                for _ in range(repeats):
                    batch = rng.sample(ids, min(size, len(ids)))
                    with transaction.atomic():
                        change(batch)
                        started = time.perf_counter()
                        services.refresh_case_facts(batch)
                        timings.append((time.perf_counter() - started) * 1000)
                        transaction.set_rollback(True)
                out[f"refresh of {size:,} case{'s' if size > 1 else ''}, {name}"] = summary(timings)
        # An administrator giving a county to another centre: the request only records it; a
        # background task recounts the county's victims for the centres' crossings, one step
        # of `services.RECOUNT_STEP` victims per transaction (each holds the counts' lock that every
        # case change waits for). Timed: steps of the largest county, rolled back.
        row = CentreCoverage.objects.get(county__mnemonic="IS")
        other = CentreCoverage.objects.exclude(centre_id=row.centre_id).values_list("centre_id", flat=True).first()
        victims = CaseFact.objects.filter(county_id=row.county_id).count()
        timings = []
        with transaction.atomic():
            CentreCoverage.objects.filter(pk=row.pk).update(centre_id=other)
            for _ in range(self.args.repeats // 3):
                started = time.perf_counter()
                services.coverage_move_step(row.county_id)
                timings.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
        steps = -(-victims // services.RECOUNT_STEP)
        out[f"Iași county to another centre: one recount step of {services.RECOUNT_STEP} victims (of {steps})"] = (
            summary(timings)
        )
        return out

    def export_parquet(self, target: Path) -> dict[str, Any]:
        """The identified victims with their dimensions, from PostgreSQL to one Parquet file."""
        import duckdb
        import psycopg

        csv_path = target.with_suffix(".csv")
        started = time.perf_counter()
        with (
            psycopg.connect(self.dsn) as connection,
            connection.cursor() as cursor,
            csv_path.open("wb") as out,
            cursor.copy("COPY statistics_casefact TO STDOUT WITH (FORMAT csv, HEADER true)") as copy,
        ):
            for chunk in copy:
                out.write(chunk)
        # The text dimensions stay text: left to guess, DuckDB reads assisted's yes/no as booleans
        # and would count "True" where atis counts "yes".
        text = ", ".join(f"'{name}': 'VARCHAR'" for name in TEXT_COLUMNS)
        duckdb.sql(
            f"COPY (SELECT * FROM read_csv_auto('{csv_path}', header = true, types = {{{text}}})) "  # noqa: S608
            f"TO '{target}' (FORMAT parquet)"
        )
        csv_path.unlink()
        counted = duckdb.sql(f"SELECT COUNT(*) FROM '{target}'")  # noqa: S608 - a temporary path
        assert counted is not None
        rows = counted.fetchall()
        return {
            "rows": rows[0][0],
            "bytes": target.stat().st_size,
            "export_s": round(time.perf_counter() - started, 1),
        }

    def measure(self, size: int, seeded_seconds: float) -> dict[str, Any]:
        import duckdb

        from atis.accounts.models import User
        from atis.accounts.selectors import scope_of
        from atis.geo.models import County
        from atis.statistics import selectors
        from atis.statistics.models import CaseFact
        from atis.statistics.selectors import Filters

        national = User.objects.get(username="analist")
        regional = User.objects.get(username="analist.iasi")
        year = CaseFact.objects.order_by("-identified_year").values_list("identified_year", flat=True).first()
        # The last complete year: the report of the year just ended.
        report_year = (year or 2025) - 1
        tables = report_tables()
        results: dict[str, Any] = {
            "size": size,
            "identified": CaseFact.objects.count(),
            "report_year": report_year,
            "tables_in_report": len(tables),
            "seeded_s": round(seeded_seconds, 1),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
            "duckdb": duckdb.__version__,
        }
        with tempfile.TemporaryDirectory() as folder:
            parquet = Path(folder) / "facts.parquet"
            results["parquet"] = self.export_parquet(parquet)
            duck = duckdb.connect()
            duck.execute(f"CREATE VIEW facts AS SELECT * FROM read_parquet('{parquet}')")  # noqa: S608
            duck.execute("PRAGMA threads=2")

            def atis_report(published: bool) -> Callable[[], int]:
                def run() -> int:
                    # One report is one request (or background job): its user resolved once.
                    user = User.objects.get(pk=national.pk)
                    produced = 0
                    for rows, columns, whole in tables:
                        filters = Filters() if whole else Filters(year_from=report_year, year_to=report_year)
                        if published:
                            produced += len(selectors.published_table(user, rows, columns, filters).grid)
                        else:
                            produced += len(selectors.counts(user, dims_of(rows, columns), filters))
                    return produced

                return run

            def duck_report() -> int:
                produced = 0
                for rows, columns, whole in tables:
                    sql = duckdb_sql(dims_of(rows, columns), None if whole else report_year)
                    produced += len(duck.execute(sql).fetchall())
                return produced

            regional_scope = scope_of(regional)
            iasi_counties = ", ".join(map(str, sorted(regional_scope.county_ids)))
            iasi_centre = regional_scope.organisation_id or 0
            # The regional analyst's scope: the centre's counties plus the cases in its charge.
            in_scope = f"(county_id IN ({iasi_counties}) OR centre_id = {iasi_centre})"
            iasi_county = County.objects.get(mnemonic="IS").pk
            year_only = Filters(year_from=report_year, year_to=report_year)
            one_county = Filters(year_from=report_year, year_to=report_year, county_id=iasi_county)
            in_charge = Filters(year_from=report_year, year_to=report_year, centre_id=iasi_centre)
            # (dimensions, the analyst, the filters, DuckDB's conditions) of each single crossing,
            # one or more per way `selectors.counts` answers (`path_of` names it in the output).
            crossings: dict[str, tuple[list[str], Any, Filters, list[str]]] = {
                "form × sex": (["form", "sex"], national, year_only, []),
                "sex × minor × scope": (["sex", "minor", "scope"], national, year_only, []),
                "form × recruitment × recruiter": (["form", "recruitment", "recruiter"], national, year_only, []),
                "county × recruitment × recruiter": (["county", "recruitment", "recruiter"], national, year_only, []),
                "destination × institution × trafficked year": (
                    ["destination", "institution", "trafficked_year"],
                    national,
                    year_only,
                    [],
                ),
                "form × sex, the Iași centre's cases": (
                    ["form", "sex"],
                    national,
                    in_charge,
                    [f"centre_id = {iasi_centre}"],
                ),
                "county × form, regional analyst (Iași)": (["county", "form"], regional, year_only, [in_scope]),
                "recruitment × recruiter, regional analyst (Iași)": (
                    ["recruitment", "recruiter"],
                    regional,
                    year_only,
                    [in_scope],
                ),
                "form × recruitment × recruiter, regional analyst (Iași)": (
                    ["form", "recruitment", "recruiter"],
                    regional,
                    year_only,
                    [in_scope],
                ),
                "form × recruitment × recruiter in Iași county, regional analyst (Iași)": (
                    ["form", "recruitment", "recruiter"],
                    regional,
                    one_county,
                    [in_scope, f"county_id = {iasi_county}"],
                ),
            }

            def resolved(user: Any) -> Any:
                """The user as a request has it once the access check ran: permissions and scope
                loaded (and kept on the user object for the rest of the request)."""
                fresh = User.objects.get(pk=user.pk)
                fresh.has_perm("statistics.view_statistics")
                scope_of(fresh)
                return fresh

            def single_runs(
                dims: list[str], user: Any, filters: Filters, conditions: list[str]
            ) -> dict[str, Callable[[], object]]:
                ready = resolved(user)
                sql = duckdb_sql(dims, report_year, conditions)
                runs: dict[str, Callable[[], object]] = {
                    "atis": lambda: selectors.counts(ready, dims, filters),
                    "atis, user resolved afresh": lambda: selectors.counts(User.objects.get(pk=user.pk), dims, filters),
                    "DuckDB": lambda: duck.execute(sql).fetchall(),
                }
                if path_of(dims, ready, filters) != FACTS:
                    # What the kept counts save: the same crossing grouped from the facts.
                    runs["atis, grouped from the facts instead"] = lambda: selectors.counts_from_facts(
                        ready, dims, filters
                    )
                return runs

            log("timing the annual report")
            results["annual_report"] = timed_together(
                {
                    "atis published (counts + labels + disclosure control)": atis_report(True),
                    "atis counts only": atis_report(False),
                    "DuckDB on Parquet": duck_report,
                },
                self.args.repeats,
            )
            log("timing single crossings")
            results["single"] = {
                f"{name} ({path_of(dims, resolved(user), filters)})": timed_together(
                    single_runs(dims, user, filters, conditions), self.args.repeats
                )
                for name, (dims, user, filters, conditions) in crossings.items()
            }
            # Same numbers from both engines, table by table: the comparison is of equal work.
            same: dict[str, bool] = {}
            user = resolved(national)
            for rows, columns, whole in tables:
                filters = Filters() if whole else year_only
                sql = duckdb_sql(dims_of(rows, columns), None if whole else report_year)
                same[f"report: {' × '.join(dims_of(rows, columns))}"] = selectors.counts(
                    user, dims_of(rows, columns), filters
                ) == as_counts(duck.execute(sql).fetchall())
            for name, (dims, analyst, filters, conditions) in crossings.items():
                ours = selectors.counts(resolved(analyst), dims, filters)
                same[name] = ours == as_counts(duck.execute(duckdb_sql(dims, report_year, conditions)).fetchall())
            results["same_figures"] = all(same.values())
            log("timing the upkeep of the counts")
            results["writes"] = self.measure_writes()
            results["different_figures"] = [name for name, equal in same.items() if not equal]
        return results


def print_table(report: dict[str, Any]) -> None:
    print(
        f"\n### {report['size']:,} cases ({report['identified']:,} identified victims), "
        f"report year {report['report_year']}, {report['tables_in_report']} tables\n"
    )
    print("| measurement | p50 ms | p95 ms |")
    print("|---|---:|---:|")
    for name, figures in report["annual_report"].items():
        print(f"| annual report: {name} | {figures['p50']} | {figures['p95']} |")
    for name, engines in report["single"].items():
        for engine, figures in engines.items():
            print(f"| {name}: {engine} | {figures['p50']} | {figures['p95']} |")
    for name, figures in report.get("writes", {}).items():
        print(f"| {name} | {figures['p50']} | {figures['p95']} |")
    print(
        f"\nSame figures from both engines, every table: {report['same_figures']} "
        f"{report['different_figures'] or ''}. Parquet: {report['parquet']}."
    )


def main() -> None:
    args = parse_args()
    args.server = args.server.rstrip("/")
    os.environ["ATIS_MODE"] = "test"
    os.environ["DATABASE_URL"] = f"{args.server}/{args.database}"
    os.environ.setdefault("DB_CONN_MAX_AGE", "600")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    prepare_database(args.server, args.database, args.reset)

    import django

    django.setup()
    from django.core.management import call_command

    log("migrate and load the reference data")
    call_command("migrate", verbosity=0)
    call_command("load_reference", stdout=io.StringIO())
    bench = Bench(args)
    RESULTS.mkdir(exist_ok=True)
    for size in sorted(args.sizes):
        seconds = bench.seed(size)
        report = bench.measure(size, seconds)
        (RESULTS / f"statistics-{size}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
        print_table(report)


if __name__ == "__main__":
    main()
