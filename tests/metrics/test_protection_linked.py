"""Measures that are sums of disjoint parts (convictions and decided; hotline reports, those
about trafficking, those referred), protected together and attacked together.

The attacker knows every published cell, each table's totals and that each published
measure is the sum of its parts; it solves by exact Gauss-Jordan over fractions and reads
off every unknown cell the equations pin down. It shares nothing with
metrics/protection.py but the definitions.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from metrics.disclosure import SMALL
from metrics.protection import protect_linked
from tests.metrics.test_protection import with_totals

THRESHOLD = 11


def solve(equations: list[dict], known: dict) -> dict:
    """{unknown: value} for every unknown the equations (each {cell: coefficient} = 0) pin."""
    unknown = sorted({c for eq in equations for c in eq if c not in known}, key=str)
    pos = {c: i for i, c in enumerate(unknown)}
    rows = []
    for eq in equations:
        row = [Fraction(0)] * (len(unknown) + 1)
        for cell, coef in eq.items():
            if cell in pos:
                row[pos[cell]] += coef
            else:
                row[-1] -= coef * known[cell]
        rows.append(row)
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
    return {unknown[col]: rows[i][-1] for i, col in enumerate(pivots)
            if all(rows[i][k] == 0 for k in range(len(unknown)) if k != col)}


def linked_equations(k: int, sums: np.ndarray, shape, cols_add: bool = True) -> list[dict]:
    """Totals of each part's and each published table (the last row; the last column when
    ``cols_add``), and published = sum of its parts."""
    n_rows, n_cols = shape
    eqs = []
    tables = [("part", i) for i in range(k)] + [("pub", j) for j in range(len(sums))]
    for t in tables:
        for c in range(n_cols):
            eqs.append({(t, n_rows - 1, c): 1, **{(t, r, c): -1 for r in range(n_rows - 1)}})
        for r in range(n_rows if cols_add else 0):
            eqs.append({(t, r, n_cols - 1): 1, **{(t, r, c): -1 for c in range(n_cols - 1)}})
    for j, row in enumerate(sums):
        for r in range(n_rows):
            for c in range(n_cols):
                eq = {(("pub", j), r, c): 1}
                for i in np.flatnonzero(row):
                    eq[(("part", i), r, c)] = -1
                eqs.append(eq)
    return eqs


def attack(parts: np.ndarray, sums: np.ndarray, reasons: np.ndarray,
           cols_add: bool = True) -> set:
    """Small cells (parts or published) that the published cells give away."""
    k = len(parts)
    published = np.einsum("jk,krc->jrc", sums, parts)
    known = {(("pub", j), r, c): int(published[j, r, c])
             for j, r, c in zip(*np.nonzero(np.vectorize(lambda x: x is None)(reasons)),
                                strict=True)}
    found = solve(linked_equations(k, sums, parts.shape[1:], cols_add), known)
    truth = {**{(("part", i), r, c): parts[i, r, c] for i in range(k)
                for r in range(parts.shape[1]) for c in range(parts.shape[2])},
             **{(("pub", j), r, c): published[j, r, c] for j in range(len(sums))
                for r in range(parts.shape[1]) for c in range(parts.shape[2])}}
    assert all(found[c] == truth[c] for c in found)  # the attacker is right where it says
    return {c for c in found if 1 <= truth[c] < THRESHOLD}


HOTLINE = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0]])  # all, trafficking, referred
VERDICTS = np.array([[1, 0], [1, 1]])  # convictions, decided

cells = st.one_of(st.integers(0, 12), st.integers(0, 120))


def parts_tables(k: int):
    return st.lists(st.lists(st.lists(cells, min_size=3, max_size=3), min_size=3, max_size=3),
                    min_size=k, max_size=k)


@settings(max_examples=60, deadline=None)
@given(parts_tables(3))
def test_hotline_measures_give_nothing_away_together(inner):
    parts = np.array([with_totals(np.array(t)) for t in inner])
    reasons = protect_linked(parts, HOTLINE, THRESHOLD, rows_add=True, cols_add=True)
    published = np.einsum("jk,krc->jrc", HOTLINE, parts)
    small = (published >= 1) & (published < THRESHOLD)
    assert (np.vectorize(lambda r: r == SMALL)(reasons) == small).all()
    assert attack(parts, HOTLINE, reasons) == set()


@settings(max_examples=60, deadline=None)
@given(parts_tables(2))
def test_convictions_and_decisions_give_nothing_away_together(inner):
    parts = np.array([with_totals(np.array(t)) for t in inner])
    reasons = protect_linked(parts, VERDICTS, THRESHOLD, rows_add=True, cols_add=True)
    assert attack(parts, VERDICTS, reasons) == set()


def test_the_attack_finds_a_small_difference_between_two_published_measures():
    """Without joint protection, decided less convictions gives the acquittals away."""
    convicted = with_totals(np.array([[40, 30], [50, 60]]))
    other = with_totals(np.array([[3, 20], [25, 30]]))
    parts = np.array([convicted, other])
    nothing = np.full((2, 3, 3), None, dtype=object)
    assert (("part", 1), 0, 0) in attack(parts, VERDICTS, nothing)
    reasons = protect_linked(parts, VERDICTS, THRESHOLD, rows_add=True, cols_add=True)
    assert attack(parts, VERDICTS, reasons) == set()
