"""Statistics on PostgreSQL at 100,000 and 1,000,000 cases, against DuckDB scanning Parquet.

Creates (or reuses) its own database, migrates it, seeds it with `seed_demo --cases N`
(which resumes and keeps the statistical facts current batch by batch), then, in the same
run, times:

- atis: the annual report (every table it prints: one-way tables of every breakdown, the
  county table, the report's two-way tables and the trend by year) for the national analyst,
  each table as the dashboard gets it (`selectors.published_table`: counts, labels, rare
  categories grouped, disclosure control), and the raw counts alone (`selectors.counts`);
  single crossings: a two-way table kept as counts (form × sex), one grouped from the
  facts on demand (sex × minor × scope, three-way), and the regional analyst's county table;
- DuckDB: the same tables computed by scanning the same data (the identified victims with
  their dimensions, exported from PostgreSQL to a Parquet file), each a GROUP BY.

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
import sys
import tempfile
import time
from collections.abc import Callable
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
    parser.add_argument("--repeats", type=int, default=20, help="timed runs per measurement")
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


def timed(run: Callable[[], object], repeats: int) -> dict[str, float]:
    run()  # warm-up: plans cached, pages in memory, for both engines alike
    values = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        values.append((time.perf_counter() - started) * 1000)
    return summary(values)


ONE_WAY = [
    "sex",
    "minor",
    "age_band",
    "form",
    "scope",
    "destination",
    "settlement",
    "recruitment",
    "recruiter",
    "institution",
    "duration",
    "assisted",
    "trafficked_year",
    "citizenship",
]
TWO_WAY = [
    ("form", "sex"),
    ("form", "minor"),
    ("sex", "minor"),
    ("sex", "age_band"),
    ("form", "scope"),
    ("destination", "form"),
]


def report_tables() -> list[tuple[str, str | None, bool]]:
    """(rows, columns, whole period?) of every table in the annual report."""
    tables: list[tuple[str, str | None, bool]] = [("identified_year", None, True), ("county", None, False)]
    tables += [(name, None, False) for name in ONE_WAY]
    tables += [(rows, columns, False) for rows, columns in TWO_WAY]
    return tables


def duckdb_sql(rows: str, columns: str | None, year: int | None, scope_counties: list[int] | None = None) -> str:
    names = [("county_id" if name == "county" else name) for name in ([rows] + ([columns] if columns else []))]
    where = [f"identified_year = {year}"] if year else []
    if scope_counties is not None:
        where.append(f"county_id IN ({', '.join(map(str, scope_counties))})")
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    return f"SELECT {', '.join(names)}, COUNT(*) FROM facts {clause} GROUP BY ALL"  # noqa: S608 - our own names


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
        return elapsed

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
        duckdb.sql(
            f"COPY (SELECT * FROM read_csv_auto('{csv_path}', header = true)) TO '{target}' (FORMAT parquet)"  # noqa: S608
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
                    user = User.objects.get(pk=national.pk)
                    produced = 0
                    for rows, columns, whole in tables:
                        filters = Filters() if whole else Filters(year_from=report_year, year_to=report_year)
                        if published:
                            produced += len(selectors.published_table(user, rows, columns, filters).grid)
                        else:
                            produced += len(selectors.counts(user, [rows] + ([columns] if columns else []), filters))
                    return produced

                return run

            def duck_report() -> int:
                produced = 0
                for rows, columns, whole in tables:
                    produced += len(duck.execute(duckdb_sql(rows, columns, None if whole else report_year)).fetchall())
                return produced

            scope_counties = sorted(scope_of(regional).county_ids)
            year_only = Filters(year_from=report_year, year_to=report_year)
            single: dict[str, tuple[Callable[[], object], Callable[[], object]]] = {
                "form × sex (kept as counts)": (
                    lambda: selectors.counts(User.objects.get(pk=national.pk), ["form", "sex"], year_only),
                    lambda: duck.execute(duckdb_sql("form", "sex", report_year)).fetchall(),
                ),
                "sex × minor × scope (grouped from the facts)": (
                    lambda: selectors.counts(User.objects.get(pk=national.pk), ["sex", "minor", "scope"], year_only),
                    lambda: duck.execute(
                        "SELECT sex, minor, scope, COUNT(*) FROM facts WHERE identified_year = ? GROUP BY ALL",
                        [report_year],
                    ).fetchall(),
                ),
                "county × form, regional analyst (Iași)": (
                    lambda: selectors.counts(User.objects.get(pk=regional.pk), ["county", "form"], year_only),
                    lambda: duck.execute(duckdb_sql("county", "form", report_year, scope_counties)).fetchall(),
                ),
            }
            log("timing the annual report")
            results["annual_report"] = {
                "atis published (counts + labels + disclosure control)": timed(atis_report(True), self.args.repeats),
                "atis counts only": timed(atis_report(False), self.args.repeats),
                "DuckDB on Parquet": timed(duck_report, self.args.repeats),
            }
            log("timing single crossings")
            results["single"] = {
                name: {"atis": timed(ours, self.args.repeats), "DuckDB": timed(theirs, self.args.repeats)}
                for name, (ours, theirs) in single.items()
            }
            # Same numbers from both engines: the comparison is of equal work.
            ours = selectors.counts(User.objects.get(pk=national.pk), ["form", "sex"], year_only)
            theirs = {
                (str(a), str(b)): n for a, b, n in duck.execute(duckdb_sql("form", "sex", report_year)).fetchall()
            }
            results["same_figures"] = ours == theirs
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
    print(f"\nSame figures from both engines: {report['same_figures']}. Parquet: {report['parquet']}.")


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
