"""Disclosure control at 1,000,000 cases: every crossing the dashboard, the exports and the
annual report can produce, protected by `atis.lib.disclosure`, timed.

How the tables are made: no database. A synthetic population of identified victims (one row
per victim, 1,000,000 by default) is drawn with numpy from the demo's distributions
(`atis.cases.demo`: counties' weights, forms' shares, destinations, the years 2021-2026 and
their weights) and its dependencies (age band gives minor or adult; internal trafficking has
no destination abroad; the identifying institution is mostly the police of the victim's
county; the year trafficking began precedes identification; men more often in forced labour),
then each crossing is counted from it with `numpy.bincount`, exactly as the statistics count
the facts. The tables are then prepared as `selectors.published_table` and
`selectors.published_layers` prepare them: rare categories of long breakdowns (and, in a
national crossing, of any breakdown whose one-way table is printed exactly) folded into
"other", and, nationally, the one-way totals marked as known.

Crossings: every pair and every triple of the 16 breakdowns a reader can choose (120 + 560),
each for the national analyst (the whole population) and for the Iași regional analyst (its
six counties), each without a year filter and for one year (2025): 2,720 tables. Each is
protected `--repeat` times; the figures are p50 / p95 of all timings per crossing size.

`--compare` also runs the cycle search atis used before (kept here only, for this comparison)
on the two-way tables, in a child process killed after `--old-timeout` seconds, and counts the
hidden cells of both on the tables where both finish, with the same rules (no known totals).

Usage (from the repository root):
    .venv/bin/python -m benchmarks.disclosure
    .venv/bin/python -m benchmarks.disclosure --victims 1000000 --repeat 3 --compare
Results are printed as Markdown and saved to benchmarks/results/disclosure.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing
import os
import platform
import sys
import time
from collections import defaultdict
from collections.abc import Hashable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
LIMIT = 11


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


# --- The synthetic population -------------------------------------------------------------------

COUNTIES = [
    "AB", "AR", "AG", "BC", "BH", "BN", "BT", "BR", "BV", "B", "BZ", "CL", "CS", "CJ", "CT", "CV", "DB", "DJ",
    "GL", "GR", "GJ", "HR", "HD", "IL", "IS", "IF", "MM", "MH", "MS", "NT", "OT", "PH", "SJ", "SM", "SB", "SV",
    "TR", "TM", "TL", "VL", "VS", "VN",
]  # fmt: skip
IASI_CENTRE = ["IS", "BC", "BT", "NT", "SV", "VS"]
UNKNOWN = "unknown"


def _weights(pairs: Mapping[str, float]) -> tuple[list[str], np.ndarray]:
    values = np.array(list(pairs.values()), dtype=float)
    return list(pairs), values / values.sum()


def population(size: int, seed: int) -> tuple[dict[str, np.ndarray], dict[str, list[str]]]:
    """`size` identified victims: for each breakdown an array of value indices, and the values."""
    from atis.cases import demo

    rng = np.random.default_rng(seed)
    columns: dict[str, np.ndarray] = {}
    values: dict[str, list[str]] = {}

    def draw(name: str, pairs: Mapping[str, float], n: int | None = None) -> np.ndarray:
        labels, p = _weights(pairs)
        values[name] = labels
        return rng.choice(len(labels), size=size if n is None else n, p=p)

    years = {str(year): weight for year, weight in demo.YEAR_WEIGHTS.items()}
    columns["identified_year"] = draw("identified_year", years)
    county_weights = {county: demo.COUNTY_WEIGHTS.get(county, 1.0) for county in COUNTIES}
    columns["county"] = draw("county", county_weights)
    columns["sex"] = draw("sex", {"female": 0.74, "male": 0.25, UNKNOWN: 0.01})
    bands = {"0-13": 0.05, "14-17": 0.23, "18-25": 0.34, "26-35": 0.2, "36-45": 0.11, "46+": 0.05, UNKNOWN: 0.02}
    columns["age_band"] = draw("age_band", bands)
    band = np.array(values["age_band"])[columns["age_band"]]
    values["minor"] = ["minor", "adult", UNKNOWN]
    columns["minor"] = np.where(np.isin(band, ["0-13", "14-17"]), 0, np.where(band == UNKNOWN, 2, 1))
    # Forms: the demo's shares, men more often in forced labour; four codes almost never used.
    forms = {form: spec[0] for form, spec in demo.FORMS.items()}
    forms.update({"organ_removal": 0.0004, "illegal_adoption": 0.0003, "pornography": 0.003, "surrogacy": 0.0002})
    female_form = draw("form", forms)
    male_forms = dict(forms, sexual=0.25, forced_labour=0.45)
    male_form = draw("form", male_forms)
    columns["form"] = np.where(columns["sex"] == 1, male_form, female_form)
    columns["scope"] = draw("scope", {"internal": 0.52, "international": 0.47, UNKNOWN: 0.01})
    destinations = {
        code: weight
        for code, weight in zip(demo.DESTINATIONS.values, np.diff([0, *demo.DESTINATIONS.cumulative]), strict=True)
    }
    destinations.update({"NO": 0.3, "HU": 0.3, "US": 0.1, "TR": 0.2, "AE": 0.05, "IS": 0.02, UNKNOWN: 0.5})
    abroad = draw("destination", destinations)
    values["destination"] = ["RO", *values["destination"]]
    columns["destination"] = np.where(columns["scope"] == 0, 0, abroad + 1)
    columns["settlement"] = draw("settlement", {"urban": 0.48, "rural": 0.5, UNKNOWN: 0.02})
    methods = {f"method_{i}": 0.6**i for i in range(13)}
    columns["recruitment"] = draw("recruitment", {**methods, UNKNOWN: 0.05})
    columns["recruiter"] = draw(
        "recruiter", {"acquaintance": 40, "partner": 25, "family": 15, "stranger": 15, "other": 3, UNKNOWN: 2}
    )
    # Identifying institution: the county's police 80% of the time, else one of 16 national units.
    national_units = rng.choice(16, size=size)
    own = rng.random(size) < 0.8
    values["institution"] = [f"police_{county}" for county in COUNTIES] + [f"unit_{i}" for i in range(16)]
    columns["institution"] = np.where(own, columns["county"], len(COUNTIES) + national_units)
    columns["duration"] = draw("duration", {"<1m": 15, "1-6m": 35, "6-12m": 25, "1-2y": 15, "2y+": 8, UNKNOWN: 2})
    columns["assisted"] = draw("assisted", {"yes": 0.49, "no": 0.51})
    columns["citizenship"] = draw(
        "citizenship",
        {"RO": 0.98, "MD": 0.01, "UA": 0.004, "BG": 0.002, "SY": 0.001, "NG": 0.001, "VN": 0.001, UNKNOWN: 0.001},
    )
    # The year trafficking began: the year identified minus a lag of 0 to 5 years.
    lag = np.minimum(rng.geometric(0.55, size=size) - 1, 5)
    first_year = 2016
    values["trafficked_year"] = [str(year) for year in range(first_year, 2027)]
    identified = np.array([int(v) for v in values["identified_year"]])[columns["identified_year"]]
    columns["trafficked_year"] = identified - lag - first_year
    return columns, values


# --- Tables as published --------------------------------------------------------------------------

LONG = {"destination", "recruitment", "recruiter", "institution", "citizenship"}
SUBNATIONAL = {"county", "institution"}
BREAKDOWNS = (
    "identified_year", "trafficked_year", "sex", "minor", "age_band", "form", "scope", "destination", "county",
    "settlement", "recruitment", "recruiter", "institution", "duration", "assisted", "citizenship",
)  # fmt: skip


def crossing(
    columns: dict[str, np.ndarray], values: dict[str, list[str]], rows: np.ndarray, names: Sequence[str]
) -> np.ndarray:
    shape = tuple(len(values[name]) for name in names)
    index = np.ravel_multi_index(tuple(columns[name][rows] for name in names), shape)
    return np.bincount(index, minlength=int(np.prod(shape))).reshape(shape)


def fold(counts: np.ndarray, names: Sequence[str], labels: dict[str, list[str]], folded: set[str]) -> np.ndarray:
    """Rare categories into "other", as `selectors._fold_rare`; empty categories left out, as
    a table built from counts has no line for a value nobody has."""
    from atis.lib.disclosure import rare_keys

    for axis, name in enumerate(names):
        totals = counts.sum(axis=tuple(a for a in range(counts.ndim) if a != axis))
        present = [i for i in range(len(totals)) if totals[i]]
        rare: set[Hashable] = set()
        if name in folded:
            rare = rare_keys({labels[name][i]: int(totals[i]) for i in present}, limit=LIMIT, keep={UNKNOWN})
        kept = [i for i in present if labels[name][i] not in rare]
        gone = [i for i in present if labels[name][i] in rare]
        parts = [np.take(counts, kept, axis=axis)]
        if gone:
            parts.append(np.take(counts, gone, axis=axis).sum(axis=axis, keepdims=True))
        counts = np.concatenate(parts, axis=axis) if parts[0].shape[axis] or gone else parts[0]
    return counts


def tables(columns: dict[str, np.ndarray], values: dict[str, list[str]]) -> Iterator[dict[str, Any]]:
    everyone = np.arange(len(columns["county"]))
    county = np.array(values["county"])[columns["county"]]
    regional = np.flatnonzero(np.isin(county, IASI_CENTRE))
    year = values["identified_year"].index("2025")
    for scope, rows in (("national", everyone), ("regional", regional)):
        for filtered in (False, True):
            chosen = rows[columns["identified_year"][rows] == year] if filtered else rows
            for size in (2, 3):
                for names in itertools.combinations(BREAKDOWNS, size):
                    national = scope == "national"
                    known = tuple(national and name not in SUBNATIONAL for name in names)
                    folded = LONG | {name for name, is_known in zip(names, known, strict=True) if is_known}
                    counts = fold(crossing(columns, values, chosen, names), names, values, folded)
                    yield {"scope": scope, "year": filtered, "names": names, "counts": counts, "known": known}


# --- The cycle search atis used before (for --compare only) -----------------------------------------

from atis.lib.disclosure import Protected, Table  # noqa: E402

_GROUND = ("ground", 0)


def _nodes(table: Table, i: int, j: int) -> tuple[tuple[str, int], tuple[str, int]]:
    """The two equations a grid entry takes part in; a line without a total is free (ground).

    Row i has an equation only when row totals are printed; column j only when column
    totals are. Entries of a free line can absorb any change, so free lines all merge into
    one ground node: two hidden cells of a one-way table form a cycle through it.
    """
    row_node = ("r", i) if table.has_row_totals else _GROUND
    column_node = ("c", j) if table.has_column_totals else _GROUND
    return row_node, column_node


Node = tuple[str, int]
Cell = tuple[int, int]
_CYCLE_SEARCH_LIMIT = 400  # cycles tried per hidden cell; tables here are small


def _cycles_through(table: Table, hidden: Sequence[Cell], target: Cell) -> Iterator[list[Cell]]:
    """Simple cycles of hidden entries through `target`, as lists of cells starting with it."""
    a, b = _nodes(table, *target)
    if a == b:  # a free entry (no equation touches it): it moves alone
        yield [target]
        return
    adjacency: dict[Node, list[tuple[Node, Cell]]] = defaultdict(list)
    for cell in hidden:
        if cell == target:
            continue
        x, y = _nodes(table, *cell)
        adjacency[x].append((y, cell))
        if x != y:
            adjacency[y].append((x, cell))
    found = 0
    stack: list[tuple[Node, list[Cell], set[Node]]] = [(b, [target], {b})]
    while stack and found < _CYCLE_SEARCH_LIMIT:
        node, path, seen = stack.pop()
        for nxt, cell in adjacency[node]:
            if cell in path:
                continue
            if nxt == a:
                found += 1
                yield [*path, cell]
            elif nxt not in seen:
                stack.append((nxt, [*path, cell], seen | {nxt}))


def _component(table: Table, hidden: Sequence[Cell], skip: Cell, start: Node) -> set[Node]:
    """Nodes reachable from `start` through hidden entries other than `skip`."""
    adjacency: dict[Node, list[Node]] = defaultdict(list)
    for cell in hidden:
        if cell != skip:
            x, y = _nodes(table, *cell)
            adjacency[x].append(y)
            adjacency[y].append(x)
    seen, stack = {start}, [start]
    while stack:
        for nxt in adjacency[stack.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def _sign(table: Table, i: int, j: int) -> int:
    # Totals enter their line's equation with a minus sign (see the module docstring).
    return (-1) ** ((i == len(table.rows)) + (j == len(table.columns)))


def witness(
    table: Table, grid: Sequence[Sequence[int]], hidden: Sequence[Cell], primary: set[Cell], limit: int, target: Cell
) -> list[list[int]] | None:
    """A second table that prints the same numbers and keeps what a reader knows of each
    hidden entry ("<limit": 1…limit-1; any other hidden entry: 0 or at least limit), yet
    differs at `target`. None when this search finds none."""

    def allowed(cell: Cell, value: int) -> bool:
        if cell in primary:
            return 1 <= value < limit
        return value == 0 or value >= limit

    for cycle in _cycles_through(table, hidden, target):
        for step in (1, -1):
            changes = {}
            for position, (i, j) in enumerate(cycle):
                # Along the cycle the change alternates in the signed grid.
                changes[(i, j)] = step * (1 if position % 2 == 0 else -1) * _sign(table, i, j)
            if all(allowed(cell, grid[cell[0]][cell[1]] + delta) for cell, delta in changes.items()):
                out = [list(line) for line in grid]
                for (i, j), delta in changes.items():
                    out[i][j] += delta
                return out
    return None


def _unprotected(
    table: Table, grid: Sequence[Sequence[int]], hidden: Sequence[Cell], primary: set[Cell], limit: int
) -> list[Cell]:
    return [cell for cell in hidden if witness(table, grid, hidden, primary, limit, cell) is None]


def old_protect(table: Table, *, subnational: bool = True, limit: int | None = None) -> Any:
    """Primary and complementary suppression of a table (and its totals).

    National tables (no geography below the country and no sub-national filter) are
    published as they are, following the agency's rule; everything else is protected.
    """
    assert limit is not None
    grid = table.grid()
    if not subnational or limit <= 1:
        return 0, False
    positions = [(i, j) for i, line in enumerate(grid) for j in range(len(line))]
    primary = {(i, j) for i, j in positions if 0 < grid[i][j] < limit}
    complementary: set[Cell] = set()
    hidden = sorted(primary)
    exposed = _unprotected(table, grid, hidden, primary, limit)
    # Each round hides one more positive entry, so it ends. The entry chosen is the one that
    # leaves the fewest hidden entries without a second consistent table, then the smallest.
    while exposed:
        target = exposed[0]
        best: tuple[int, int, Cell] | None = None
        free = [c for c in positions if c not in primary and c not in complementary and grid[c[0]][c[1]] > 0]
        for cell in free:
            trial = sorted([*hidden, cell])
            if witness(table, grid, trial, primary, limit, target) is None:
                continue
            score = (len(_unprotected(table, grid, trial, primary, limit)), grid[cell[0]][cell[1]], cell)
            if best is None or score < best:
                best = score
        if best is None:
            # No single entry closes a usable cycle yet: grow the target's component towards
            # one, with the smallest entry that touches it from outside (or, when it already
            # lies on cycles that the bounds block, any entry on one of its lines).
            a, b = _nodes(table, *target)
            reach = _component(table, hidden, target, a)
            bridge = b not in reach
            for cell in free:
                x, y = _nodes(table, *cell)
                touches = (x in reach) != (y in reach) if bridge else bool({x, y} & {a, b})
                if touches and (best is None or (0, grid[cell[0]][cell[1]], cell) < best):
                    best = (0, grid[cell[0]][cell[1]], cell)
        if best is None:
            # Nothing left to hide helps (every figure is small): the table is withheld whole,
            # since even "<11" labels and their totals would pin the values down.
            return len(primary), True
        complementary.add(best[2])
        hidden = sorted(primary | complementary)
        exposed = _unprotected(table, grid, hidden, primary, limit)
    return len(primary | complementary), False


def _old_worker(cells: list[list[int]], queue: Any) -> None:
    from atis.lib.disclosure import Table

    table = Table([str(i) for i in range(len(cells))], [str(j) for j in range(len(cells[0]))], cells)
    queue.put(old_protect(table, limit=LIMIT))


def run_old(cells: list[list[int]], timeout: float) -> tuple[int, bool] | None:
    """The old search's hidden cells and whether it withheld the table; None past `timeout`."""
    queue: Any = multiprocessing.Queue()
    process = multiprocessing.Process(target=_old_worker, args=(cells, queue))
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.kill()
        process.join()
        return None
    return queue.get() if not queue.empty() else None


