"""Statistical disclosure control: the one step every figure passes before it leaves atis.

A published table (a screen, an export, a report) must never let anyone single out a person.
The rules, after security.md:

- primary suppression: a cell or total counting 1 to threshold-1 people
  (``ATIS_DISCLOSURE_THRESHOLD``, 11 by default) is not shown; it reads "<11". Every table is
  protected except a one-way table of the whole country (the callers decide: ``subnational``);
- complementary suppression: a hidden entry must not be recoverable from the totals printed
  beside it, so more entries are hidden until, for every hidden entry, a second table exists
  that prints exactly the same numbers and agrees with everything a reader knows (a "<11"
  entry holds 1 to 10; an entry hidden to protect another, shown "x", holds 0 or at least 11)
  but differs in that entry (see ``witness``);
- rare categories of long dimensions (destination countries, recruitment methods) are
  grouped into "other" before any of this, so few cells need hiding at all.

The method: hypercubes. Write a table of one, two or three breakdowns with all its totals
as one grid (a breakdown with one value has no total). Multiply every entry by -1 for each
total index it has (y = s·x); then every line of y along any axis sums to zero, and a change
of the hidden entries keeps every printed number exactly when it is a change of y whose lines
still sum to zero. The smallest such changes are the cubes: two indices per breakdown (in two
dimensions a rectangle of 4 entries, in three a 2×2×2 cube of 8, in one a pair through the
total), +1 and -1 alternating on the corners. If every corner stays within what a reader knows
of it, that move is a second table for every corner at once. So each small entry gets the
cheapest such cube (already hidden corners cost nothing, totals far more than inner cells,
a corner that cannot move the required way rules the cube out), its corners are hidden, and
afterwards each hidden entry that other cubes can do without is shown again. The work is
bounded: one vectorised pass over at most (R+1)(C+1)(L+1) candidate cubes per small entry,
and a deadline (``ATIS_DISCLOSURE_TIME_LIMIT`` seconds) after which the table is withheld whole
rather than hold a worker. The property tests check every second table independently.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings

OTHER = "other"
HIDDEN = "x"


def threshold() -> int:
    return int(getattr(settings, "ATIS_DISCLOSURE_THRESHOLD", 11))


def time_limit() -> float:
    return float(getattr(settings, "ATIS_DISCLOSURE_TIME_LIMIT", 2.0))


def suppressed_label(limit: int | None = None) -> str:
    return f"<{limit if limit is not None else threshold()}"


class DisclosureTimeout(Exception):
    """Protection did not finish within its time limit; the table must be withheld."""


@dataclass
class Table:
    """A two-way table of counts with its totals. A one-way table has a single column.

    ``cells`` are rows × columns; totals are computed, never trusted from outside. The
    grid view (``grid()``) adds the row totals as a last column (when there is more than one
    column), the column totals as a last row (when there is more than one row), and the
    grand total in the corner.
    """

    rows: list[str]
    columns: list[str]
    cells: list[list[int]]
    row_keys: list[Any] = field(default_factory=list)
    column_keys: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.row_keys:
            self.row_keys = list(self.rows)
        if not self.column_keys:
            self.column_keys = list(self.columns)
        if len(self.cells) != len(self.rows) or any(len(line) != len(self.columns) for line in self.cells):
            raise ValueError("cells do not match the row and column labels")

    @property
    def has_row_totals(self) -> bool:
        return len(self.columns) > 1

    @property
    def has_column_totals(self) -> bool:
        return len(self.rows) > 1

    def row_totals(self) -> list[int]:
        return [sum(line) for line in self.cells]

    def column_totals(self) -> list[int]:
        return [sum(line[j] for line in self.cells) for j in range(len(self.columns))]

    def total(self) -> int:
        return sum(self.row_totals())

    def array(self) -> np.ndarray:
        return np.array(self.cells, dtype=np.int64).reshape(len(self.rows), len(self.columns))

    def grid(self) -> list[list[int]]:
        """Cells with their totals: the numbers a published table prints."""
        out = [list(line) + ([sum(line)] if self.has_row_totals else []) for line in self.cells]
        if self.has_column_totals:
            totals = self.column_totals()
            out.append(totals + ([sum(totals)] if self.has_row_totals else []))
        return out


# --- Hypercube suppression over a grid of one to three breakdowns -----------------------------

Index = tuple[int, ...]

# What hiding one more entry costs, by how many of its indices are totals: readers lose far
# more with a line total than with a cell, and more again with a table total.
_LEVEL_COST = (1.0, 40.0, 1600.0, 64000.0)
# Opposite corners tried first along each axis: the cheapest few.
_NARROW = 6
# An entry hidden for others is shown again only if at most this many entries' cubes use it.
_REPLACED = 3


def extend(counts: np.ndarray) -> np.ndarray:
    """The counts with every total: along each breakdown of more than one value, a last index
    holding the sum (so a 2-D table becomes `Table.grid()`, a 3-D one gains its faces)."""
    grid = np.asarray(counts, dtype=np.int64)
    for axis, size in enumerate(grid.shape):
        if size > 1:
            grid = np.concatenate([grid, grid.sum(axis=axis, keepdims=True)], axis=axis)
    return grid


@dataclass
class Suppression:
    """A grid of counts with its totals (`extend`) and the entries hidden from it."""

    grid: np.ndarray
    primary: np.ndarray
    hidden: np.ndarray
    limit: int
    # Entries printed exactly in another published table (see `known_margins`).
    fixed: np.ndarray | None = None
    withheld: bool = False
    timed_out: bool = False

    @property
    def complementary(self) -> np.ndarray:
        return self.hidden & ~self.primary


class _Cubes:
    """The cubes through an entry of a grid, all candidates at once as numpy arrays.

    Works on the grid without its breakdowns of one value (they have no total, so no
    equation: they drop out). A candidate cube through `p` is given by its opposite corner
    `q` (q differs from p on every axis); its corner for a set S of axes takes q there and p
    elsewhere, and moves y by d·(-1)^|S| for the cube's direction d = ±1.
    """

    def __init__(self, grid: np.ndarray, primary: np.ndarray, limit: int, fixed: np.ndarray | None = None) -> None:
        self.grid = grid
        self.primary = primary
        self.shape = grid.shape
        level = np.zeros(grid.shape, dtype=np.int64)
        for axis, size in enumerate(grid.shape):
            is_total = (np.arange(size) == size - 1).astype(np.int64)
            level = level + is_total.reshape([size if a == axis else 1 for a in range(grid.ndim)])
        self.level = level
        sign_positive = level % 2 == 0  # y = s·x, s = (-1)^(number of total indices)
        # Which one-step changes of x keep what a reader knows: "<limit" stays in 1..limit-1;
        # any other hidden entry stays 0 or at least limit (so a 0 never moves, a `limit` only up).
        up = np.where(primary, grid + 1 <= limit - 1, grid >= limit)
        down = np.where(primary, grid - 1 >= 1, grid >= limit + 1)
        if fixed is not None:  # printed exactly elsewhere: no cube may move it
            up, down = up & ~fixed, down & ~fixed
        self.y_up = np.where(sign_positive, up, down)
        self.y_down = np.where(sign_positive, down, up)
        # One byte per entry for both directions of a cube (bit 1: the cube's direction +1,
        # bit 2: -1): a corner where the cube moves y up takes `even`, the others `odd`.
        self.even = (self.y_up.astype(np.uint8) | (self.y_down.astype(np.uint8) << 1)).astype(np.uint8)
        self.odd = (self.y_down.astype(np.uint8) | (self.y_up.astype(np.uint8) << 1)).astype(np.uint8)
        self.subsets = list(itertools.product((False, True), repeat=grid.ndim))
        total = float(grid.max()) + 1 if grid.size else 1.0
        # Among entries of one level, the smaller first: less of the table goes.
        self.cost = np.take(_LEVEL_COST, level) * (1 + grid / total)

    def _slice(self, p: Index, subset: tuple[bool, ...]) -> tuple[slice, ...]:
        return tuple(slice(None) if moved else slice(i, i + 1) for i, moved in zip(p, subset, strict=True))

    def best(self, p: Index, cost: np.ndarray) -> tuple[float, Index, int] | None:
        """The cheapest feasible cube through p under `cost` (0 for hidden entries, inf for
        entries that may not be used): its cost, opposite corner and direction."""
        if not p:  # a single entry with no total: it moves alone
            if self.y_up[()]:
                return 0.0, (), 1
            return (0.0, (), -1) if self.y_down[()] else None
        start = self.even[p]  # the entry itself: corner of no moved axis
        if not start:
            return None
        # Opposite corners worth trying: along each axis, the entries whose corner moving only
        # that axis can move the right way (in a sparse table most cannot: zeros never move).
        lines = []
        for axis, i in enumerate(p):
            line: tuple[Any, ...] = (*p[:axis], slice(None), *p[axis + 1 :])
            usable = ((self.odd[line] & start) != 0) & np.isfinite(cost[line])
            usable[i] = False
            found = np.flatnonzero(usable)
            if not found.size:
                return None
            lines.append((found, cost[line][found]))
        # First among the cheapest few along each axis (a cube's cost is mostly theirs), then,
        # only if none of those closes a feasible cube, among all.
        narrow = [
            found if found.size <= _NARROW else found[np.argpartition(costs, _NARROW)[:_NARROW]]
            for found, costs in lines
        ]
        result = self._search(p, start, narrow, cost)
        if result is None and any(found.size > _NARROW for found, _costs in lines):
            result = self._search(p, start, [found for found, _costs in lines], cost)
        return result

    def _search(
        self, p: Index, start: np.uint8, candidates: list[np.ndarray], cost: np.ndarray
    ) -> tuple[float, Index, int] | None:
        # One gather of the block the cubes live in, the entry first on every axis; then each
        # corner is a plain slice of it.
        block = np.ix_(*[np.concatenate(([i], found)) for i, found in zip(p, candidates, strict=True)])
        even, odd, price = self.even[block], self.odd[block], cost[block]
        both = np.full([found.size for found in candidates], start, dtype=np.uint8)
        total = np.zeros(both.shape)
        for subset in self.subsets[1:]:
            where = tuple(slice(1, None) if moved else slice(0, 1) for moved in subset)
            both &= (odd if sum(subset) % 2 else even)[where]
            total += price[where]
        priced = np.where(both != 0, total, np.inf)
        reduced = np.unravel_index(int(np.argmin(priced)), priced.shape)
        if not np.isfinite(priced[reduced]):
            return None
        q = tuple(int(candidates[a][i]) for a, i in enumerate(reduced))
        return float(priced[reduced]), q, 1 if both[reduced] & 1 else -1

    def best_many(self, entries: Sequence[Index], cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`best` for many entries at once, among the cheapest few opposite corners along each
        axis only: each entry's cube cost (inf when none of those closes a feasible cube)
        and opposite corner."""
        if not self.shape:  # a single entry with no total
            alone = self.best((), cost)
            return np.full(len(entries), np.inf if alone is None else 0.0), np.zeros((len(entries), 0), dtype=np.int64)
        ps = np.array(entries, dtype=np.int64).reshape(len(entries), len(self.shape))
        count, k = ps.shape
        start = self.even[tuple(ps.T)]
        candidates, unusable = [], []
        for axis, size in enumerate(self.shape):
            line = tuple(np.arange(size)[None, :] if b == axis else ps[:, b][:, None] for b in range(k))
            # Along this axis: where the corner moving only this axis cannot move the right way,
            # or would be the entry itself, no cube.
            bad = ((np.broadcast_to(self.odd[line], (count, size)) & start[:, None]) == 0) | (
                np.arange(size)[None, :] == ps[:, axis][:, None]
            )
            price = np.where(bad, np.inf, np.broadcast_to(cost[line], (count, size)))
            found = (
                np.argpartition(price, _NARROW - 1, axis=1)[:, :_NARROW]
                if size > _NARROW
                else np.broadcast_to(np.arange(size), (count, size)).copy()
            )
            candidates.append(found)
            unusable.append(np.where(np.take_along_axis(bad, found, axis=1), np.inf, 0.0))
        block = tuple(
            np.concatenate([ps[:, axis : axis + 1], found], axis=1).reshape(
                [count] + [found.shape[1] + 1 if b == axis else 1 for b in range(k)]
            )
            for axis, found in enumerate(candidates)
        )
        even, odd, price = self.even[block], self.odd[block], cost[block]
        shape = [count] + [found.shape[1] for found in candidates]
        both = np.broadcast_to(start.reshape([count] + [1] * k), shape).copy()
        total = np.zeros(shape)
        for axis, barred in enumerate(unusable):
            total += barred.reshape([count] + [barred.shape[1] if b == axis else 1 for b in range(k)])
        for subset in self.subsets[1:]:
            where = (slice(None), *(slice(1, None) if moved else slice(0, 1) for moved in subset))
            both &= (odd if sum(subset) % 2 else even)[where]
            total += price[where]
        priced = np.where(both != 0, total, np.inf).reshape(count, -1)
        chosen = priced.argmin(axis=1)
        rows = np.arange(count)
        reduced = np.unravel_index(chosen, shape[1:])
        opposite = np.stack([candidates[a][rows, reduced[a]] for a in range(k)], axis=1)
        return priced[rows, chosen], opposite

    def corners(self, p: Index, q: Index) -> list[Index]:
        return [tuple(b if moved else a for a, b, moved in zip(p, q, subset, strict=True)) for subset in self.subsets]

    def move(self, p: Index, q: Index, direction: int) -> np.ndarray:
        """The change of x that the cube makes (the second table minus the first)."""
        delta = np.zeros(self.shape, dtype=np.int64)
        for subset, corner in zip(self.subsets, self.corners(p, q), strict=True):
            y = direction * (-1) ** sum(subset)
            delta[corner] = y * (-1) ** int(self.level[corner])
        return delta


