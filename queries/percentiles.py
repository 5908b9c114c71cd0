"""Exact continuous percentiles in the database, the same on SQLite and PostgreSQL.

PostgreSQL has ``percentile_cont``; SQLite has no percentile function at all. Both have
window functions, so the percentile is computed from ranks (each distinct value once,
with a running count of how many values are at or below it), as ``percentile_cont`` (and
numpy's default, ``method="linear"``) define it: over the n non-null values of a group
in ascending order, the p-th percentile sits at the 0-based position h = (n - 1) x p;
with lo = floor(h) and hi = ceil(h) it is v[lo] + (v[hi] - v[lo]) x (h - lo).

The position is worked out in integers (p is a fraction k/d, h = (n - 1) x k / d), so
only the last step is in floating point. For whole-number values (days) and a
power-of-two d (the median, 1/2, and the 75th percentile, 3/4) every step is exact, and
the result is bit-for-bit what ``percentile_cont`` and numpy give
(``tests/queries/test_percentiles.py`` checks both).

A group with no values has no row in the result (join it to its list of groups); with
no grouping columns the result is one row whose count is 0 and percentiles null.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from sqlalchemy import Float, Integer, Select, case, cast, func, literal, select
from sqlalchemy.sql import Subquery

MEDIAN = Fraction(1, 2)
P75 = Fraction(3, 4)


def percentiles(values: Subquery, value: str, *, by: Sequence[str] = (),
                fractions: Mapping[str, Fraction | float], count: str = "cases",
                weight: str | None = None) -> Select:
    """One row per group of ``values`` (grouped by the columns ``by``): the groups' columns,
    ``count`` (how many non-null values) and, for each ``name: p`` of ``fractions``, the
    p-th continuous percentile of the column ``value`` as ``name`` (a float).

    ``weight``: a column saying how many times each row's value occurs (rows already
    counted by value, such as a summary's), instead of once per row."""
    fractions = {name: _fraction(name, p) for name, p in fractions.items()}
    v = values.c[value]
    groups = [values.c[g] for g in by]
    # Each distinct value once, with how many times it occurs: sorting and ranking a few
    # hundred distinct day counts instead of every case is what keeps this fast.
    k = func.count() if weight is None else func.sum(values.c[weight])
    counted = (select(*groups, v.label("v"), k.label("k"))
               .where(v.is_not(None)).group_by(*groups, v).subquery("counted"))
    parts = [counted.c[g] for g in by]
    window = {"partition_by": parts} if parts else {}
    ranked = select(
        *parts, counted.c.v,
        # The 1-based rank of the last occurrence of this value, and the group's n.
        cast(func.sum(counted.c.k).over(order_by=counted.c.v, **window), Integer).label("upto"),
        cast(func.sum(counted.c.k).over(**window), Integer).label("n"),
    ).subquery("ranked")
    upto, n = ranked.c.upto, ranked.c.n
    columns = [ranked.c[g] for g in by] + [func.coalesce(func.max(n), 0).label(count)]
    for name, p in fractions.items():
        position = (n - 1) * p.numerator  # h x d, an integer
        lo = position // p.denominator + 1  # 1-based ranks of v[lo] and v[hi]
        hi = (position + (p.denominator - 1)) // p.denominator + 1
        # The value at rank r is the smallest whose last occurrence is at rank r or later.
        v_lo = func.min(case((upto >= lo, ranked.c.v)))
        v_hi = func.min(case((upto >= hi, ranked.c.v)))
        remainder = func.max(position % p.denominator)  # the same on every row of a group
        # (v[hi] - v[lo]) x remainder is a whole number; one division by d, in floats.
        step = cast((v_hi - v_lo) * remainder, Float) / literal(float(p.denominator), Float)
        columns.append((v_lo + step).label(name))
    stmt = select(*columns).select_from(ranked)
    return stmt.group_by(*[ranked.c[g] for g in by]) if by else stmt


def _fraction(name: str, p) -> Fraction:
    """``p`` as an exact fraction k/d (0.75 -> 3/4), or a clear error."""
    try:
        exact = Fraction(str(p)) if isinstance(p, float) else Fraction(p)
    except (TypeError, ValueError):
        raise ValueError(f"percentile {name} must be a number from 0 to 1, not {p!r}") from None
    if not 0 <= exact <= 1:
        raise ValueError(f"percentile {name} must be a number from 0 to 1, not {p!r}")
    return exact
