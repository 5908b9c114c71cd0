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


def eliminated(eqs: np.ndarray, unknown: np.ndarray) -> _Elimination:
    """The equations eliminated over the cells of the ``unknown`` mask, in their order."""
    elimination = _Elimination(eqs)
    for col in np.flatnonzero(unknown):
        elimination.add(int(col))
    return elimination


class _Elimination:
    """Gauss-Jordan elimination of the equations over the unknown cells, one cell at a
    time, as suppression adds them: adding a cell is one elimination step instead of a new
    elimination of every unknown cell (the protection loop adds a cell per round, up to
    twenty rounds a table; from scratch each round, this was a third of the monitor's
    overview).

    The rows are transformed whole (the published cells' columns too), so a cell added
    later is reduced by the steps before it. Over the unknown cells' columns the rows are
    then in reduced row echelon form in the order the cells were added; a cell's value is
    pinned exactly when its unit vector lies in the row space of the equations restricted
    to the unknown cells, which in that form is when its column is a pivot whose row has
    no other non-zero unknown entry (whatever the column order). Done with numpy's
    element-wise operations rather than LAPACK, whose threads crawl on a busy machine."""

    def __init__(self, eqs: np.ndarray):
        self.rows = eqs.astype(float)  # a copy: transformed in place
        self.unknown: list[int] = []
        self.pivot_rows: list[int] = []
        self.pivot_cols: list[int] = []
        self.free = np.ones(len(eqs), dtype=bool)  # rows without a pivot yet

    def add(self, col: int) -> None:
        """Make cell ``col`` unknown (partial pivoting among the rows without a pivot)."""
        self.unknown.append(col)
        if not self.free.any():
            return
        column = np.where(self.free, np.abs(self.rows[:, col]), 0.0)
        r = int(np.argmax(column))
        if column[r] <= _TOL:
            return  # a combination of the unknown cells before it: no new pivot
        self.rows[r] /= self.rows[r, col]
        factors = self.rows[:, col].copy()
        factors[r] = 0.0
        factors[np.abs(factors) <= _TOL] = 0.0
        self.rows -= np.outer(factors, self.rows[r])
        self.free[r] = False
        self.pivot_rows.append(r)
        self.pivot_cols.append(col)

    def pinned(self) -> np.ndarray:
        """For every cell of the equations, whether it is unknown and pinned."""
        out = np.zeros(self.rows.shape[1], dtype=bool)
        if not self.pivot_rows:
            return out
        entries = np.abs(self.rows[np.ix_(self.pivot_rows, self.unknown)]) > _TOL
        alone = entries.sum(axis=1) == 1
        out[np.array(self.pivot_cols)[alone]] = True
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
    elimination = eliminated(eqs, withheld)
    while True:
        pinned = elimination.pinned()
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
        elimination.add(int(best))
    reasons_flat = reasons.ravel()
    reasons_flat[small] = SMALL
    reasons_flat[withheld & ~small] = PROTECTS
    return reasons_flat.reshape(values.shape)


def protect_linked(parts: np.ndarray, sums: np.ndarray, threshold: int, *, rows_add: bool,
                   cols_add: bool) -> np.ndarray:
    """Reasons for the cells of published measures that are sums of disjoint parts.

    ``parts``: (k, rows, cols) tables of k disjoint counts (convictions, and acquittals or
    withdrawals); ``sums``: (m, k) of 0/1, published measure j being the sum of the parts
    it marks (convictions = part 0; decided = parts 0 + 1). Each table has its totals as
    ``protect`` expects. Returns (m, rows, cols) reasons for the published tables.

    The parts themselves are never published, so besides each table's totals the reader
    has one more equation per cell: a published measure is the sum of its parts. A part
    that is a small count (decided less convictions = 3) must not be determined by these
    either, nor may any small published cell; a large part may (it is nobody's secret).
    """
    parts = np.asarray(parts, dtype=np.int64)
    k, n_rows, n_cols = parts.shape
    m = sums.shape[0]
    size = n_rows * n_cols
    published = np.einsum("jk,krc->jrc", sums, parts).reshape(m * size)
    flat = np.concatenate([parts.reshape(k * size), published])
    eqs = _linked_equations(k, m, sums, (n_rows, n_cols), rows_add, cols_add)
    reasons = np.full(m * size, None, dtype=object)
    if threshold <= 0:
        return reasons.reshape(m, n_rows, n_cols)
    sensitive = (flat >= 1) & (flat < threshold)
    unknown = np.zeros(flat.size, dtype=bool)
    unknown[:k * size] = True  # the parts are never published
    unknown[k * size:] = sensitive[k * size:]
    is_total = np.tile(_totals_mask((n_rows, n_cols), rows_add, cols_add), m)
    elimination = eliminated(eqs, unknown)
    while True:
        pinned = elimination.pinned() & sensitive
        if not pinned.any():
            break
        cell = int(np.flatnonzero(pinned)[0])
        candidates = _published_partners(eqs, cell, unknown, flat, k * size)
        if not len(candidates):
            break  # every non-zero published cell is withheld already
        best = min(candidates, key=lambda c: (bool(is_total[c - k * size]), int(flat[c]),
                                              int(c)))
        unknown[best] = True
        elimination.add(int(best))
    withheld = unknown[k * size:]
    small = sensitive[k * size:]
    reasons[small] = SMALL
    reasons[withheld & ~small] = PROTECTS
    return reasons.reshape(m, n_rows, n_cols)


def _totals_mask(shape: tuple[int, int], rows_add: bool, cols_add: bool) -> np.ndarray:
    mask = np.zeros(shape, dtype=bool)
    if rows_add:
        mask[-1, :] = True
    if cols_add:
        mask[:, -1] = True
    return mask.ravel()


def _linked_equations(k: int, m: int, sums: np.ndarray, shape: tuple[int, int],
                      rows_add: bool, cols_add: bool) -> np.ndarray:
    """Over [parts..., published...] flattened: each part's table totals, then published
    cell = the sum of its parts' cells."""
    size = shape[0] * shape[1]
    width = (k + m) * size
    table = equations(shape, rows_add, cols_add)
    out = []
    for i in range(k):
        for eq in table:
            row = np.zeros(width)
            row[i * size:(i + 1) * size] = eq
            out.append(row)
    for j in range(m):
        for cell in range(size):
            row = np.zeros(width)
            row[(k + j) * size + cell] = 1
            for i in np.flatnonzero(sums[j]):
                row[i * size + cell] = -1
            out.append(row)
    return np.array(out)


def _published_partners(eqs: np.ndarray, cell: int, unknown: np.ndarray, flat: np.ndarray,
                        first_published: int) -> np.ndarray:
    """Published non-zero cells close to ``cell``: in an equation with it, else in an
    equation with an unknown cell that shares one with it, else any."""
    def near(cells: np.ndarray) -> np.ndarray:
        rows = eqs[(eqs[:, cells] != 0).any(axis=1)]
        return np.flatnonzero((rows != 0).any(axis=0))

    publishable = ~unknown & (flat > 0) & (np.arange(flat.size) >= first_published)
    one = near(np.array([cell]))
    for reach in (one, near(one[unknown[one]]) if len(one) else one):
        found = reach[publishable[reach]]
        if len(found):
            return found
    return np.flatnonzero(publishable)