def _active(grid: np.ndarray) -> tuple[int, ...]:
    return tuple(size for size in grid.shape if size > 1)


def margins(shape: Sequence[int], known: Sequence[bool]) -> np.ndarray:
    """The entries of an extended grid (`extend` of counts of this shape) that make up the
    one-way table of each breakdown marked in `known`: every other index a total (or the only
    value of its breakdown). Such a table is published exactly elsewhere (a breakdown of the
    whole country): a reader knows those entries, so they are never hidden nor moved."""
    extended = [size + 1 if size > 1 else size for size in shape]
    out = np.zeros(extended, dtype=bool)
    for axis, is_known in enumerate(known):
        if not is_known:
            continue
        mask = np.ones(extended, dtype=bool)
        for other, size in enumerate(extended):
            if other == axis or size == 1:
                continue
            line = np.arange(size) == size - 1
            mask &= line.reshape([size if a == other else 1 for a in range(len(extended))])
        out |= mask
    return out


def suppress(
    counts: np.ndarray, *, limit: int, deadline: float | None = None, known_margins: Sequence[bool] = ()
) -> Suppression:
    """Primary and complementary suppression of a table of one to three breakdowns.

    `known_margins` marks the breakdowns whose one-way table is printed exactly elsewhere
    (see `margins`). Raises nothing: past `deadline` (a `time.monotonic()` value) the table
    is withheld whole and marked `timed_out`; with an entry no cube can protect, withheld
    whole too (every figure of such a table is so small that even its "<11" labels and its
    totals would pin it down).
    """
    grid = extend(counts)
    fixed = margins(np.shape(counts), known_margins) if any(known_margins) else None
    primary = (grid > 0) & (grid < limit)
    if fixed is not None:
        primary &= ~fixed
    result = Suppression(grid, primary, primary.copy(), limit, fixed)
    if not primary.any():
        return result
    deadline = time.monotonic() + time_limit() if deadline is None else deadline
    shape = _active(grid)
    cubes = _Cubes(grid.reshape(shape), primary.reshape(shape), limit, None if fixed is None else fixed.reshape(shape))
    hidden = primary.reshape(shape).copy()
    try:
        _greedy(cubes, hidden, deadline)
    except _Unprotectable:
        result.hidden[...] = True
        result.withheld = True
    except DisclosureTimeout:
        result.hidden[...] = True
        result.withheld = result.timed_out = True
    else:
        result.hidden = hidden.reshape(grid.shape)
    return result


