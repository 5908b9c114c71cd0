"""Queries behind the county map: one row per county in the reader's scope.

Each measure is counted per county by its one definition (``queries.measures``), and the
counts are joined onto the counties reference table, so a county with nothing in the
period is a row of zeros, not a gap.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy import Engine, Select, func, select

from core.scope import Filters, Scope
from queries.measures import BY_ID, Measure
from queries.run import fetch
from queries.scoping import in_scope
from warehouse.schema import case_events, counties

# The conviction rate's denominator: cases decided or dropped after charge, in the period.
DECIDED = Measure(
    "decided", "Cases decided", "Convictions, acquittals and withdrawals dated in the period.",
    case_events, "occurred_on", func.count,
    lambda: case_events.c.stage.in_(("convicted", "acquitted", "withdrawn")))
# Column of the counties table -> the measure counted into it.
COUNTED = {"cases_reported": BY_ID["cases_reported"], "charged": BY_ID["cases_charged"],
           "convicted": BY_ID["convictions"], "decided": DECIDED,
           "people_trained": BY_ID["people_trained"],
           "outreach_participants": BY_ID["outreach_participants"],
           "hotline_reports": BY_ID["hotline_reports"]}
COUNTS = tuple(COUNTED)
SCHEMA = {"county_code": pl.String, "county": pl.String, "population_2019": pl.Int64,
          **{c: pl.Int64 for c in COUNTS}}


def _per_county(measure: Measure, scope: Scope, filters: Filters, name: str):
    stmt = measure.grouped({"code": measure.county_column}, filters.start, filters.end)
    return in_scope(stmt, measure.county_column, scope, filters).subquery(name)


def county_figures_stmt(scope: Scope, filters: Filters) -> Select:
    """county_code, county, population_2019 and each count of COUNTED per county."""
    parts = {column: _per_county(m, scope, filters, column) for column, m in COUNTED.items()}
    joined = counties
    for part in parts.values():
        joined = joined.outerjoin(part, part.c.code == counties.c.code)
    stmt = select(
        counties.c.code.label("county_code"), counties.c.name.label("county"),
        counties.c.population_2019,
        *[func.coalesce(part.c.n, 0).label(column) for column, part in parts.items()],
    ).select_from(joined).order_by(counties.c.code)
    return in_scope(stmt, counties.c.code, scope, filters)


def county_figures(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """Every county in scope with its counts (withheld per column for summaries-only
    readers: the counties add up to totals other pages show, so withholding is additive)."""
    return fetch(engine, county_figures_stmt(scope, filters), scope, schema=SCHEMA,
                 counts=COUNTS)


@dataclass(frozen=True)
class MapMeasure:
    id: str  # a column of the figures contract's ``counties`` table
    label: str
    kind: str  # "count", "per_100k" or "share"
    counts: str  # the counting rule in words


_RULE = {m.id: m.counts for m in BY_ID.values()}

MAP_MEASURES = (
    MapMeasure("cases_reported", "Cases reported", "count", _RULE["cases_reported"]),
    MapMeasure("cases_per_100k", "Cases reported per 100,000 residents", "per_100k",
               "Cases whose report date falls in the period, for every 100,000 residents "
               "counted by the 2019 census."),
    MapMeasure("charged", "Cases charged", "count", _RULE["cases_charged"]),
    MapMeasure("convicted", "Convictions", "count", _RULE["convictions"]),
    MapMeasure("conviction_rate", "Conviction rate", "share",
               "Convictions divided by convictions, acquittals and withdrawals, all dated in "
               "the period; no rate where none of those happened."),
    MapMeasure("people_trained", "People trained", "count", _RULE["people_trained"]),
    MapMeasure("outreach_participants", "Outreach participants", "count",
               _RULE["outreach_participants"]),
    MapMeasure("hotline_reports", "Hotline and referral-desk reports", "count",
               _RULE["hotline_reports"]),
)
