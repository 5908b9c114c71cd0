"""The elimination behind complementary suppression, against exact arithmetic.

Suppression adds unknown cells one at a time and asks after each which unknown cells the
equations pin down (``metrics.protection._Elimination``, one elimination step per cell).
The oracle here shares nothing with it: over exact fractions, a cell is pinned exactly when
its unit vector lies in the row space of the equations restricted to the unknown cells,
i.e. when appending that unit vector does not raise the rank.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.protection import _linked_equations, eliminated, equations


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [list(r) for r in rows]
    rank = 0
    for col in range(len(rows[0]) if rows else 0):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(rank + 1, len(rows)):
            if rows[i][col] != 0:
                f = rows[i][col] / rows[rank][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


def pinned_exactly(eqs: np.ndarray, unknown: list[int]) -> set[int]:
    restricted = [[Fraction(int(v)) for v in row[unknown]] for row in eqs]
    base = _rank(restricted)
    out = set()
    for k, cell in enumerate(unknown):
        unit = [Fraction(int(i == k)) for i in range(len(unknown))]
        if _rank([*restricted, unit]) == base:
            out.add(cell)
    return out


def _check_growing(eqs: np.ndarray, order: list[int]) -> None:
    elimination = eliminated(eqs, np.zeros(eqs.shape[1], dtype=bool))
    for n, cell in enumerate(order, start=1):
        elimination.add(cell)
        got = set(np.flatnonzero(elimination.pinned()).tolist())
        assert got == pinned_exactly(eqs, order[:n]), order[:n]


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 5), st.integers(2, 5), st.booleans(), st.booleans(), st.data())
def test_a_table_s_totals(n_rows, n_cols, rows_add, cols_add, data):
    eqs = equations((n_rows, n_cols), rows_add, cols_add)
    cells = data.draw(st.permutations(range(n_rows * n_cols)))
    _check_growing(eqs, cells[:data.draw(st.integers(1, len(cells)))])


@settings(max_examples=30, deadline=None)
@given(st.sampled_from([(np.array([[1, 0], [1, 1]]), (2, 3)),
                        (np.array([[1, 0, 0], [1, 1, 0], [1, 1, 1]]), (3, 3))]),
       st.data())
def test_measures_that_are_sums_of_parts(family, data):
    sums, shape = family
    k, m = sums.shape[1], sums.shape[0]
    eqs = _linked_equations(k, m, sums, shape, True, True)
    cells = data.draw(st.permutations(range(eqs.shape[1])))
    _check_growing(eqs, cells[:data.draw(st.integers(1, len(cells)))])


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 6), st.integers(1, 8), st.data())
def test_any_small_integer_equations(n_eqs, n_cells, data):
    """Dependent rows and columns included: a cell that adds no pivot, a row that is a sum
    of others."""
    eqs = np.array(data.draw(st.lists(st.lists(st.integers(-2, 2), min_size=n_cells,
                                                max_size=n_cells),
                                       min_size=n_eqs, max_size=n_eqs)), dtype=float)
    if data.draw(st.booleans()):
        eqs = np.vstack([eqs, eqs.sum(axis=0)])
    cells = data.draw(st.permutations(range(n_cells)))
    _check_growing(eqs, cells)


def test_no_equations_pin_nothing():
    elimination = eliminated(np.zeros((0, 4)), np.ones(4, dtype=bool))
    assert not elimination.pinned().any()


def test_a_total_and_all_but_one_part_pin_the_last():
    # total = a + b + c, with the total and a, b published: c is pinned; with b unknown too,
    # neither is.
    eqs = np.array([[-1, -1, -1, 1]], dtype=float)
    one = eliminated(eqs, np.array([False, False, True, False]))
    assert one.pinned().tolist() == [False, False, True, False]
    one.add(1)
    assert not one.pinned().any()
