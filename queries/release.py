"""The release: the only figures a summaries-only reader (monitor, administrator) receives.

Designed as a statistical release, not as a filter on whatever is asked. Such a reader
chooses among fixed groupings only — a completed quarter or a completed year; Mombasa,
Kwale, Kilifi, the other counties together, or all counties — and every figure they see
comes from one table per measure and year: the county groups and their total down the
side, the year's completed quarters and (once the year is over) the year across the top,
protected as a whole by ``metrics.protection.protect``. The same cell is the same number
in every card, chart, comparison and export, so no combination of published figures
gives a withheld one away.

Only completed quarters are published: a quarter still running would change from one day
to the next, and the difference between two days is itself a small count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl
from sqlalchemy import (
    BigInteger,
    BindParameter,
    ColumnElement,
    Engine,
    Select,
    String,
    case,
    cast,
    func,
    literal,
    select,
    union_all,
)

from core.periods import (
    Quarter,
    quarter_code,
    quarter_end,
    quarter_of,
    quarter_start,
    quarters_until,
)
from core.scope import Filters, Scope
from metrics.disclosure import flag_column
from metrics.protection import protect, protect_linked
from queries.measures import BY_ID, LINKED_BY_ID, Measure
from queries.run import fetch_unprotected
from warehouse.constructs import quarter_key
from warehouse.reference import PROGRAMME_COUNTIES

OTHER = "other"
ALL = "ALL"
GROUPS = (*PROGRAMME_COUNTIES, OTHER)  # the rows of every release table, then ALL
SCHEMA = {"group": pl.String, "period": pl.String, "n": pl.Int64}


class ReleaseError(ValueError):
    """A summaries-only reader asked for something the release does not publish."""


@dataclass(frozen=True)
class Choice:
    period: str  # '2025-Q3' or '2025'
    group: str  # '001', '002', '003', 'other' or 'ALL'


def published_quarters(as_of: date) -> list[Quarter]:
    """Quarters that ended before ``as_of``, oldest first."""
    return [q for q in quarters_until(as_of) if quarter_end(q) < as_of]


def published_years(as_of: date) -> list[int]:
    return sorted({q[0] for q in published_quarters(as_of) if q[1] == 4})


def other_counties(all_codes: list[str]) -> tuple[str, ...]:
    return tuple(sorted(c for c in all_codes if c not in PROGRAMME_COUNTIES))


def group_of(counties: tuple[str, ...] | None, all_codes: list[str]) -> str:
    if counties is None or set(counties) == set(all_codes):
        return ALL
    if len(counties) == 1 and counties[0] in PROGRAMME_COUNTIES:
        return counties[0]
    if tuple(sorted(counties)) == other_counties(all_codes):
        return OTHER
    raise ReleaseError(
        "Summaries show Mombasa, Kwale, Kilifi, the other counties together, or all counties; "
        "not other combinations of counties.")


def choice_of(filters: Filters, all_codes: list[str]) -> Choice:
    """The published grouping ``filters`` asks for, or ReleaseError."""
    group = group_of(filters.counties, all_codes)
    q = quarter_of(filters.start)
    if filters.end == filters.as_of and filters.start in (quarter_start(q), date(q[0], 1, 1)):
        # A quarter or year cut short at the as-of date: still running.
        raise ReleaseError("That period is not over yet: summaries publish completed quarters "
                           "and years only.")
    if filters.start == quarter_start(q) and filters.end == quarter_end(q):
        if q not in published_quarters(filters.as_of):
            raise ReleaseError(f"{quarter_code(q)} is not over yet: summaries publish completed "
                               "quarters only.")
        return Choice(quarter_code(q), group)
    year = filters.start.year
    if (filters.start, filters.end) == (date(year, 1, 1), date(year, 12, 31)):
        if year not in published_years(filters.as_of):
            raise ReleaseError(f"{year} is not over yet: summaries publish completed years only.")
        return Choice(str(year), group)
    raise ReleaseError("Summaries cover a whole completed quarter or year, not other periods.")


def _group(county: ColumnElement):
    return case((county.in_(PROGRAMME_COUNTIES), county), else_=literal(OTHER, String))


def _counts_stmt(measure: Measure, year: int, quarters: list[Quarter], by_group: bool,
                 by_quarter: bool) -> Select:
    """group, period, n. A measure with a monthly summary is summed from it; one that
    adds across days otherwise is counted per county and day first, and those counts
    summed into groups and quarters (fewer rows to label)."""
    start, end = quarter_start(quarters[0]), quarter_end(quarters[-1])
    period = quarter_key if by_quarter else None
    if measure.monthly is not None:
        # Published periods are whole quarters, so whole months: summed from the measure's
        # monthly summary, quarter by quarter (for a measure with ``previous``, each
        # quarter's or the year's first rows).
        spans = ([(quarter_start(q), quarter_end(q), quarter_code(q)) for q in quarters]
                 if by_quarter else [(start, end, str(year))])
        months = union_all(*[
            select(m.c.county_code, literal(label, String).label("period"), m.c.n)
            for s, e, label in spans for m in [measure.per_month(s, e).subquery()]
        ]).subquery("per_month")
        group = _group(months.c.county_code) if by_group else literal(ALL, String)
        stmt = select(group.label("group"), months.c.period,
                      func.coalesce(cast(func.sum(months.c.n), BigInteger), 0).label("n"))
        return stmt.group_by(*([group] if by_group else []), months.c.period)
    if measure.adds_across_days:
        # A distinct count kept by ``previous`` is taken quarter by quarter (each quarter's
        # first rows) when summed into quarters.
        spans = ([(quarter_start(q), quarter_end(q)) for q in quarters]
                 if by_quarter and measure.previous else [(start, end)])
        days = union_all(*[measure.per_day(s, e) for s, e in spans]).subquery("per_day")
        county, day, n = days.c.county_code, days.c.day, cast(func.sum(days.c.n), BigInteger)
    else:
        county, day, n = measure.county_column, measure.day_column, None
    labels = {
        "group": _group(county) if by_group else literal(ALL, String),
        "period": quarter_key(day) if by_quarter else literal(str(year), String),
    }
    if n is None:
        return measure.grouped(labels, start, end, period=period)
    columns = [expr.label(name) for name, expr in labels.items()]
    keys = [c for c, expr in zip(columns, labels.values(), strict=True)
            if not isinstance(expr, BindParameter)]
    stmt = select(*columns, func.coalesce(n, 0).label("n"))
    return stmt.group_by(*keys) if keys else stmt


def _counts(engine: Engine, measure: Measure, year: int,
            quarters: list[Quarter], by_group: bool, by_quarter: bool) -> dict:
    """{(group, period): n} for the year's published quarters."""
    stmt = _counts_stmt(measure, year, quarters, by_group, by_quarter)
    df = fetch_unprotected(engine, stmt, schema=SCHEMA)
    return {(g, p): n for g, p, n in df.iter_rows()}


