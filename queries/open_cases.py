"""Cases open on a day, by age, from a few sums instead of a pass over every case.

A case is open on D when reported on or before D and not yet closed (``closed_from`` after
D, or none: ``queries.milestones.open_on``). The cases open on D that were reported on or
before X (X <= D) are those reported by X less those reported by X and closed by D. Both
are read from ``case_flow_months`` (cases per county, month reported and month closed) for
whole months, and from ``case_milestones`` for the two edge months, through indexes
covering them: the cases reported in X's month up to X, and the cases closed in D's month
up to D that were reported before X's month. The age buckets are differences of such
counts, X being D less each bucket's first age.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, and_, func, select

from core.scope import Filters, Scope
from queries.counting import as_rows
from queries.scoping import in_scope
from warehouse.schema import case_flow_months as g
from warehouse.schema import case_milestones as m


def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


def _count(stmt: Select, county: ColumnElement, scope: Scope, filters: Filters):
    return func.coalesce(in_scope(stmt, county, scope, filters).scalar_subquery(), 0)


def open_reported_by(reported_by: date, on: date, scope: Scope, filters: Filters):
    """The cases open on ``on`` that were reported on or before ``reported_by``."""
    x, d = reported_by, on
    x_first, d_first = x.replace(day=1), d.replace(day=1)
    months = select(func.sum(g.c.cases)).where(g.c.reported_month < _month(x))
    reported = _count(months, g.c.county_code, scope, filters) + _count(
        select(func.count()).where(m.c.reported_on.between(x_first, x)),
        m.c.county_code, scope, filters)
    closed = (
        _count(months.where(g.c.closed_month < _month(d)), g.c.county_code, scope, filters)
        # reported in X's month by X, closed by D (closed_from <= D is terminal_on <= D then)
        + _count(select(func.count()).where(m.c.reported_on.between(x_first, x),
                                            m.c.terminal_on <= d),
                 m.c.county_code, scope, filters)
        # reported before X's month, closed in D's month by D (terminal_on is closed_from)
        + _count(select(func.count()).where(and_(m.c.terminal_on.between(d_first, d),
                                                 m.c.reported_on < x_first)),
                 m.c.county_code, scope, filters))
    return reported - closed


def by_age_stmt(buckets: tuple[tuple[str, int | None], ...], on: date, scope: Scope,
                filters: Filters) -> Select:
    """bucket, cases: the cases open on ``on`` by age (``on`` less the report date, in days),
    one row per bucket in order; ``buckets``: (code, the first age that no longer fits),
    the last bucket open-ended."""
    firsts = [0, *(limit for _, limit in buckets[:-1])]
    reported_by = [open_reported_by(on - timedelta(days=a), on, scope, filters) for a in firsts]
    widths = [reported_by[i] - reported_by[i + 1] for i in range(len(buckets) - 1)]
    wide = select(*[w.label(code) for w, (code, _) in
                    zip([*widths, reported_by[-1]], buckets, strict=True)])
    return as_rows(wide, "bucket", "cases", [code for code, _ in buckets])
