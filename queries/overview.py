"""Queries behind the overview page: headline figures and the monthly trend.

Each ``*_stmt`` builds one select() from a Scope and Filters; values are bound
parameters. The counting rules (what "charged in a period" means) are stated once,
in ``queries.measures``, and the page's help texts say the same in words.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import BigInteger, Engine, Select, case, cast, func, literal, select

from core.scope import Filters, Scope
from queries.measures import MEASURES, totals_stmt
from queries.run import fetch
from warehouse.constructs import month_key, quarter_key
from warehouse.reference import PROGRAMME_COUNTIES
from warehouse.schema import counties


def reported_stmt(scope: Scope, filters: Filters) -> Select:
    return MEASURES[0].total(scope, filters)


HEADLINE_SCHEMA = {"measure": pl.String, "current": pl.Int64}


def headline_stmt(scope: Scope, filters: Filters) -> Select:
    """One row per measure, in MEASURES order: its count for the period."""
    return totals_stmt(MEASURES, scope, filters)


def headline_counts(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """measure, current (withheld: null), current_withheld. The figures are different
    measures, not parts of one total, so each is withheld on its own."""
    df = fetch(engine, headline_stmt(scope, filters), scope, schema=HEADLINE_SCHEMA,
               counts=("current",), additive=False)
    order = {m.id: i for i, m in enumerate(MEASURES)}
    return df.sort(pl.col("measure").replace_strict(order, return_dtype=pl.Int64))


GRAINS = {"month": month_key, "quarter": quarter_key}
OTHER_COUNTIES = "Other counties"


def groups_other_counties(scope: Scope, filters: Filters) -> bool:
    return scope.counties is None and filters.counties is None


def reported_trend_stmt(scope: Scope, filters: Filters, grain: str) -> Select:
    """Cases reported per period and county. Counties outside the programme are summed into
    one "Other counties" row (before any suppression) unless the reader chose counties.
    Counted per county and day first (the cases_reported measure), then summed."""
    days = MEASURES[0].per_day(filters.start, filters.end, scope, filters).subquery("days")
    period = GRAINS[grain](days.c.day).label("period")
    if groups_other_counties(scope, filters):
        inside = days.c.county_code.in_(PROGRAMME_COUNTIES)
        code = case((inside, days.c.county_code), else_=literal("other")).label("county_code")
        name = case((inside, counties.c.name), else_=literal(OTHER_COUNTIES)).label("county")
    else:
        code, name = days.c.county_code.label("county_code"), counties.c.name.label("county")
    return (
        select(period, code, name, cast(func.sum(days.c.n), BigInteger).label("cases"))
        .select_from(days.join(counties, counties.c.code == days.c.county_code))
        .group_by(period, code, name)
        .order_by(period, code)
    )


TREND_SCHEMA = {"period": pl.String, "county_code": pl.String, "county": pl.String,
                "cases": pl.Int64}


def reported_trend(engine: Engine, scope: Scope, filters: Filters, grain: str) -> pl.DataFrame:
    """Cases reported per period ('YYYY-MM' or 'YYYY-Qn') and county; empty periods absent."""
    return fetch(engine, reported_trend_stmt(scope, filters, grain), scope,
                 schema=TREND_SCHEMA, counts=("cases",))
