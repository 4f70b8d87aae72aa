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

from hypothesis import given, settings
from hypothesis import strategies as st

from atis.lib.disclosure import Protected, Table, anonymise, group_rare, measure, protect, rare_keys, witness


def _equations(table: Table) -> list[list[tuple[int, int, int]]]:
    """Each printed total as an equation over the grid: sum(sign * entry) == 0."""
    rows, columns = len(table.rows), len(table.columns)
    equations: list[list[tuple[int, int, int]]] = []
    if table.has_row_totals:
        for i in range(rows + (1 if table.has_column_totals else 0)):
            equations.append([(i, j, 1) for j in range(columns)] + [(i, columns, -1)])
    if table.has_column_totals:
        for j in range(columns + (1 if table.has_row_totals else 0)):
            equations.append([(i, j, 1) for i in range(rows)] + [(rows, j, -1)])
    return equations


def _consistent(
    table: Table,
    published: list[list[int | None]],
    primary: set[tuple[int, int]],
    limit: int,
    candidate: list[list[int]],
) -> bool:
    """Does this table print the same numbers and fit what a reader knows of hidden cells?"""
    for i, line in enumerate(published):
        for j, value in enumerate(line):
            if value is not None and candidate[i][j] != value:
                return False
            if value is None and (i, j) in primary and not 1 <= candidate[i][j] < limit:
                return False
            if value is None and (i, j) not in primary and not (candidate[i][j] == 0 or candidate[i][j] >= limit):
                return False
    return all(sum(sign * candidate[i][j] for i, j, sign in equation) == 0 for equation in _equations(table))


def _proves_hidden(result: Protected, cell: tuple[int, int]) -> bool:
    table = result.table
    grid = table.grid()
    hidden = sorted(result.suppressed)
    second = witness(table, grid, hidden, result.primary, result.limit, cell)
    return (
        second is not None
        and _consistent(table, result.grid, result.primary, result.limit, second)
        and _consistent(table, result.grid, result.primary, result.limit, grid)
        and second[cell[0]][cell[1]] != grid[cell[0]][cell[1]]
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
