"""CTDC imports on PostgreSQL against a bare baseline: the shared 2017 release and 1,000,000 rows.

Creates (or reuses) its own database, migrates it, writes a synthetic file of N rows in the
global synthetic layout (27 columns, ISO3 countries, flags 1 or empty; values drawn with a fixed
seed) and then, in the same run, times for each file:

- atis: `atis.statistics.imports.import_file("ctdc", path)`, the service the command and the
  upload task call: the file's digest, the streamed csv parse, the checks of every row, COPY
  into the records table (with its unique index on dataset and line), the report and the audit
  entry, in one transaction;
- baseline: the csv module reading the same file (decompressing it when it is .gz) and COPY of
  every cell, as text, into a bare table with one text column per column of the file (no index,
  no constraint), in one transaction, with psycopg on its own connection. The brief's baseline is
  pandas `read_csv` + COPY; pandas is not installed in this environment, so the csv module
  stands in for it (it is the parser atis uses, so the ratio is what atis adds on top of parsing
  and copying).

Each round runs both once in alternating order, after emptying both tables (not timed); the
median of the rounds is reported. One more, untimed, pass of each atis import runs under
tracemalloc for the peak of Python memory, against the file's size: a streamed import keeps it
flat whatever the number of rows.

Usage (from the repository root):
    .venv/bin/python -m benchmarks.imports                     # the shared CTDC file and 1,000,000 rows
    .venv/bin/python -m benchmarks.imports --rows 200000 --rounds 3
Results are printed as a Markdown table and saved to benchmarks/results/imports.json.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import platform
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
CTDC = ROOT.parent / "shared" / "data" / "ctdc" / "ctdc_global_2017-11-27.csv.gz"
BARE = "bench_bare_import"
SYNTHETIC_COLUMNS = [
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    "traffickMonths",
    "meansDebtBondageEarnings",
    "meansThreats",
    "meansAbusePsyPhySex",
    "meansFalsePromises",
    "meansDrugsAlcohol",
    "meansDenyBasicNeeds",
    "meansExcessiveWorkHours",
    "meansWithholdDocs",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "typeOfLabourAgriculture",
    "typeOfLabourConstruction",
    "typeOfLabourDomesticWork",
    "typeOfLabourHospitality",
    "typeOfSexProstitution",
    "typeOfSexPornography",
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the synthetic file")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per file")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--database", default="atis_bench_imports")
    return parser.parse_args()


def prepare_database(server: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            log(f"creating database {name}")
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def write_synthetic(path: Path, rows: int) -> None:
    """A file in the global synthetic layout with plausible value mixes (fixed seed)."""
    generator = random.Random(2024)
    countries = ["ROU", "MDA", "UKR", "PHL", "IDN", "USA", "NGA", "KHM", "ITA", "ESP", "", "NULL"]
    ages = ["0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+", ""]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(SYNTHETIC_COLUMNS)
        choice, rand = generator.choice, generator.random
        for _ in range(rows):
            writer.writerow(
                [
                    str(2002 + int(rand() * 21)),
                    choice(("Woman", "Man", "Woman", "Trans/Transgender/NonConforming", "")),
                    choice(ages),
                    choice(countries),
                    choice(countries),
                    choice(("0--12 (0-1 yr)", "13--24 (1-2 yrs)", "25+ (2+ yrs)", "")),
                    *("1" if rand() < 0.2 else "" for _ in range(21)),
                ]
            )


def bare_import(dsn: str, path: Path) -> int:
    """The baseline: csv module + COPY of every cell as text into a bare table."""
    import psycopg
    from psycopg import sql

    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle, psycopg.connect(dsn) as db:
        reader = csv.reader(handle)
        header = next(reader)
        with db.cursor() as cursor:
            cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(BARE)))
            cursor.execute(
                sql.SQL("CREATE TABLE {} ({})").format(
                    sql.Identifier(BARE),
                    sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(f"c{i}")) for i in range(len(header))),
                )
            )
            written = 0
            with cursor.copy(sql.SQL("COPY {} FROM STDIN").format(sql.Identifier(BARE))) as copy:
                for values in reader:
                    if len(values) == len(header):
                        copy.write_row(values)
                        written += 1
        db.commit()
    return written


def empty_tables(dsn: str) -> None:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as db:
        db.execute("TRUNCATE statistics_ctdcrecord")
        db.execute(f"DROP TABLE IF EXISTS {BARE}")
        db.execute("VACUUM ANALYZE statistics_ctdcrecord")


def atis_import(path: Path) -> int:
    from atis.lib.request_context import acting_as
    from atis.statistics.imports import import_file

    with acting_as(None, channel="command"):
        run = import_file("ctdc", path, release="bench")
    return int(run.rows_kept)


def measure(label: str, path: Path, dsn: str, rounds: int) -> dict[str, Any]:
    times: dict[str, list[float]] = {"atis": [], "baseline": []}
    rows: dict[str, int] = {}
    for round_number in range(rounds):
        order = ["atis", "baseline"] if round_number % 2 == 0 else ["baseline", "atis"]
        for variant in order:
            empty_tables(dsn)
            started = time.perf_counter()
            rows[variant] = atis_import(path) if variant == "atis" else bare_import(dsn, path)
            times[variant].append(time.perf_counter() - started)
        log(
            f"{label}: round {round_number + 1}: atis {times['atis'][-1]:.2f} s, baseline {times['baseline'][-1]:.2f} s"
        )
    empty_tables(dsn)
    tracemalloc.start()
    atis_import(path)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    empty_tables(dsn)
    atis_median = sorted(times["atis"])[len(times["atis"]) // 2]
    baseline_median = sorted(times["baseline"])[len(times["baseline"]) // 2]
    return {
        "file": label,
        "bytes": path.stat().st_size,
        "rows_atis": rows["atis"],
        "rows_baseline": rows["baseline"],
        "atis_s": times["atis"],
        "baseline_s": times["baseline"],
        "atis_median_s": atis_median,
        "baseline_median_s": baseline_median,
        "ratio": atis_median / baseline_median,
        "python_peak_mb": peak / 1_048_576,
    }


def print_table(results: list[dict[str, Any]]) -> None:
    print()
    print(
        "| file | size | rows kept | atis (median) | baseline: csv + COPY (median) | atis ÷ baseline | Python memory peak |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['file']} | {r['bytes'] / 1_048_576:.1f} MB | {r['rows_atis']:,} | {r['atis_median_s']:.2f} s "
            f"| {r['baseline_median_s']:.2f} s | ×{r['ratio']:.2f} | {r['python_peak_mb']:.1f} MB |"
        )


def main() -> None:
    args = parse_args()
    args.server = args.server.rstrip("/")
    dsn = f"{args.server}/{args.database}"
    os.environ["ATIS_MODE"] = "test"
    os.environ["DATABASE_URL"] = dsn
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    prepare_database(args.server, args.database)

    import django

    django.setup()
    from django.core.management import call_command

    log("migrate")
    call_command("migrate", verbosity=0)
    results = []
    with tempfile.TemporaryDirectory(prefix="atis-bench-imports-") as folder:
        synthetic = Path(folder) / f"ctdc_synthetic_{args.rows}.csv"
        log(f"writing {args.rows:,} synthetic rows")
        write_synthetic(synthetic, args.rows)
        for label, path in ((CTDC.name, CTDC), (f"synthetic, {args.rows:,} rows", synthetic)):
            results.append(measure(label, path, dsn, args.rounds))
    report = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "pandas": "not installed: the baseline parses with the csv module",
        "results": results,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "imports.json").write_text(json.dumps(report, indent=2))
    print_table(results)


if __name__ == "__main__":
    main()
