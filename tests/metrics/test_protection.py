"""Complementary suppression, attacked: after protection, no withheld cell can be worked out
from the published cells and the table's totals.

The attacker here shares nothing with metrics/protection.py: it writes the totals as
equations over exact fractions, eliminates, and reads off every withheld cell that the
published cells pin down; it also tries every plain subtraction (a total minus all the
other published cells of its row or column).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.disclosure import PROTECTS, SMALL
from metrics.protection import protect

THRESHOLD = 11


def with_totals(inner: np.ndarray) -> np.ndarray:
    r, c = inner.shape
    full = np.zeros((r + 1, c + 1), dtype=np.int64)
    full[:r, :c] = inner
    full[r, :c] = inner.sum(axis=0)
    full[:r, c] = inner.sum(axis=1)
    full[r, c] = inner.sum()
    return full


def _equations(shape, rows_add, cols_add):
    """[(total cell, [part cells])] written out by hand."""
    n_rows, n_cols = shape
    out = []
    if rows_add:
        out += [((n_rows - 1, j), [(i, j) for i in range(n_rows - 1)]) for j in range(n_cols)]
    if cols_add:
        out += [((i, n_cols - 1), [(i, j) for j in range(n_cols - 1)]) for i in range(n_rows)]
    return out


def recovered(values, hidden, rows_add=True, cols_add=True) -> set:
    """Withheld cells an attacker can compute exactly, by Gauss-Jordan over fractions."""
    unknown = sorted(zip(*np.nonzero(hidden), strict=True))
    pos = {cell: k for k, cell in enumerate(unknown)}
    rows = []
    for total, parts in _equations(values.shape, rows_add, cols_add):
        coef = [Fraction(0)] * len(unknown)
        rhs = Fraction(0)
        for cell, sign in [(total, 1)] + [(p, -1) for p in parts]:
            if cell in pos:
                coef[pos[cell]] += sign
            else:
                rhs -= sign * int(values[cell])
        rows.append(coef + [rhs])
    # Reduced row echelon form.
    pivots, r = [], 0
    for col in range(len(unknown)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        rows[r] = [v / rows[r][col] for v in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col] != 0:
                rows[i] = [a - rows[i][col] * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append(col)
        r += 1
    found = set()
    for i, col in enumerate(pivots):
        if all(rows[i][k] == 0 for k in range(len(unknown)) if k != col):
            found.add(unknown[col])
    return found


def subtraction_attack(values, hidden, rows_add=True, cols_add=True) -> set:
    """Cells that are the only withheld one in some total's equation."""
    found = set()
    for total, parts in _equations(values.shape, rows_add, cols_add):
        cells = [total, *parts]
        missing = [c for c in cells if hidden[c]]
        if len(missing) == 1:
            found.add(missing[0])
    return found


def _hidden(reasons):
    return np.vectorize(lambda r: r is not None)(reasons)


inner_tables = st.integers(1, 4).flatmap(lambda r: st.integers(1, 4).flatmap(
    lambda c: st.lists(st.lists(st.one_of(st.integers(0, 12), st.integers(0, 400)),
                                min_size=c, max_size=c), min_size=r, max_size=r)))


@settings(max_examples=400, deadline=None)
@given(inner_tables)
def test_no_withheld_cell_can_be_recovered(inner):
    values = with_totals(np.array(inner, dtype=np.int64))
    reasons = protect(values, THRESHOLD, rows_add=True, cols_add=True)
    hidden = _hidden(reasons)
    # Every small count, and nothing else as 'small'; zeros always published.
    small = (values >= 1) & (values < THRESHOLD)
    assert (np.vectorize(lambda r: r == SMALL)(reasons) == small).all()
    assert not hidden[values == 0].any()
    assert recovered(values, hidden) == set()
    assert subtraction_attack(values, hidden) == set()


@settings(max_examples=200, deadline=None)
@given(inner_tables, st.booleans())
def test_tables_that_add_up_one_way_only(inner, rows_add):
    """Distinct counts (a survivor served in two quarters) add up across counties but not
    across quarters: only those equations bind."""
    inner = np.array(inner, dtype=np.int64)
    values = with_totals(inner)
    if not rows_add:  # the row totals are distinct counts: at least the largest part
        values[-1, :] = np.maximum(values[:-1, :].max(axis=0), values[-1, :] - 1)
    reasons = protect(values, THRESHOLD, rows_add=rows_add, cols_add=not rows_add)
    hidden = _hidden(reasons)
    assert recovered(values, hidden, rows_add, not rows_add) == set()


def test_the_attacker_would_succeed_on_primary_suppression_alone():
    """The attack is real: with only the small cell withheld, it finds it."""
    values = with_totals(np.array([[378, 2], [40, 50]]))
    hidden = (values >= 1) & (values < THRESHOLD)
    assert recovered(values, hidden) == {(0, 1)}
    assert subtraction_attack(values, hidden) == {(0, 1)}


def test_partners_are_small_inner_cells_and_say_why():
    values = with_totals(np.array([[378, 2], [40, 50]]))
    reasons = protect(values, THRESHOLD, rows_add=True, cols_add=True)
    assert reasons[0, 1] == SMALL
    # The row and the column each need a second withheld cell; the smallest inner ones go.
    partners = {tuple(c) for c in np.argwhere(np.vectorize(lambda r: r == PROTECTS)(reasons))}
    assert partners == {(0, 0), (1, 0), (1, 1)} or partners == {(1, 1), (0, 0), (1, 0)}
    assert reasons[-1, -1] is None  # the grand total stays published


@pytest.mark.parametrize("threshold", [0, 11])
def test_nothing_small_nothing_withheld(threshold):
    values = with_totals(np.array([[0, 30], [40, 50]]))
    assert not _hidden(protect(values, threshold, rows_add=True, cols_add=True)).any()
