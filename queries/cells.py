"""Several periods and county scopes counted by one statement: the indicators page's cells.

The indicators page shows every indicator for four county scopes (all counties and each
programme county) and an eight-quarter trend: eleven period-and-scope cells. Run one cell
at a time, that was eleven runs of each figure's statements, and most of the page's time
went to building, running and reading a hundred statements, not to the database. Here each
figure is one statement for many cells, its rows labelled with their cell (``period``,
``county_scope``), in one of two ways:

- grouped by a period worked out per row (``period_of_month``, ``period_of_day``) and by
  county (``grouped_by_scope``), where the rows are few or already a monthly summary's (the
  measures, the training rows, the cohort's day counts);
- the union of the figure's own select for each cell (``union``), where the rows are many
  and each cell's select finds them through an index (the hearings: grouping them by a
  period per row was five times slower on SQLite).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, case, literal, select, union_all

from core.periods import split_months
from core.scope import Filters, Scope
from queries.scoping import in_scope
from warehouse import standing as ms

ALL = "ALL"
Scopes = tuple[tuple[str, tuple[str, ...] | None], ...]  # (label, the counties it reads)


@dataclass(frozen=True)
class Cells:
    """Periods (key, first day, last day) and county scopes (label, the counties read:
    None for every county), each period counted in each scope, as of ``as_of``."""

    periods: tuple[tuple[str, date, date], ...]
    scopes: Scopes
    as_of: date

    def __post_init__(self):
        if not self.periods or any(s > e for _, s, e in self.periods):
            raise ValueError(f"cells need periods, each from its first day to its last: "
                             f"{self.periods}")
        for name, values in (("periods", [k for k, _, _ in self.periods]),
                             ("county scopes", [label for label, _ in self.scopes])):
            if not values or len(set(values)) < len(values):
                raise ValueError(f"cells need {name}, each with its own key: {values}")

    def each(self) -> Iterator[tuple[str, str, Filters]]:
        """(period, county scope, the filters that count it) of every cell, period by
        period."""
        for key, start, end in self.periods:
            for label, counties in self.scopes:
                yield key, label, Filters(start, end, counties, as_of=self.as_of)

    def split_scopes(self) -> tuple[Scopes, tuple[str, ...]]:
        return split_scopes(self.scopes)

    def whole_months(self) -> tuple[Cells | None, Cells | None]:
        """These cells as those whose periods are whole months, and the others (a period
        cut short at the as-of date); None for either without a period."""
        def part(whole):
            periods = tuple(p for p in self.periods
                            if (not split_months(p[1], p[2])[1]) == whole)
            return replace(self, periods=periods) if periods else None
        return part(True), part(False)

    def months(self) -> list[str]:
        """Every month of the periods, which must be whole months."""
        return [m for _, s, e in self.periods for m in split_months(s, e)[0]]

    @property
    def start(self) -> date:
        return min(s for _, s, _ in self.periods)

    @property
    def end(self) -> date:
        return max(e for _, _, e in self.periods)

    def read(self, counties: tuple[str, ...] | None) -> Filters:
        """Every day of the periods, in ``counties``: what limits a select's rows."""
        return Filters(self.start, self.end, counties, as_of=self.as_of)

    @property
    def counties(self) -> tuple[str, ...] | None:
        """Every county any scope reads (None: all of them)."""
        if any(counties is None for _, counties in self.scopes):
            return None
        return tuple(sorted({c for _, counties in self.scopes for c in counties}))


def split_scopes(scopes: Scopes) -> tuple[Scopes, tuple[str, ...]]:
    """The scopes that read several counties together (or every county), and the counties
    that are each a scope of their own (labelled by their code): a statement can count the
    latter in one select grouped by county."""
    alone = tuple(label for label, counties in scopes if counties == (label,))
    return tuple(s for s in scopes if s[0] not in alone), alone


def scopes_of(labels: list[str], counties: tuple[str, ...] | None = None) -> Scopes:
    """County scopes by label: 'ALL' reads ``counties`` (every county unless given), a
    county code reads that county."""
    return tuple((label, counties if label == ALL else (label,)) for label in labels)


def period_of_month(month: ColumnElement, cells: Cells) -> ColumnElement:
    """The key of the period (of whole months) that a 'YYYY-MM' ``month`` is in."""
    return case(*[(month.between(f"{s:%Y-%m}", f"{e:%Y-%m}"), literal(k))
                  for k, s, e in cells.periods])


def period_of_day(day: ColumnElement, cells: Cells) -> ColumnElement:
    """The key of the period ``day`` is in, for a day from the first period's first day to
    the last one's last day of contiguous periods (``contiguous``): one comparison a
    period."""
    contiguous(cells)
    return case(*[(day <= ms.day(e), literal(k)) for k, _, e in cells.periods])


def contiguous(cells: Cells) -> Cells:
    """``cells``, whose periods must follow one another without a gap (ValueError)."""
    ends = [(s, e) for _, s, e in cells.periods]
    if any(a[1] + timedelta(days=1) != b[0] for a, b in zip(ends, ends[1:], strict=False)):
        raise ValueError(f"these cells' periods are not one after the other: {cells.periods}")
    return cells


def first_month_of(month: ColumnElement, cells: Cells) -> ColumnElement:
    """The first month of the period (of whole months) that ``month`` is in."""
    return case(*[(month.between(f"{s:%Y-%m}", f"{e:%Y-%m}"), literal(f"{s:%Y-%m}"))
                  for _, s, e in cells.periods])


def union(stmt_for: Callable[[Filters], Select], cells: Cells) -> Select:
    """``period``, ``county_scope``, then the columns of ``stmt_for(filters)``: the
    figure's own select for each cell, as one select."""
    parts = []
    for key, label, filters in cells.each():
        rows = stmt_for(filters).subquery("cell")
        parts.append(select(literal(key).label("period"), literal(label).label("county_scope"),
                            *rows.c))
    return parts[0] if len(parts) == 1 else select(union_all(*parts).subquery("cells"))


def grouped_by_scope(build, period: ColumnElement, county: ColumnElement, scope: Scope,
              cells: Cells) -> list[Select]:
    """``build(label)`` grouped by period: once for each scope of ``cells`` that reads
    counties together (labelled with its name), and once grouped by county too for the
    scopes that are a county each (labelled with the county); each limited to the
    counties it reads."""
    together, alone = cells.split_scopes()
    parts = [in_scope(build(literal(label)), county, scope, cells.read(counties))
             .group_by(period) for label, counties in together]
    if alone:
        parts.append(in_scope(build(county), county, scope, cells.read(alone))
                     .group_by(period, county))
    return parts