class _Unprotectable(Exception):
    pass


def _greedy(cubes: _Cubes, hidden: np.ndarray, deadline: float) -> None:
    """Give each small entry the cheapest feasible cube, then show again what is not needed.

    `hidden` is updated in place. Small totals first: their cubes must use totals, and the
    totals they hide make the cells' cubes cheaper.
    """
    cost = np.where(hidden, 0.0, cubes.cost)
    primaries = [tuple(int(i) for i in p) for p in np.argwhere(hidden)]
    primaries.sort(key=lambda p: (-int(cubes.level[p]), int(cubes.grid[p]), p))
    cube_of: dict[Index, list[Index]] = {}
    users: dict[Index, set[Index]] = defaultdict(set)

    def keep(entry: Index, corners: list[Index]) -> None:
        for corner in cube_of.get(entry, ()):
            users[corner].discard(entry)
        cube_of[entry] = corners
        for corner in corners:
            users[corner].add(entry)

    def accept(p: Index, q: Index) -> None:
        corners = cubes.corners(p, q)
        for corner in corners:
            hidden[corner] = True
            cost[corner] = 0.0
            if corner not in cube_of:
                keep(corner, corners)
        keep(p, corners)

    # In rounds: every small entry not yet protected gets its cheapest cube among the cheapest
    # few corners at once (`best_many`); a cube is taken when none of its corners changed
    # price since (else the entry waits for the next round, where it may find a cheaper one).
    pending = primaries
    while pending:
        if time.monotonic() > deadline:
            raise DisclosureTimeout
        pending = [p for p in pending if p not in cube_of]
        if not pending:
            break
        prices, opposite = cubes.best_many(pending, cost)
        waiting: list[Index] = []
        for p, price, q in zip(pending, prices, opposite, strict=True):
            if p in cube_of:  # already a corner of a feasible cube: that cube protects it
                continue
            if not np.isfinite(price):
                found = cubes.best(p, cost)  # none among the cheapest few: search them all
                if found is None:
                    raise _Unprotectable
                accept(p, found[1])
                continue
            q = tuple(int(i) for i in q)
            if waiting and sum(float(cost[corner]) for corner in cubes.corners(p, q)) != price:
                waiting.append(p)
                continue
            accept(p, q)
        pending = waiting
    # Show again each entry hidden only to protect others, the dearest first, when every
    # entry whose cube used it finds another cube among the entries still hidden.
    usable = np.where(hidden, 0.0, np.inf)
    complementary = [entry for entry in cube_of if not cubes.primary[entry]]
    complementary.sort(key=lambda entry: (-float(cubes.cost[entry]), entry))
    for entry in complementary:
        if time.monotonic() > deadline:
            break  # what is hidden so far is safe; only less would be hidden
        if len(users[entry]) > _REPLACED:
            continue  # the cube of every entry using it would have to be found again
        usable[entry] = np.inf
        replacements: dict[Index, list[Index]] = {}
        for other in users[entry] - {entry}:
            found = cubes.best(other, usable)
            if found is None:
                break
            replacements[other] = cubes.corners(other, found[1])
        else:
            hidden[entry] = False
            for corner in cube_of.pop(entry):
                users[corner].discard(entry)
            for other, corners in replacements.items():
                keep(other, corners)
            continue
        usable[entry] = 0.0


