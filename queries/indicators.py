"""Queries behind the indicators that no page counted before, the drill-downs by a
measure's own columns, and the targets.

Counted indicators are counted by their measure (``queries.measures``, one definition);
these statements add only what no measure or page holds: consent documented, and a
measure's count split by one of its table's columns.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine, Integer, Select, cast, func, select

from core.scope import Filters, Scope
from queries.counting import count_if
from queries.measures import Measure, totals_stmt
from queries.run import connected, fetch
from queries.scoping import in_scope
from warehouse.schema import caseload_days, cases, outreach, targets


def totals(engine: Engine, scope: Scope, filters: Filters,
           measures: tuple[Measure, ...]) -> dict[str, int]:
    """{measure id: its total over the period and counties}."""
    df = fetch(engine, totals_stmt(measures, scope, filters), scope,
               schema={"measure": pl.String, "current": pl.Int64})
    return dict(df.iter_rows())


def split_stmt(measure: Measure, column: str, scope: Scope, filters: Filters) -> Select:
    """value, n: the measure counted per value of one of its table's columns."""
    stmt = measure.grouped({"value": measure.table.c[column]}, filters.start, filters.end,
                           by=column)
    return in_scope(stmt, measure.county_column, scope, filters).order_by("value")


def split(engine: Engine, scope: Scope, filters: Filters, measure: Measure,
          column: str) -> pl.DataFrame:
    return fetch(engine, split_stmt(measure, column, scope, filters), scope,
                 schema={"value": pl.String, "n": pl.Int64})


def attendance_by_sex_stmt(scope: Scope, filters: Filters) -> Select:
    """Female and male attendance at outreach sessions in the period (one row)."""
    o = outreach.c
    stmt = select(func.coalesce(func.sum(o.participants_female), 0).label("female"),
                  func.coalesce(func.sum(o.participants_male), 0).label("male")
                  ).where(o.held_on.between(filters.start, filters.end))
    return in_scope(stmt, o.county_code, scope, filters)


def attendance_by_sex(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """value ('female', 'male'), n."""
    row = fetch(engine, attendance_by_sex_stmt(scope, filters), scope,
                schema={"female": pl.Int64, "male": pl.Int64}).row(0, named=True)
    return pl.DataFrame({"value": list(row), "n": list(row.values())},
                        schema={"value": pl.String, "n": pl.Int64})


def consent_stmt(scope: Scope, filters: Filters, by: str | None = None) -> Select:
    """Cases reported in the period (``cases``) and those with consent documented
    (``documented``; a consent not recorded is not documented), optionally per value of a
    column of ``cases``. The totals are sums over the cases reported per county and day
    (``caseload_days``, maintained from the same cases): a few rows a day instead of a row
    per case."""
    if by is None:
        d = caseload_days.c
        stmt = (select(cast(func.coalesce(func.sum(d.opened), 0), Integer).label("cases"),
                       cast(func.coalesce(func.sum(d.consent_documented), 0), Integer)
                       .label("documented"))
                .where(d.day.between(filters.start, filters.end)))
        return in_scope(stmt, d.county_code, scope, filters)
    c = cases.c
    stmt = (select(c[by].label("value"), func.count().label("cases"),
                   count_if(c.consent_documented.is_(True)).label("documented"))
            .where(c.reported_on.between(filters.start, filters.end))
            .group_by(c[by]).order_by(c[by]))
    return in_scope(stmt, c.county_code, scope, filters)


def consent(engine: Engine, scope: Scope, filters: Filters, by: str | None = None
            ) -> pl.DataFrame:
    """(value,) cases, documented."""
    schema = ({"value": pl.String} if by else {}) | {"cases": pl.Int64, "documented": pl.Int64}
    return fetch(engine, consent_stmt(scope, filters, by), scope, schema=schema)


def targets_stmt(codes: tuple[str, ...], periods: list[str], scopes: list[str]) -> Select:
    t = targets.c
    return (select(t.indicator_code, t.period, t.county_scope, t.target)
            .where(t.indicator_code.in_(codes), t.period.in_(periods),
                   t.county_scope.in_(scopes))
            .order_by(t.indicator_code, t.period, t.county_scope))


TARGETS_SCHEMA = {"indicator_code": pl.String, "period": pl.String, "county_scope": pl.String,
                  "target": pl.Float64}


def target_rows(engine: Engine, codes: tuple[str, ...], periods: list[str],
                scopes: list[str]) -> pl.DataFrame:
    """The targets set for those indicators, periods ('2025-Q3', '2025') and county scopes
    (codes or 'ALL'). A target is the plan's number, not a count of anyone's data, so every
    reader may see it and it needs no disclosure control."""
    with connected(engine) as conn:
        rows = conn.execute(targets_stmt(codes, periods, scopes)).all()
    return pl.DataFrame([tuple(r) for r in rows], schema=TARGETS_SCHEMA, orient="row")
