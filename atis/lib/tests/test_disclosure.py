"""Disclosure control: no hidden cell of a published table can be worked out from what is printed.

For each hidden entry the test takes a second table that prints exactly the same numbers
(every published cell and total unchanged, every line still adding up to its total), fits
everything a reader knows of the hidden entries ("<11" holds 1 to 10, "x" holds 0 or at least
11), and differs in that entry, and checks all of that itself. Two tables consistent with the
publication and disagreeing on a cell prove the cell cannot be recovered, whatever method a
reader uses. (With a threshold of 2, "<2" would itself say 1: thresholds start at 3.)
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from atis.lib.disclosure import (
    Protected,
    Suppression,
    Table,
    anonymise,
    group_rare,
    measure,
    protect,
    protect_layers,
    rare_keys,
    suppress,
    witness,
)


def _with_totals(counts: np.ndarray) -> np.ndarray:
    """The grid a reader sees, built here on its own: every breakdown of more than one value
    gets a last index holding the sum along it."""
    grid = counts.astype(np.int64)
    for axis in range(counts.ndim):
        if counts.shape[axis] > 1:
            grid = np.concatenate([grid, grid.sum(axis=axis, keepdims=True)], axis=axis)
    return grid


def _consistent(
    published: np.ndarray, hidden: np.ndarray, primary: np.ndarray, limit: int, candidate: np.ndarray
) -> bool:
    """Does this grid print the same numbers, add up, and fit what a reader knows of hidden entries?"""
    if (candidate[~hidden] != published[~hidden]).any():
        return False
    small = candidate[hidden & primary]
    if ((small < 1) | (small >= limit)).any():
        return False
    other = candidate[hidden & ~primary]
    if ((other != 0) & (other < limit)).any():
        return False
    # Every line along every breakdown with a total adds up to that total.
    for axis in range(candidate.ndim):
        if candidate.shape[axis] > 1:
            inner = np.take(candidate, range(candidate.shape[axis] - 1), axis=axis).sum(axis=axis)
            if (inner != np.take(candidate, candidate.shape[axis] - 1, axis=axis)).any():
                return False
    return True


def _every_hidden_entry_is_protected(counts: np.ndarray, result: Suppression) -> None:
    grid = _with_totals(counts)
    assert (result.grid == grid).all()
    limit = result.limit
    # Nothing between 1 and limit-1 is ever printed.
    shown = grid[~result.hidden]
    assert ((shown == 0) | (shown >= limit)).all()
    assert (result.primary == ((grid > 0) & (grid < limit))).all()
    if result.withheld:
        assert result.hidden.all()
        return
    assert _consistent(grid, result.hidden, result.primary, limit, grid)
    for cell in map(tuple, np.argwhere(result.hidden)):
        second = witness(result, cell)
        assert second is not None, f"hidden entry {cell} is recoverable"
        assert second[cell] != grid[cell]
        assert _consistent(grid, result.hidden, result.primary, limit, second), f"bad second table for {cell}"


def _proves_hidden(result: Protected, cell: tuple[int, int], counts: np.ndarray | None = None) -> bool:
    """A second table consistent with everything published differs at this cell (of a layer
    of `counts`, the whole three-way crossing, when the table is one)."""
    assert result.suppression is not None
    whole = result.suppression
    counts = result.table.array() if counts is None else counts
    entry = cell if result.layer is None else (*cell, result.layer)
    second = witness(whole, entry)
    grid = _with_totals(counts)
    return (
        second is not None
        and _consistent(grid, whole.hidden, whole.primary, whole.limit, second)
        and second[entry] != grid[entry]
    )


small_counts = st.one_of(st.integers(0, 3), st.integers(1, 12), st.integers(0, 60))


@st.composite
def tables(draw: st.DrawFn) -> Table:
    rows = draw(st.integers(1, 5))
    columns = draw(st.integers(1, 5))
    cells = [[draw(small_counts) for _ in range(columns)] for _ in range(rows)]
    return Table([f"r{i}" for i in range(rows)], [f"c{j}" for j in range(columns)], cells)


@settings(max_examples=400, deadline=None)
@given(tables(), st.integers(3, 15))
def test_no_hidden_cell_can_be_recovered_from_the_printed_totals(table: Table, limit: int) -> None:
    result = protect(table, limit=limit)
    grid = table.grid()
    for i, line in enumerate(result.grid):
        for j, value in enumerate(line):
            # Nothing between 1 and limit-1 is ever printed; printed values are the true ones.
            assert value is None or value == grid[i][j]
            assert value is None or value == 0 or value >= limit
    if result.withheld:
        # Too small to publish at all: not a single figure is printed.
        assert all(value is None for line in result.grid for value in line)
        assert all(cell == "x" for line in result.display_rows() for cell in line)
        return
    for cell in result.suppressed:
        assert _proves_hidden(result, cell), f"hidden cell {cell} is recoverable in {grid} → {result.grid}"


@st.composite
def crossings(draw: st.DrawFn) -> np.ndarray:
    """Counts of up to 42 × 12 × 3 (counties × categories × a split), sparse or dense,
    with the long tail of small counts real crossings have."""
    shape = (draw(st.integers(1, 42)), draw(st.integers(1, 12)), draw(st.integers(1, 3)))
    seed = draw(st.integers(0, 2**32 - 1))
    scale = draw(st.sampled_from([0.3, 1.0, 3.0, 10.0, 40.0]))
    rng = np.random.default_rng(seed)
    # Gamma-mixed Poisson: many zeros and small counts beside large ones.
    return rng.poisson(rng.gamma(0.6, scale, size=shape)).astype(np.int64)


@settings(max_examples=150, deadline=None)
@given(crossings(), st.integers(3, 15))
def test_no_hidden_entry_of_a_three_way_crossing_can_be_recovered(counts: np.ndarray, limit: int) -> None:
    _every_hidden_entry_is_protected(counts, suppress(counts, limit=limit))


@settings(max_examples=60, deadline=None)
@given(crossings(), st.integers(3, 15))
def test_the_layers_of_a_crossing_are_protected_together_with_their_sum(counts: np.ndarray, limit: int) -> None:
    rows, columns, values = counts.shape
    tables = [
        Table([f"r{i}" for i in range(rows)], [f"c{j}" for j in range(columns)], counts[:, :, k].tolist())
        for k in range(values)
    ]
    layers, summed = protect_layers(tables, limit=limit)
    assert summed.table.cells == counts.sum(axis=2).tolist()
    for published in [*layers, summed]:
        if published.withheld:
            assert all(value is None for line in published.grid for value in line)
            continue
        for cell in published.suppressed:
            assert _proves_hidden(published, cell, counts)
        for line in published.grid:
            assert all(value is None or value == 0 or value >= limit for value in line)


def test_a_lone_small_cell_gets_a_complementary_partner_in_its_row_and_column() -> None:
    table = Table(["Iași", "Cluj"], ["female", "male"], [[40, 3], [25, 30]])
    result = protect(table, limit=11)
    assert result.primary == {(0, 1)}
    # Hiding the 3 alone would leave 43 - 40 = 3 readable; the row, column and totals need partners.
    assert len(result.suppressed) >= 4
    assert result.display(0, 1) == "<11"
    assert result.display(0, 0) == "40" or result.display(0, 0) == "x"
    for cell in result.suppressed:
        assert _proves_hidden(result, cell)


def test_a_one_way_table_hides_two_cells_so_the_total_does_not_give_one_away() -> None:
    table = Table(["sexual", "labour", "begging"], ["victims"], [[120], [4], [30]])
    result = protect(table, limit=11)
    assert result.grid[1][0] is None
    assert result.grid[2][0] is None  # the smallest other line is hidden with it
    assert result.grid[3][0] == 154  # the total itself stays printed


def test_a_table_of_only_small_figures_is_withheld_whole() -> None:
    # "<3" twice and a total "<3": both must be 1. Nothing can be printed.
    result = protect(Table(["Iași"], ["female", "male"], [[1, 1]]), limit=3)
    assert result.withheld
    assert result.display_rows() == [["x", "x", "x"]]


def test_national_tables_are_printed_whole() -> None:
    table = Table(["female", "male"], ["victims"], [[3], [200]])
    result = protect(table, subnational=False, limit=11)
    assert result.grid == [[3], [200], [203]]
    assert not result.applied


def test_rare_categories_are_grouped_into_other() -> None:
    grouped = group_rare({"IT": 50, "ES": 30, "NO": 2, "IS": 1, "unknown": 3}, limit=11, keep={"unknown"})
    assert grouped == {"IT": 50, "ES": 30, "unknown": 3, "other": 3}


def test_a_single_rare_category_is_not_disguised_as_other() -> None:
    grouped = group_rare({"IT": 50, "ES": 30, "NO": 2}, limit=11)
    assert grouped == {"IT": 50, "other": 32}


def test_microdata_is_generalised_until_k_and_l_hold() -> None:
    records = [
        {"age": 14 + (n % 30), "county": ["IS", "VS", "BC", "NT"][n % 4], "form": ["sexual", "labour"][n % 2]}
        for n in range(120)
    ]
    steps = [
        ("age in 5-year bands", "age", lambda age: f"{age // 5 * 5}-{age // 5 * 5 + 4}"),
        ("county as region", "county", lambda county: "NE"),
        ("age as minor/adult", "age", lambda band: "minor" if int(str(band).split("-")[0]) < 18 else "adult"),
    ]
    out, check = anonymise(records, quasi=["age", "county"], sensitive="form", steps=steps, k=11, l=2)
    assert check.ok
    assert measure(out, ["age", "county"], "form")[0] >= 11
    assert check.steps[0] == "age in 5-year bands"


def test_microdata_is_refused_when_generalising_cannot_reach_k() -> None:
    records = [{"age": 30, "county": "IS", "form": "sexual"}] * 5
    _, check = anonymise(records, quasi=["age", "county"], sensitive="form", steps=[], k=11, l=2)
    assert not check.ok
    assert check.k == 5
    assert check.l == 1


def test_a_category_already_called_other_joins_the_folded_ones() -> None:
    totals: dict[Hashable, int] = {"debt": 40, "deception": 30, "kidnapping": 3, "online": 2, "other": 4}
    assert rare_keys(totals, limit=11) == {"kidnapping", "online", "other"}
    common: dict[Hashable, int] = {"debt": 40, "other": 30}
    assert rare_keys(common, limit=11) == set()