# --- Measuring ----------------------------------------------------------------------------------------

SIZE_CLASSES = ((100, "up to 100 cells"), (1_000, "101 to 1,000"), (5_000, "1,001 to 5,000"), (10**9, "over 5,000"))


def size_class(cells: int) -> str:
    return next(label for bound, label in SIZE_CLASSES if cells <= bound)


def protect_once(item: dict[str, Any]) -> tuple[float, Protected | None]:
    from atis.lib.disclosure import Table, protect, protect_layers

    counts = item["counts"]
    published: Protected | None
    if counts.ndim == 2:
        rows, columns = counts.shape
        table = Table([str(i) for i in range(rows)], [str(j) for j in range(columns)], counts.tolist())
        started = time.perf_counter()
        published = protect(table, limit=LIMIT, known_margins=item["known"])
    else:
        rows, columns, layers = counts.shape
        labels = ([str(i) for i in range(rows)], [str(j) for j in range(columns)])
        split = [Table(*labels, counts[:, :, k].tolist()) for k in range(layers)]
        started = time.perf_counter()
        published = protect_layers(split, limit=LIMIT, known_margins=item["known"])[1] if split else None
    return (time.perf_counter() - started) * 1000, published


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--victims", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20_261_208)
    parser.add_argument("--repeat", type=int, default=3, help="protections of each table (default 3)")
    parser.add_argument("--compare", action="store_true", help="also run the old cycle search on two-way tables")
    parser.add_argument("--old-timeout", type=float, default=5.0)
    args = parser.parse_args()
    os.environ["ATIS_MODE"] = "test"
    os.environ["DATABASE_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from atis.lib.disclosure import suppress, time_limit

    log(f"{args.victims:,} synthetic victims")
    columns, values = population(args.victims, args.seed)
    timings: dict[tuple[int, str], list[float]] = defaultdict(list)
    worst: list[tuple[float, str]] = []
    withheld = timed_out = count = 0
    comparison = {
        "tables": 0,
        "old": 0,
        "new": 0,
        "old_timeouts": 0,
        "old_withheld": 0,
        "new_withheld": 0,
        "fewer": 0,
        "more": 0,
    }
    log("protecting every crossing")
    for item in tables(columns, values):
        count += 1
        cells = int(item["counts"].size)
        for _ in range(args.repeat):
            elapsed, published = protect_once(item)
            timings[(len(item["names"]), size_class(cells))].append(elapsed)
            timings[(len(item["names"]), "all")].append(elapsed)
        label = f"{item['scope']}{' 2025' if item['year'] else ''}: {' × '.join(item['names'])} ({'×'.join(map(str, item['counts'].shape))})"
        worst.append((elapsed, label))
        if published is not None and published.withheld:
            withheld += 1
            timed_out += bool(published.timed_out)
        if args.compare and item["counts"].ndim == 2 and min(item["counts"].shape) > 0:
            old = run_old(item["counts"].tolist(), args.old_timeout)
            if old is None:
                comparison["old_timeouts"] += 1
                continue
            new = suppress(item["counts"], limit=LIMIT)
            comparison["tables"] += 1
            comparison["old_withheld"] += old[1]
            comparison["new_withheld"] += new.withheld
            if old[1] or new.withheld:
                continue
            hidden = int(new.hidden.sum())
            comparison["old"] += old[0]
            comparison["new"] += hidden
            comparison["fewer"] += hidden < old[0]
            comparison["more"] += hidden > old[0]
        if count % 200 == 0:
            log(f"{count} tables")
    worst.sort(reverse=True)
    report = {
        "victims": args.victims,
        "tables": count,
        "repeat": args.repeat,
        "time_limit_s": time_limit(),
        "withheld": withheld,
        "timed_out": timed_out,
        "python": platform.python_version(),
        "figures": [
            {
                "breakdowns": size,
                "cells": label,
                "tables": len(values_) // args.repeat,
                "p50_ms": round(percentile(values_, 0.5), 1),
                "p95_ms": round(percentile(values_, 0.95), 1),
                "max_ms": round(max(values_), 1),
            }
            for (size, label), values_ in sorted(timings.items(), key=lambda kv: (kv[0][0], kv[0][1] == "all"))
        ],
        "slowest": [f"{ms:.0f} ms {label}" for ms, label in worst[:5]],
        "comparison": comparison if args.compare else None,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "disclosure.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print("| breakdowns | table size | tables | p50 ms | p95 ms | max ms |")
    print("|---|---|---:|---:|---:|---:|")
    for row in report["figures"]:
        print(
            f"| {row['breakdowns']} | {row['cells']} | {row['tables']} | {row['p50_ms']} | {row['p95_ms']} | {row['max_ms']} |"
        )
    print(f"withheld {withheld} (timed out {timed_out}) of {count} tables; slowest: {report['slowest']}")
    if args.compare:
        print(f"old vs new hidden cells: {comparison}")


if __name__ == "__main__":
    main()
