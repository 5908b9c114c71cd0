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
    later = select(day).where(day.between(end + timedelta(days=1), key_end(month)))
    if counties is not None:
        later = later.where(county.in_(counties))
    with engine.connect() as conn:
        if conn.execute(later.limit(1)).first() is not None:
            return whole
    return Split([*whole.months, month], whole.days[:-1])


def rows(summary: Table, month: str, live: Live, day: ColumnElement,
         county: ColumnElement, counties: Sequence[str] | None, split: Split,
         name: str) -> Subquery:
    """The rows of ``live``'s shape for the period: ``summary``'s for the whole months
    (column ``month``), ``live``'s over the rows whose ``day`` is in the days left over;
    both in ``counties`` (None: every county) by the county columns given."""
    columns = [c.name for c in live(()).selected_columns]
    parts = []
    if split.months:
        stmt = select(*[summary.c[c] for c in columns]).where(summary.c[month].in_(split.months))
        if counties is not None:
            stmt = stmt.where(summary.c.county_code.in_(counties))
        parts.append(stmt)
    if split.days:
        days = or_(*[day.between(lo, hi) for lo, hi in split.days])
        part = live([days, *([] if counties is None else [county.in_(counties)])])
        # A union of selects is read as a subquery, so it can be one part of this union.
        parts.append(part if isinstance(part, Select) else select(part.subquery()))
    if len(parts) == 1:
        return parts[0].subquery(name)
    return union_all(*parts).subquery(name)
