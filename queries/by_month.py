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
from datetime import date

from sqlalchemy import ColumnElement, Select, Table, select, union_all
from sqlalchemy.sql import Subquery

from core.periods import split_months

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
    for lo, hi in split.days:
        part = live([day.between(lo, hi), *([] if counties is None else [county.in_(counties)])])
        # A union of selects is read as a subquery, so it can be one part of this union.
        parts.append(part if isinstance(part, Select) else select(part.subquery()))
    if len(parts) == 1:
        return parts[0].subquery(name)
    return union_all(*parts).subquery(name)
