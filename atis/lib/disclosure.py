"""Statistical disclosure control: the one step every figure passes before it leaves atis.

A published table (a public page, a report, an export) must never let anyone single out a
person. Three rules, after security.md:

- primary suppression: below national level a cell counting 1 to threshold-1 people
  (``ATIS_DISCLOSURE_THRESHOLD``, 11 by default) is not shown; it reads "<11";
- complementary suppression: a hidden cell must not be recoverable from the totals printed
  beside it, so more cells are hidden until, for every hidden cell, a second table exists
  that prints exactly the same numbers and agrees with everything a reader knows (a "<11"
  cell holds 1 to 10; a cell hidden to protect another, shown "x", holds 0 or at least 11)
  but differs in that cell (see ``witness``);
- rare categories of long dimensions (destination countries, recruitment methods) are
  grouped into "other" before any of this, so few cells need hiding at all.

How the second table is found. Write the table with its totals as an (R+1)×(C+1) grid
x, the last row and column holding the totals. Multiply each total of a line by -1 and the
grand total by +1 (y = s·x, s = (-1)^(is total row + is total column)); then every row and
every column of y sums to zero. A change of the hidden cells that keeps every published
number is exactly a change of y whose rows and columns still sum to zero: a combination of
alternating cycles in the bipartite graph "rows — columns" whose edges are the hidden cells
(a line printed without a total is free: all free lines meet in one node). Moving ±1 around
such a cycle gives the second table when it keeps every hidden cell within what the reader
knows of it. A hidden cell on no cycle (a bridge) is fixed by the totals; one whose cycles
all hit a bound is pinned by the bounds. The property tests check each second table
independently of this search.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

OTHER = "other"
HIDDEN = "x"


def threshold() -> int:
    return int(getattr(settings, "ATIS_DISCLOSURE_THRESHOLD", 11))


def suppressed_label(limit: int | None = None) -> str:
    return f"<{limit if limit is not None else threshold()}"


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

    def grid(self) -> list[list[int]]:
        """Cells with their totals: the numbers a published table prints."""
        out = [list(line) + ([sum(line)] if self.has_row_totals else []) for line in self.cells]
        if self.has_column_totals:
            totals = self.column_totals()
            out.append(totals + ([sum(totals)] if self.has_row_totals else []))
        return out


@dataclass
class Protected:
    """A table ready to publish: the grid with hidden entries as None."""

    table: Table
    grid: list[list[int | None]]
    primary: set[tuple[int, int]]
    complementary: set[tuple[int, int]]
    limit: int
    applied: bool
    withheld: bool = False

    @property
    def suppressed(self) -> set[tuple[int, int]]:
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


# --- The graph of hidden cells ----------------------------------------------------------------

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


def protect(table: Table, *, subnational: bool = True, limit: int | None = None) -> Protected:
    """Primary and complementary suppression of a table (and its totals).

    National tables (no geography below the country and no sub-national filter) are
    published as they are, following the agency's rule; everything else is protected.
    """
    limit = threshold() if limit is None else limit
    grid = table.grid()
    if not subnational or limit <= 1:
        return Protected(table, [list(map(int, line)) for line in grid], set(), set(), limit, applied=False)
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
            return Protected(
                table, [[None] * len(line) for line in grid], primary, set(), limit, applied=True, withheld=True
            )
        complementary.add(best[2])
        hidden = sorted(primary | complementary)
        exposed = _unprotected(table, grid, hidden, primary, limit)
    published: list[list[int | None]] = [
        [None if (i, j) in primary or (i, j) in complementary else int(grid[i][j]) for j in range(len(line))]
        for i, line in enumerate(grid)
    ]
    return Protected(table, published, primary, complementary, limit, applied=True)


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
