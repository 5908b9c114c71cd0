"""The indicators page's figures (contract: page ``indicators``, table ``indicators``), and
the trend and drill-downs the page also shows.

The period is one quarter or one calendar year (either may still be running: it then ends
on the as-of date). County scopes: 'ALL' and each programme county for a reader who chose
no county, else each county chosen. Targets come from the ``targets`` table
(``metrics.indicators.target_for`` says which row applies).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import polars as pl
from sqlalchemy import Engine

from core.periods import FIRST_QUARTER, key_end, key_start, previous_quarter, quarter_code
from core.scope import Filters, Scope, effective_counties
from figures.indicator_values import BREAKDOWN_SCHEMA, breakdown, cell_values
from metrics.indicators import (
    Targets,
    against_targets,
    period_code,
    quarters_of,
    target_for,
    target_index,
)
from queries.cells import ALL, Cells, scopes_of
from queries.indicators import target_rows
from warehouse.indicators import BY_CODE, CODES, REGISTER
from warehouse.reference import PROGRAMME_COUNTIES

TABLES = ("indicators",)
TREND_QUARTERS = 8
COLUMNS = ("indicator_code", "period", "county_scope", "actual", "target", "pct_of_target",
           "status")


DISAGGREGATIONS_SCHEMA = {"indicator_code": pl.String, "county_scope": pl.String,
                          "dimension": pl.String} | BREAKDOWN_SCHEMA


class PeriodChoiceError(ValueError):
    """The indicators were asked for a period that is not one quarter or one year."""


def chosen_period(filters: Filters) -> str:
    period = period_code(filters.start, filters.end)
    if period is None:
        raise PeriodChoiceError("Indicators cover one quarter or one calendar year: choose a "
                                "period such as 2025Q3 or 2025.")
    return period


def county_scopes(scope: Scope, filters: Filters) -> list[str]:
    allowed = effective_counties(scope, filters)
    return [ALL, *PROGRAMME_COUNTIES] if allowed is None else list(allowed)


def _narrowed(filters: Filters, county_scope: str) -> Filters:
    return replace(filters, counties=None if county_scope == ALL else (county_scope,))


def _table(engine: Engine, scope: Scope, filters: Filters, periods: list[tuple[str, date, date]],
           scopes: list[str], targets: Targets) -> pl.DataFrame:
    """The indicators of ``scopes`` (all counties and each programme county, or counties
    each on its own) in each period: one count of each figure for all of them."""
    cells = Cells(tuple(periods), scopes_of(scopes), filters.as_of)
    got = cell_values(engine, scope, cells)
    wanted = [target_for(targets, c, p, s)
              for p, s, c in got.select("period", "county_scope", "indicator_code").iter_rows()]
    return against_targets(got.with_columns(pl.Series("target", wanted, dtype=pl.Float64))
                           ).select(COLUMNS)


def indicators(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """indicator_code, period, county_scope, actual, target, pct_of_target, status: every
    indicator x county scope."""
    period = chosen_period(filters)
    scopes = county_scopes(scope, filters)
    targets = target_index(target_rows(engine, CODES, [period, *quarters_of(period)], scopes))
    return _table(engine, scope, filters, [(period, filters.start, filters.end)], scopes,
                  targets)


def trend_quarters(period: str) -> list[str]:
    """The TREND_QUARTERS quarters that end with the period's last quarter, oldest first,
    none before the programme's first."""
    q = (int(period[:4]), int(period[-1]) if "Q" in period else 4)
    out = []
    while len(out) < TREND_QUARTERS and q >= FIRST_QUARTER:
        out.insert(0, quarter_code(q))
        q = previous_quarter(q)
    return out


def trend(engine: Engine, scope: Scope, filters: Filters,
          table: pl.DataFrame | None = None) -> pl.DataFrame:
    """The indicators table's columns for each quarter of the trend, for the first county
    scope (all counties, or the first county chosen). A quarter with exactly the period and
    counties of the indicators ``table`` (computed already for the same reader and choices)
    is read from it: a quarter chosen as the period is the trend's last."""
    county_scope = county_scopes(scope, filters)[0]
    quarters = [k for k in trend_quarters(chosen_period(filters))
                if key_start(k) <= filters.as_of]
    targets = target_index(target_rows(engine, CODES, quarters, [county_scope]))
    reused = [k for k in quarters if table is not None and _is_the_table_s(filters, k)]
    counted = [(k, key_start(k), min(key_end(k), filters.as_of)) for k in quarters
               if k not in reused]
    parts = ([_table(engine, scope, filters, counted, [county_scope], targets)] if counted
             else []) + [_known(table, k, county_scope) for k in reused]
    return pl.concat(parts).sort("period", maintain_order=True)


def _is_the_table_s(filters: Filters, quarter: str) -> bool:
    """The quarter is the table's period, as the trend would count it (to the as-of date)."""
    return (chosen_period(filters) == quarter and key_start(quarter) == filters.start
            and min(key_end(quarter), filters.as_of) == filters.end)


def _known(table: pl.DataFrame, quarter: str, county_scope: str) -> pl.DataFrame:
    rows = table.filter((pl.col("period") == quarter) & (pl.col("county_scope") == county_scope))
    if rows.height != len(CODES):
        raise ValueError(f"the indicators table has no {quarter} rows for {county_scope}")
    return rows.select(COLUMNS)


def disaggregations(engine: Engine, scope: Scope, filters: Filters,
                    code: str | None = None) -> pl.DataFrame:
    """indicator_code, county_scope, dimension, value, actual, base: each indicator (or only
    ``code``) split by each of its dimensions other than county (the county split is the
    indicators table), for the first county scope."""
    county_scope = county_scopes(scope, filters)[0]
    narrowed = _narrowed(filters, county_scope)
    chosen = REGISTER if code is None else (BY_CODE[code],)
    parts = [breakdown(engine, scope, narrowed, i.code, d).select(
                 pl.lit(i.code).alias("indicator_code"), pl.lit(county_scope).alias("county_scope"),
                 pl.lit(d).alias("dimension"), pl.all())
             for i in chosen for d in i.disaggregations if d != "county"]
    # An indicator split by county only has no rows here.
    return pl.concat(parts) if parts else pl.DataFrame(schema=DISAGGREGATIONS_SCHEMA)


def tables(engine: Engine, scope: Scope, filters: Filters) -> dict[str, pl.DataFrame]:
    return {"indicators": indicators(engine, scope, filters)}


def extra_tables(engine: Engine, scope: Scope, filters: Filters,
                 given: dict[str, pl.DataFrame] | None = None) -> dict[str, pl.DataFrame]:
    """``trend``: the indicators table per quarter, eight quarters to the period's last
    (``given``: the page's ``indicators`` table, whose quarter it reuses). Not in the
    figures contract. (The drill-downs are a part table: ``DRILL_DOWN``.)"""
    return {"trend": trend(engine, scope, filters, (given or {}).get("indicators"))}


# The drill-down shows one indicator at a time, the one the reader picks (the register's
# first until then): the page computes only that indicator's splits, the export all of them.
DRILL_DOWN = ("disaggregations", disaggregations, CODES[0])
