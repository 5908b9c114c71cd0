"""Complementary suppression for a published table with its totals.

A summaries-only reader sees each measure as one table per year: the county groups
(Mombasa, Kwale, Kilifi, other counties) and their total down the side, the quarters and
the year across the top. Where the table adds up (an event belongs to one county and one
quarter), every total is an equation the reader can solve, so withholding the small cells
alone is not enough: a withheld cell must not be recoverable from any combination of the
published cells and those equations.

``protect`` withholds the small counts (1 to threshold-1, never 0), then keeps adding the
smallest non-zero published cell of an equation that still pins a withheld cell down,
until no withheld cell is determined. "Determined" is exact linear algebra: a withheld
cell is recoverable exactly when every solution of the equations (with the published
cells fixed) gives it the same value, i.e. when no direction in the null space of the
withheld cells' columns moves it. Every withheld cell is at least 1, so a move of ±1 along
a null direction keeps all cells non-negative: not determined means truly ambiguous.
"""

from __future__ import annotations

import numpy as np

from metrics.disclosure import PROTECTS, SMALL

_TOL = 1e-9


def equations(shape: tuple[int, int], rows_add: bool, cols_add: bool) -> np.ndarray:
    """The table's sums as rows of a matrix over its flattened cells.

    The last row is the total of the rows above it (when ``rows_add``); the last column
    the total of the columns before it (when ``cols_add``)."""
    n_rows, n_cols = shape
    index = np.arange(n_rows * n_cols).reshape(shape)
    eqs = []
    if rows_add:
        for j in range(n_cols):
            eq = np.zeros(n_rows * n_cols)
            eq[index[-1, j]] = 1
            eq[index[:-1, j]] = -1
            eqs.append(eq)
    if cols_add:
        for i in range(n_rows):
            eq = np.zeros(n_rows * n_cols)
            eq[index[i, -1]] = 1
            eq[index[i, :-1]] = -1
            eqs.append(eq)
    return np.array(eqs).reshape(len(eqs), n_rows * n_cols)


def determined(eqs: np.ndarray, withheld: np.ndarray) -> np.ndarray:
    """For each withheld cell (flattened mask), whether the equations pin its value."""
    cols = np.flatnonzero(withheld)
    out = np.zeros(withheld.size, dtype=bool)
    if not len(cols):
        return out
    sub = eqs[:, cols] if len(eqs) else np.zeros((0, len(cols)))
    if not len(sub):
        return out  # no equation: nothing can be solved for
    _, sing, vt = np.linalg.svd(sub)
    rank = int((sing > _TOL).sum())
    null = vt[rank:]  # rows spanning the null space
    moves = np.abs(null).sum(axis=0) if len(null) else np.zeros(len(cols))
    out[cols] = moves < _TOL
    return out


def protect(values: np.ndarray, threshold: int, *, rows_add: bool,
            cols_add: bool) -> np.ndarray:
    """Reasons (None, SMALL or PROTECTS) for each cell of ``values``, totals included.

    ``values`` is the whole published table: inner cells, the total row last and the total
    column last. ``threshold``: counts from 1 to threshold-1 are withheld.
    """
    values = np.asarray(values, dtype=np.int64)
    reasons = np.full(values.shape, None, dtype=object)
    if threshold <= 0:
        return reasons
    flat = values.ravel()
    small = (flat >= 1) & (flat < threshold)
    withheld = small.copy()
    eqs = equations(values.shape, rows_add, cols_add)
    # Prefer inner cells to totals as partners, then the smallest value, then the first.
    is_total = np.zeros(values.shape, dtype=bool)
    if rows_add:
        is_total[-1, :] = True
    if cols_add:
        is_total[:, -1] = True
    is_total = is_total.ravel()
    while True:
        pinned = determined(eqs, withheld)
        if not pinned.any():
            break
        cell = int(np.flatnonzero(pinned)[0])
        linked = (eqs[:, cell] != 0) if len(eqs) else np.zeros(0, dtype=bool)
        partners = np.zeros(flat.size, dtype=bool)
        for eq in eqs[linked]:
            partners |= eq != 0
        candidates = np.flatnonzero(partners & ~withheld & (flat > 0))
        if not len(candidates):
            candidates = np.flatnonzero(~withheld & (flat > 0))
        if not len(candidates):
            break  # every non-zero cell is withheld already; zeros are public
        best = min(candidates, key=lambda k: (bool(is_total[k]), int(flat[k]), int(k)))
        withheld[best] = True
    reasons_flat = reasons.ravel()
    reasons_flat[small] = SMALL
    reasons_flat[withheld & ~small] = PROTECTS
    return reasons_flat.reshape(values.shape)
