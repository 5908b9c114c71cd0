"""Exact continuous percentiles in the database, the same on SQLite and PostgreSQL.

PostgreSQL has ``percentile_cont``; SQLite has no percentile function at all. Both have
window functions, so the percentile is computed from ranks, as ``percentile_cont`` (and
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

from sqlalchemy import Float, Select, case, cast, func, literal, select
from sqlalchemy.sql import Subquery

MEDIAN = Fraction(1, 2)
P75 = Fraction(3, 4)


def percentiles(values: Subquery, value: str, *, by: Sequence[str] = (),
                fractions: Mapping[str, Fraction | float], count: str = "cases") -> Select:
    """One row per group of ``values`` (grouped by the columns ``by``): the groups' columns,
    ``count`` (how many non-null values) and, for each ``name: p`` of ``fractions``, the
    p-th continuous percentile of the column ``value`` as ``name`` (a float)."""
    fractions = {name: _fraction(name, p) for name, p in fractions.items()}
    v = values.c[value]
    groups = [values.c[g] for g in by]
    window = {"partition_by": groups} if groups else {}
    ranked = (
        select(*groups, v.label("v"),
               func.row_number().over(order_by=v, **window).label("rn"),
               func.count().over(**window).label("n"))
        .where(v.is_not(None))
        .subquery("ranked")
    )
    rn, n = ranked.c.rn, ranked.c.n
    columns = [ranked.c[g] for g in by] + [func.count().label(count)]
    for name, p in fractions.items():
        position = (n - 1) * p.numerator  # h x d, an integer
        lo = position // p.denominator + 1  # 1-based ranks of v[lo] and v[hi]
        hi = (position + (p.denominator - 1)) // p.denominator + 1
        v_lo = func.max(case((rn == lo, ranked.c.v)))
        v_hi = func.max(case((rn == hi, ranked.c.v)))
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
