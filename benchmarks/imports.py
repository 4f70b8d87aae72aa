"""CTDC imports on PostgreSQL against a bare baseline: the shared 2017 release and 1,000,000 rows.

Creates (or reuses) its own database, migrates it, writes a synthetic file of N rows in the
global synthetic layout (27 columns, ISO3 countries, flags 1 or empty; values drawn with a fixed
seed) and then, in the same run, times for each file:

- atis: `atis.statistics.imports.import_file("ctdc", path)`, the service the command and the
  upload task call: the file's digest, the streamed csv parse, the checks of every row, COPY
  into the records table (with its unique index on dataset and line), the report and the audit
  entry, in one transaction;
- pandas: the brief's baseline. `pandas.read_csv` of the same file (every column as text, empty
  cells kept empty, .gz decompressed by pandas, malformed lines skipped), then the frame written
  as CSV into memory and sent by one `COPY ... FROM STDIN (FORMAT csv)` into a bare table with one
  text column per column of the file (no index, no constraint), in one transaction, with psycopg
  on its own connection. The frame and its CSV are held whole in memory: it is the bound on
  speed, not on memory;
- csv: the csv module reading the file row by row and `write_row` into the same bare table (the
  parser atis itself uses, so that ratio is what atis adds on top of parsing and copying).

Each round runs the three once in rotating order, after emptying both tables (not timed); the
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
import io
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


def _bare_table(cursor: Any, columns: int) -> None:
    from psycopg import sql

    cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(BARE)))
    cursor.execute(
        sql.SQL("CREATE TABLE {} ({})").format(
            sql.Identifier(BARE),
            sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(f"c{i}")) for i in range(columns)),
        )
    )


def csv_import(dsn: str, path: Path) -> int:
    """Reference: csv module + COPY of every cell as text into a bare table."""
    import psycopg
    from psycopg import sql

    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle, psycopg.connect(dsn) as db:
        reader = csv.reader(handle)
        header = next(reader)
        with db.cursor() as cursor:
            _bare_table(cursor, len(header))
            written = 0
            with cursor.copy(sql.SQL("COPY {} FROM STDIN").format(sql.Identifier(BARE))) as copy:
                for values in reader:
                    if len(values) == len(header):
                        copy.write_row(values)
                        written += 1
        db.commit()
    return written


def pandas_import(dsn: str, path: Path) -> int:
    """The brief's baseline: pandas read_csv, then one COPY of the frame as CSV into a bare table."""
    import pandas
    import psycopg
    from psycopg import sql

    frame = pandas.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", on_bad_lines="skip")
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, header=False)
    with psycopg.connect(dsn) as db, db.cursor() as cursor:
        _bare_table(cursor, len(frame.columns))
        with cursor.copy(sql.SQL("COPY {} FROM STDIN (FORMAT csv)").format(sql.Identifier(BARE))) as copy:
            copy.write(buffer.getvalue())
        db.commit()
    return len(frame)


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


VARIANTS = ("atis", "pandas", "csv")


def measure(label: str, path: Path, dsn: str, rounds: int) -> dict[str, Any]:
    times: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
    rows: dict[str, int] = {}
    run = {
        "atis": lambda: atis_import(path),
        "pandas": lambda: pandas_import(dsn, path),
        "csv": lambda: csv_import(dsn, path),
    }
    for round_number in range(rounds):
        # Rotate the order so no variant always runs first (caches) or last (a busy machine).
        order = VARIANTS[round_number % 3 :] + VARIANTS[: round_number % 3]
        for variant in order:
            empty_tables(dsn)
            started = time.perf_counter()
            rows[variant] = run[variant]()
            times[variant].append(time.perf_counter() - started)
        log(f"{label}: round {round_number + 1}: " + ", ".join(f"{v} {times[v][-1]:.2f} s" for v in VARIANTS))
    empty_tables(dsn)
    tracemalloc.start()
    atis_import(path)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    empty_tables(dsn)
    medians = {variant: sorted(times[variant])[len(times[variant]) // 2] for variant in VARIANTS}
    return {
        "file": label,
        "bytes": path.stat().st_size,
        "rows": rows,
        "seconds": times,
        "median_s": medians,
        "ratio_to_pandas": medians["atis"] / medians["pandas"],
        "ratio_to_csv": medians["atis"] / medians["csv"],
        "python_peak_mb": peak / 1_048_576,
    }


def print_table(results: list[dict[str, Any]]) -> None:
    print()
    print(
        "| file | size | rows kept (atis / pandas) | atis | pandas read_csv + COPY | csv + COPY "
        "| atis ÷ pandas | atis ÷ csv | Python memory peak (atis) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        m = r["median_s"]
        print(
            f"| {r['file']} | {r['bytes'] / 1_048_576:.1f} MB | {r['rows']['atis']:,} / {r['rows']['pandas']:,} "
            f"| {m['atis']:.2f} s | {m['pandas']:.2f} s | {m['csv']:.2f} s "
            f"| ×{r['ratio_to_pandas']:.2f} | ×{r['ratio_to_csv']:.2f} | {r['python_peak_mb']:.1f} MB |"
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
    import pandas

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
        "pandas": pandas.__version__,
        "results": results,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "imports.json").write_text(json.dumps(report, indent=2))
    print_table(results)


if __name__ == "__main__":
    main()