def witness(result: Suppression, target: Index) -> np.ndarray | None:
    """A second grid that prints the same numbers and keeps what a reader knows of each
    hidden entry, yet differs at `target`: a feasible cube through it among the hidden
    entries. None when there is none (the property tests then fail)."""
    shape = _active(result.grid)
    fixed = None if result.fixed is None else result.fixed.reshape(shape)
    cubes = _Cubes(result.grid.reshape(shape), result.primary.reshape(shape), result.limit, fixed)
    p = tuple(i for i, size in zip(target, result.grid.shape, strict=True) if size > 1)
    found = cubes.best(p, np.where(result.hidden.reshape(shape), 0.0, np.inf))
    if found is None:
        return None
    return result.grid + cubes.move(p, found[1], found[2]).reshape(result.grid.shape)


# --- Published tables ---------------------------------------------------------------------------

Cell = tuple[int, int]


@dataclass
class Protected:
    """A table ready to publish: the grid with hidden entries as None."""

    table: Table
    grid: list[list[int | None]]
    primary: set[Cell]
    complementary: set[Cell]
    limit: int
    applied: bool
    withheld: bool = False
    # Protection ran out of time: the table is withheld and the page says why.
    timed_out: bool = False
    # The whole crossing this table was protected with (a layer of a three-way one, or itself).
    suppression: Suppression | None = None
    layer: int | None = None

    @property
    def suppressed(self) -> set[Cell]:
        return self.primary | self.complementary

    def display(self, i: int, j: int) -> str:
        """A hidden small figure reads "<11"; a figure hidden to protect it reads "x"."""
        value = self.grid[i][j]
        if value is not None:
            return str(value)
        if self.withheld:
            return HIDDEN
        return suppressed_label(self.limit) if (i, j) in self.primary else HIDDEN

    def display_rows(self) -> list[list[str]]:
        return [[self.display(i, j) for j in range(len(line))] for i, line in enumerate(self.grid)]

    def header(self, total_label: str) -> list[str]:
        return list(self.table.columns) + ([total_label] if self.table.has_row_totals else [])

    def row_labels(self, total_label: str) -> list[str]:
        return list(self.table.rows) + ([total_label] if self.table.has_column_totals else [])


