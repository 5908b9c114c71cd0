"""Rows of a summary kept by county and month, for a period of any days.

A summary maintained at load time (``warehouse.maintained_cohort``,
``warehouse.maintained_hotline``) holds, per county and month, exactly what its select
gives over the month's rows; so a period's rows are the summary's rows for the months
wholly inside the period, and the same select over the rows of the days left over at
either end. Figures then sum or rank those rows as they would the select's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Engine, Select, Table, or_, select, union_all
from sqlalchemy.sql import Subquery

from core.periods import key_end, key_start, split_months
from queries.run import connected
from warehouse.schema import counties as every_county

Live = Callable[[Sequence[ColumnElement]], Select]  # the summary's select, for ``where``


@dataclass(frozen=True)
class Split:
    """A period as the months read from a summary and the day ranges read row by row."""

    months: list[str] = field(default_factory=list)
    days: list[tuple[date, date]] = field(default_factory=list)

    @classmethod
    def of(cls, start: date, end: date) -> Split:
        return cls(*split_months(start, end))

    @classmethod
    def row_by_row(cls, start: date, end: date) -> Split:
        return cls([], [(start, end)])


def in_counties(county: ColumnElement, counties: Sequence[str] | None) -> ColumnElement:
    """The rows in ``counties``; for every county, the rows in any county named: the same
    rows, but found through an index that starts with the county (PostgreSQL has no skip
    scan, and would otherwise read the whole table for a few days' rows)."""
    return county.in_(counties if counties is not None else select(every_county.c.code))


def split(engine: Engine, start: date, end: date, day: ColumnElement, county: ColumnElement,
          counties: Sequence[str] | None) -> Split:
    """[start, end] as whole months and days left over; the month holding ``end`` counts as
    whole when the period covers it from its first day and no row (by ``day``, in
    ``counties``) is dated after ``end`` in it: a period to the data's last day (the
    pages' default) is then read from the summary alone."""
    whole = Split.of(start, end)
    month = f"{end:%Y-%m}"
    if not whole.days or whole.days[-1] != (key_start(month), end):
        return whole
    later = select(day).where(day.between(end + timedelta(days=1), key_end(month)),
                              in_counties(county, counties))
    with connected(engine) as conn:
        if conn.execute(later.limit(1)).first() is not None:
            return whole
    return Split([*whole.months, month], whole.days[:-1])


@dataclass(frozen=True)
class Kept:
    """A summary kept by county and month (``month``: its month column) of the rows of a
    table, placed in a period by their ``day`` and in a county by their ``county``."""

    summary: Table
    month: str
    day: ColumnElement
    county: ColumnElement


def rows(kept: Kept, split: Split, counties: Sequence[str] | None, live: Live, name: str,
         from_summary: Live | None = None) -> Subquery:
    """The period's rows in ``counties`` (None: every county): ``from_summary`` over the
    summary's rows of the whole months, and ``live`` over the table's rows of the days left
    over, each given its where clauses; both must give the same columns, in the same order.
    ``from_summary`` defaults to the summary's columns named as ``live``'s."""
    if from_summary is None:
        names = [c.name for c in live(()).selected_columns]
        def from_summary(where):  # noqa: E306
            return select(*[kept.summary.c[n] for n in names]).where(*where)
    parts = []
    if split.months:
        where = [kept.summary.c[kept.month].in_(split.months)]
        if counties is not None:
            where.append(kept.summary.c.county_code.in_(counties))
        parts.append(from_summary(where))
    if split.days:
        days = or_(*[kept.day.between(lo, hi) for lo, hi in split.days])
        parts.append(live([days, in_counties(kept.county, counties)]))
    # A union of selects is read as a subquery, so that it can be one part of this union.
    parts = [p if isinstance(p, Select) else select(p.subquery()) for p in parts]
    if len(parts) == 1:
        return parts[0].subquery(name)
    return union_all(*parts).subquery(name)
