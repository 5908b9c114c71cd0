"""Queries behind the county map: one row per county in the reader's scope.

Every measure is counted per county in one statement: each fact table is grouped by its
county (a case's events carry their case's county) and joined onto the counties
reference table, so a county with nothing in the period is a row of zeros, not a gap.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from sqlalchemy import Engine, Select, case, distinct, func, select

from core.scope import Filters, Scope
from queries.overview import MEASURES
from queries.run import fetch
from queries.scoping import in_scope
from warehouse.schema import case_events, cases, counties, hotline_reports, outreach, trainings

# The conviction rate's denominator: cases decided or dropped after charge, in the period.
DECIDED = ("convicted", "acquitted", "withdrawn")

COUNTS = ("cases_reported", "charged", "convicted", "decided", "people_trained",
          "outreach_participants", "hotline_reports")
SCHEMA = {"county_code": pl.String, "county": pl.String, "population_2019": pl.Int64,
          **{c: pl.Int64 for c in COUNTS}}


def _grouped(stmt: Select, county, scope: Scope, filters: Filters, name: str):
    return in_scope(stmt.group_by(county), county, scope, filters).subquery(name)


def county_figures_stmt(scope: Scope, filters: Filters) -> Select:
    """county_code, county, population_2019 and the raw counts of COUNTS per county."""
    start, end = filters.start, filters.end
    reported = _grouped(
        select(cases.c.county_code.label("code"), func.count().label("n"))
        .where(cases.c.reported_on.between(start, end)),
        cases.c.county_code, scope, filters, "reported")
    stage = case_events.c.stage

    def tally(*stages):
        return func.sum(case((stage.in_(stages), 1), else_=0))

    events = _grouped(
        select(case_events.c.county_code.label("code"), tally("charged").label("charged"),
               tally("convicted").label("convicted"), tally(*DECIDED).label("decided"))
        .where(case_events.c.occurred_on.between(start, end))
        .where(stage.in_(("charged", *DECIDED))),
        case_events.c.county_code, scope, filters, "events")
    trained = _grouped(
        select(trainings.c.county_code.label("code"),
               func.count(distinct(trainings.c.participant_key)).label("n"))
        .where(trainings.c.held_on.between(start, end)),
        trainings.c.county_code, scope, filters, "trained")
    reached = _grouped(
        select(outreach.c.county_code.label("code"),
               func.sum(outreach.c.participants_female + outreach.c.participants_male)
               .label("n"))
        .where(outreach.c.held_on.between(start, end)),
        outreach.c.county_code, scope, filters, "reached")
    reports = _grouped(
        select(hotline_reports.c.county_code.label("code"), func.count().label("n"))
        .where(hotline_reports.c.received_on.between(start, end)),
        hotline_reports.c.county_code, scope, filters, "reports")
    code = counties.c.code
    joined = (counties.outerjoin(reported, reported.c.code == code)
              .outerjoin(events, events.c.code == code)
              .outerjoin(trained, trained.c.code == code)
              .outerjoin(reached, reached.c.code == code)
              .outerjoin(reports, reports.c.code == code))

    def zero(column):
        return func.coalesce(column, 0)

    stmt = select(
        code.label("county_code"), counties.c.name.label("county"), counties.c.population_2019,
        zero(reported.c.n).label("cases_reported"), zero(events.c.charged).label("charged"),
        zero(events.c.convicted).label("convicted"), zero(events.c.decided).label("decided"),
        zero(trained.c.n).label("people_trained"), zero(reached.c.n).label("outreach_participants"),
        zero(reports.c.n).label("hotline_reports"),
    ).select_from(joined).order_by(code)
    return in_scope(stmt, code, scope, filters)


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


_RULE = {m.id: m.counts for m in MEASURES}

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
               "Reports to the 116 helpline and the referral desks received in the period."),
)