def _exact(table: Table, limit: int) -> Protected:
    return Protected(table, [list(map(int, line)) for line in table.grid()], set(), set(), limit, applied=False)


def _published(table: Table, result: Suppression, layer: int | None) -> Protected:
    def plane(array: np.ndarray) -> np.ndarray:
        return array if layer is None else array[:, :, layer]

    grid, primary, hidden = plane(result.grid), plane(result.primary), plane(result.hidden)
    cells = [(int(i), int(j)) for i, j in np.argwhere(hidden)]
    return Protected(
        table,
        [[None if hidden[i, j] else int(grid[i, j]) for j in range(grid.shape[1])] for i in range(grid.shape[0])],
        {cell for cell in cells if primary[cell]},
        {cell for cell in cells if not primary[cell]},
        result.limit,
        applied=True,
        withheld=result.withheld,
        timed_out=result.timed_out,
        suppression=result,
        layer=layer,
    )


def protect(
    table: Table, *, subnational: bool = True, limit: int | None = None, known_margins: Sequence[bool] = ()
) -> Protected:
    """Primary and complementary suppression of a table (and its totals).

    `subnational` False publishes the table as it is: the callers pass it only for a one-way
    table of the whole country (any crossing of two breakdowns can single out a victim even
    nationally) or for a reader allowed exact figures (whose view they audit).
    `known_margins` (rows, columns): whose one-way table is printed exactly elsewhere.
    """
    limit = threshold() if limit is None else limit
    if not subnational or limit <= 1:
        return _exact(table, limit)
    return _published(table, suppress(table.array(), limit=limit, known_margins=known_margins), None)