def _grid(engine: Engine, measure: Measure, year: int, quarters: list[Quarter],
          periods: list[str]) -> np.ndarray:
    """The measure's counts: groups and ALL down, ``periods`` across (the year last, when
    whole), totals computed where the measure adds up and counted where it does not."""
    whole_year = len(periods) > len(quarters)
    cells = _counts(engine, measure, year, quarters, True, True)
    if measure.adds_across_counties:
        for p in periods[:len(quarters)]:
            cells[(ALL, p)] = sum(cells.get((g, p), 0) for g in GROUPS)
    else:
        cells |= _counts(engine, measure, year, quarters, False, True)
    if whole_year:
        if measure.adds_across_quarters:
            for g in (*GROUPS, ALL):
                cells[(g, str(year))] = sum(cells.get((g, p), 0) for p in periods[:4])
        else:
            cells |= _counts(engine, measure, year, quarters, True, False)
            cells |= _counts(engine, measure, year, quarters, False, False)
            if measure.adds_across_counties:
                cells[(ALL, str(year))] = sum(cells.get((g, str(year)), 0) for g in GROUPS)
    return np.array([[cells.get((g, p), 0) for p in periods] for g in (*GROUPS, ALL)],
                    dtype=np.int64)


def _protected(engine: Engine, scope: Scope, measure_id: str, year: int,
               quarters: list[Quarter], periods: list[str]) -> dict[str, tuple]:
    """{measure id: (values, reasons)} of one measure's table; a measure linked to others (a
    sum of parts another published measure shares) is protected together with them, and
    all of theirs come back too."""
    whole_year = len(periods) > len(quarters)
    family = LINKED_BY_ID.get(measure_id)
    if family is None:
        measure = BY_ID[measure_id]
        values = _grid(engine, measure, year, quarters, periods)
        return {measure_id: (values, protect(
            values, scope.suppress_below, rows_add=measure.adds_across_counties,
            cols_add=whole_year and measure.adds_across_quarters))}
    parts = np.array([_grid(engine, m, year, quarters, periods) for m in family.parts])
    ids = [m.id for m in family.parts]
    sums = np.array([[p in members for p in ids] for members in family.sums.values()],
                    dtype=np.int64)
    reasons = protect_linked(parts, sums, scope.suppress_below, rows_add=True,
                             cols_add=whole_year)
    return {m: (np.einsum("k,krc->rc", sums[j], parts), reasons[j])
            for j, m in enumerate(family.sums)}


SCHEMA_OUT = {"measure": pl.String, "period": pl.String, "group": pl.String,
              "value": pl.Int64, flag_column("value"): pl.String}


def release_tables(engine: Engine, scope: Scope, measure_ids: list[str], year: int,
                   as_of: date) -> pl.DataFrame:
    """measure, period, group, value, value_withheld: the protected tables of those measures
    for ``year`` (its completed quarters, and the year once complete), one after another.
    Linked measures are counted and protected once for all of them."""
    quarters = [q for q in published_quarters(as_of) if q[0] == year]
    if not quarters:
        raise ReleaseError(f"nothing of {year} is published yet")
    whole_year = len(quarters) == 4
    periods = [quarter_code(q) for q in quarters] + ([str(year)] if whole_year else [])
    done: dict[str, tuple] = {}
    for measure_id in measure_ids:
        if measure_id not in done:
            done |= _protected(engine, scope, measure_id, year, quarters, periods)
    rows = [*GROUPS, ALL]
    out = [(m, p, g, None if reasons[i, j] else int(values[i, j]), reasons[i, j])
           for m in measure_ids for values, reasons in [done[m]]
           for i, g in enumerate(rows) for j, p in enumerate(periods)]
    return pl.DataFrame(out, schema=SCHEMA_OUT, orient="row")


def release_table(engine: Engine, scope: Scope, measure_id: str, year: int,
                  as_of: date) -> pl.DataFrame:
    """One measure's protected table for ``year`` (see ``release_tables``)."""
    return release_tables(engine, scope, [measure_id], year, as_of)
