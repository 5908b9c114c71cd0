"""Queries behind the outreach and referrals page.

Outreach sessions and hotline (116 and referral-desk) reports belong to their own county;
cases to the county they were reported in. Participants are attendance: a person at two
sessions counts twice, so participants are summed, never de-duplicated.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import BigInteger, Engine, Select, cast, func, select

from core.scope import Filters, Scope, effective_counties
from queries import by_month
from queries.by_month import Kept, Split, rows
from queries.measures import BY_ID, Measure
from queries.run import fetch
from queries.scoping import in_scope
from warehouse.constructs import month_key
from warehouse.maintained_hotline import hotline_select
from warehouse.schema import hotline_months, hotline_reports, outreach, sub_counties

o, h = outreach.c, hotline_reports.c
HOTLINE = Kept(hotline_months, "received_month", h.received_on, h.county_code)
ATTENDANCE = (func.count().label("sessions"),
              func.sum(o.participants_female).label("participants_female"),
              func.sum(o.participants_male).label("participants_male"))
ATTENDANCE_SCHEMA = {"sessions": pl.Int64, "participants_female": pl.Int64,
                     "participants_male": pl.Int64}
ATTENDANCE_COUNTS = tuple(ATTENDANCE_SCHEMA)


def sessions_stmt(scope: Scope, filters: Filters) -> Select:
    """Sessions held in the period and their participants, by county and audience."""
    stmt = (select(o.county_code, o.audience, *ATTENDANCE)
            .where(o.held_on.between(filters.start, filters.end))
            .group_by(o.county_code, o.audience).order_by(o.county_code, o.audience))
    return in_scope(stmt, o.county_code, scope, filters)


def sessions(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    return fetch(engine, sessions_stmt(scope, filters), scope,
                 schema={"county_code": pl.String, "audience": pl.String, **ATTENDANCE_SCHEMA},
                 counts=ATTENDANCE_COUNTS)


def sessions_by_month_stmt(scope: Scope, filters: Filters) -> Select:
    """Sessions and participants by month, county, sub-county (its name; null when not
    recorded) and audience."""
    month = month_key(o.held_on).label("month")
    keys = (month, o.county_code, sub_counties.c.name.label("sub_county"), o.audience)
    stmt = (select(*keys, *ATTENDANCE)
            .select_from(outreach.outerjoin(sub_counties, sub_counties.c.id == o.sub_county_id))
            .where(o.held_on.between(filters.start, filters.end))
            .group_by(*keys).order_by(*keys))
    return in_scope(stmt, o.county_code, scope, filters)


def sessions_by_month(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    return fetch(engine, sessions_by_month_stmt(scope, filters), scope,
                 schema={"month": pl.String, "county_code": pl.String, "sub_county": pl.String,
                         "audience": pl.String, **ATTENDANCE_SCHEMA},
                 counts=ATTENDANCE_COUNTS)


def hotline_stmt(scope: Scope, filters: Filters, split: Split) -> Select:
    """Reports received in the period by county, category, channel and where they were
    referred; ``linked_to_case``: those whose case key matches a case in the warehouse.
    Summed from ``hotline_months`` for the whole months of the period, and from the
    reports themselves for the days left over (``queries.by_month``)."""
    r = rows(HOTLINE, split, effective_counties(scope, filters), hotline_select, "hotline").c
    keys = (r.county_code, r.category, r.channel, r.referred_to)
    return (select(*keys, *[cast(func.sum(r[n]), BigInteger).label(n)
                            for n in ("reports", "linked_to_case")])
            .group_by(*keys).order_by(*keys))


def hotline(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    split = by_month.split(engine, filters.start, filters.end, h.received_on, h.county_code,
                           effective_counties(scope, filters))
    return fetch(engine, hotline_stmt(scope, filters, split), scope,
                 schema={"county_code": pl.String, "category": pl.String, "channel": pl.String,
                         "referred_to": pl.String, "reports": pl.Int64,
                         "linked_to_case": pl.Int64},
                 counts=("reports", "linked_to_case"))


def _monthly(measure: Measure, scope: Scope, filters: Filters) -> Select:
    """The measure per month and county, summed from its counts per county and day."""
    days = measure.per_day(filters.start, filters.end, scope, filters).subquery("days")
    month = month_key(days.c.day).label("month")
    return (select(month, days.c.county_code, cast(func.sum(days.c.n), BigInteger).label("n"))
            .group_by(month, days.c.county_code).order_by(month, days.c.county_code))


# Each counted by its one definition (queries.measures).
MONTHLY = {name: BY_ID[name]
           for name in ("outreach_participants", "hotline_reports", "cases_reported")}


def monthly(engine: Engine, scope: Scope, filters: Filters) -> dict[str, pl.DataFrame]:
    """Each measure of MONTHLY by month and county (months without any absent); each is
    withheld on its own, as the three are different things."""
    return {name: fetch(engine, _monthly(measure, scope, filters), scope,
                        schema={"month": pl.String, "county_code": pl.String, "n": pl.Int64},
                        counts=("n",))
            for name, measure in MONTHLY.items()}