def protect_layers(
    tables: Sequence[Table],
    *,
    subnational: bool = True,
    limit: int | None = None,
    known_margins: Sequence[bool] = (),
) -> tuple[list[Protected], Protected]:
    """A three-way crossing: one rows × columns table per value of the third breakdown (all
    with the same rows and columns), protected together with their sum, returned last.

    One grid holds the layers, the table of their sums and every total, so no figure hidden
    in one table can be worked out from another.
    """
    limit = threshold() if limit is None else limit
    first = tables[0]
    summed = Table(
        list(first.rows),
        list(first.columns),
        np.sum([table.array() for table in tables], axis=0).tolist(),
        row_keys=list(first.row_keys),
        column_keys=list(first.column_keys),
    )
    if not subnational or limit <= 1:
        return [_exact(table, limit) for table in tables], _exact(summed, limit)
    counts = np.stack([table.array() for table in tables], axis=2)
    result = suppress(counts, limit=limit, known_margins=known_margins)
    last = len(tables) if len(tables) > 1 else 0
    return [_published(table, result, layer) for layer, table in enumerate(tables)], _published(summed, result, last)


# --- Rare categories --------------------------------------------------------------------------


def group_rare(
    counts: Mapping[Hashable, int], *, limit: int | None = None, other: Hashable = OTHER, keep: Iterable[Hashable] = ()
) -> dict[Hashable, int]:
    """Fold categories counting fewer than `limit` into `other` (its own count included).

    Categories in `keep` are never folded (e.g. "unknown", which readers need to see). When
    a single rare category would be folded alone, it is folded with the next smallest, so
    "other" is never just one category under another name.
    """
    limit = threshold() if limit is None else limit
    kept = set(keep)
    rare = [key for key, value in counts.items() if value < limit and key not in kept and key != other]
    if len(rare) == 1:
        rest = sorted(
            (
                (value, str(key), key)
                for key, value in counts.items()
                if key not in rare and key not in kept and key != other
            )
        )
        if rest:
            rare.append(rest[0][2])
        else:
            rare = []
    out: dict[Hashable, int] = {key: value for key, value in counts.items() if key not in rare and key != other}
    folded = sum(counts[key] for key in rare) + counts.get(other, 0)
    if folded or other in counts:
        out[other] = folded
    return out


