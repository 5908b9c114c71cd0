"""Queries behind the overview page: headline figures and the monthly trend.

Each ``*_stmt`` builds one select() from a Scope and Filters; values are bound
parameters. The counting rules (what "charged in a period" means) are stated
once here, and the page's captions say the same in words (``MEASURES``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Engine, Select, case, distinct, func, literal, select, union_all

from core.scope import Filters, Scope
from queries.constructs import month_key, quarter_key
from queries.run import fetch
from queries.scoping import in_scope
from warehouse.reference import PROGRAMME_COUNTIES
from warehouse.schema import case_events, cases, counties, outreach, services, trainings


def reported_stmt(scope: Scope, filters: Filters) -> Select:
    stmt = select(func.count().label("n")).select_from(cases).where(
        cases.c.reported_on.between(filters.start, filters.end)
    )
    return in_scope(stmt, cases.c.county_code, scope, filters)


def _stage_stmt(stage: str, scope: Scope, filters: Filters) -> Select:
    stmt = (
        select(func.count().label("n"))
        .where(case_events.c.stage == stage)
        .where(case_events.c.occurred_on.between(filters.start, filters.end))
    )
    return in_scope(stmt, case_events.c.county_code, scope, filters)


def charged_stmt(scope: Scope, filters: Filters) -> Select:
    return _stage_stmt("charged", scope, filters)


def convicted_stmt(scope: Scope, filters: Filters) -> Select:
    return _stage_stmt("convicted", scope, filters)


def survivors_served_stmt(scope: Scope, filters: Filters) -> Select:
    stmt = select(func.count(distinct(services.c.case_key)).label("n")).where(
        services.c.provided_on.between(filters.start, filters.end)
    )
    return in_scope(stmt, services.c.county_code, scope, filters)


def people_trained_stmt(scope: Scope, filters: Filters) -> Select:
    stmt = select(func.count(distinct(trainings.c.participant_key)).label("n")).where(
        trainings.c.held_on.between(filters.start, filters.end)
    )
    return in_scope(stmt, trainings.c.county_code, scope, filters)


def outreach_participants_stmt(scope: Scope, filters: Filters) -> Select:
    total = func.coalesce(
        func.sum(outreach.c.participants_female + outreach.c.participants_male), 0
    )
    stmt = select(total.label("n")).where(outreach.c.held_on.between(filters.start, filters.end))
    return in_scope(stmt, outreach.c.county_code, scope, filters)


@dataclass(frozen=True)
class Measure:
    id: str
    label: str
    counts: str  # the counting rule in words, shown as the figure's help text
    build: Callable[[Scope, Filters], Select]


MEASURES = (
    Measure("cases_reported", "Cases reported",
            "Cases whose report date falls in the period.", reported_stmt),
    Measure("cases_charged", "Cases charged",
            "Cases that reached 'charged' on a date in the period.", charged_stmt),
    Measure("convictions", "Convictions",
            "Cases with a conviction recorded on a date in the period.", convicted_stmt),
    Measure("survivors_served", "Survivors served",
            "Survivors who received at least one service in the period.",
            survivors_served_stmt),
    Measure("people_trained", "People trained",
            "Different people who took part in a training, mentorship or technical "
            "assistance session in the period (counted once however many they attended).",
            people_trained_stmt),
    Measure("outreach_participants", "Outreach participants",
            "Attendance at community sessions in the period (a person at two sessions "
            "counts twice).", outreach_participants_stmt),
)

HEADLINE_SCHEMA = {"measure": pl.String, "current": pl.Int64}


def headline_stmt(scope: Scope, filters: Filters) -> Select:
    """One row per measure, in MEASURES order: its count for the period."""
    return union_all(*[
        select(literal(m.id).label("measure"), m.build(scope, filters).scalar_subquery()
               .label("current"))
        for m in MEASURES
    ])


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
    one "Other counties" row (before any suppression) unless the reader chose counties."""
    period = GRAINS[grain](cases.c.reported_on).label("period")
    if groups_other_counties(scope, filters):
        inside = cases.c.county_code.in_(PROGRAMME_COUNTIES)
        code = case((inside, cases.c.county_code), else_=literal("other")).label("county_code")
        name = case((inside, counties.c.name), else_=literal(OTHER_COUNTIES)).label("county")
    else:
        code, name = cases.c.county_code.label("county_code"), counties.c.name.label("county")
    stmt = (
        select(period, code, name, func.count().label("cases"))
        .select_from(cases.join(counties))
        .where(cases.c.reported_on.between(filters.start, filters.end))
        .group_by(period, code, name)
        .order_by(period, code)
    )
    return in_scope(stmt, cases.c.county_code, scope, filters)


TREND_SCHEMA = {"period": pl.String, "county_code": pl.String, "county": pl.String,
                "cases": pl.Int64}


def reported_trend(engine: Engine, scope: Scope, filters: Filters, grain: str) -> pl.DataFrame:
    """Cases reported per period ('YYYY-MM' or 'YYYY-Qn') and county; empty periods absent."""
    return fetch(engine, reported_trend_stmt(scope, filters, grain), scope,
                 schema=TREND_SCHEMA, counts=("cases",))