def rare_keys(
    totals: Mapping[Hashable, int], *, limit: int | None = None, keep: Iterable[Hashable] = ()
) -> set[Hashable]:
    """The categories `group_rare` would fold, for grouping the lines of a two-way table."""
    grouped = group_rare(dict(totals), limit=limit, keep=keep)
    rare = {key for key in totals if key not in grouped}
    if rare and OTHER in totals:
        # A code list's own "other" joins the folded ones: one "other" line, not two.
        rare.add(OTHER)
    return rare


# --- Microdata: k-anonymity and l-diversity ----------------------------------------------------


@dataclass(frozen=True)
class MicrodataCheck:
    ok: bool
    k: int
    l: int  # noqa: E741 - the name of the measure
    smallest_group: tuple[Any, ...] | None
    steps: tuple[str, ...]


def measure(
    records: Sequence[Mapping[str, Any]], quasi: Sequence[str], sensitive: str
) -> tuple[int, int, tuple[Any, ...] | None]:
    """The smallest group size (k) and the fewest distinct sensitive values in a group (l)."""
    if not records:
        return 0, 0, None
    groups: dict[tuple[Any, ...], Counter[Any]] = defaultdict(Counter)
    for record in records:
        groups[tuple(record[name] for name in quasi)][record[sensitive]] += 1
    smallest = min(groups, key=lambda key: sum(groups[key].values()))
    k = sum(groups[smallest].values())
    diversity = min(len(values) for values in groups.values())
    return k, diversity, smallest


Generaliser = tuple[str, str, Any]  # (step label, column, function value -> coarser value)


def anonymise(
    records: Sequence[Mapping[str, Any]],
    *,
    quasi: Sequence[str],
    sensitive: str,
    steps: Sequence[Generaliser],
    k: int = 11,
    l: int = 2,  # noqa: E741
) -> tuple[list[dict[str, Any]], MicrodataCheck]:
    """Generalise step by step (age → age band → minor/adult, county → region → country…)
    until every quasi-identifier group has at least k records and l sensitive values.

    Returns the generalised records and the check; when even the last step fails, `ok` is
    False and the caller must refuse the export (the check says which group failed).
    """
    current = [dict(record) for record in records]
    applied: list[str] = []
    found_k, found_l, smallest = measure(current, quasi, sensitive)
    for label, column, coarser in steps:
        if found_k >= k and found_l >= l:
            break
        current = [{**record, column: coarser(record[column])} for record in current]
        applied.append(label)
        found_k, found_l, smallest = measure(current, quasi, sensitive)
    ok = bool(current) and found_k >= k and found_l >= l
    return current, MicrodataCheck(ok, found_k, found_l, None if ok else smallest, tuple(applied))
