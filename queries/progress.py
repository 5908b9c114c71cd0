"""Queries behind the case progress page, the court view (figures contract, page ``progress``).

The caseload figures read every case in scope whenever it was reported (``open`` as
``queries.milestones`` defines it); hearings and services count the rows dated in the
period; the time to a first service follows the period's cohort. Each reader function
runs its select through ``queries.run.fetch`` and returns every row of its table.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import (
    Engine,
    Integer,
    Select,
    case,
    cast,
    distinct,
    func,
    literal,
    select,
    union_all,
)

from core.periods import key_end, period_keys
from core.scope import Filters, Scope
from metrics.progress import TESTIFIED
from metrics.tables import complete
from queries import milestones as ms
from queries import open_cases
from queries.constructs import days_between, month_key
from queries.counting import as_rows, count_if
from queries.percentiles import MEDIAN, percentiles
from queries.run import fetch
from queries.scoping import in_scope
from warehouse import vocab
from warehouse.schema import case_milestones, court_stations, hearing_days, hearings, services

# The Judiciary's backlog buckets: (code, the first age in days that no longer fits).
AGE_BUCKETS = (("under_6_months", 183), ("6_to_12_months", 365), ("1_to_3_years", 1096),
               ("over_3_years", None))
ANY_MEASURE = "any"
MEASURES = (ANY_MEASURE, *vocab.TESTIMONY_MEASURES)


def month_ends(filters: Filters) -> list[tuple[str, date]]:
    """Every month overlapping the period, with the day its pending count is taken on:
    the month's last day, or the period's end for the last month."""
    return [(k, min(key_end(k), filters.end))
            for k in period_keys(filters.start, filters.end, "month")]


def pending_by_month_stmt(scope: Scope, filters: Filters) -> Select:
    """Cases open at each month's end, every month of the period in order.

    Open on D means opened by D and not closed by D (``queries.milestones.closed_from``),
    so the count at each month's end is the running total of the cases opened less the
    cases closed up to it: one pass over the cases, however many months. Each case is put
    in the month from whose count on it counts (the first month for anything on or before
    the first day counted)."""
    days = month_ends(filters)
    (first_key, first_day), end = days[0], filters.end

    def month_of(column):
        return case((column <= ms.day(first_day), literal(first_key)), else_=month_key(column))

    m = case_milestones.c
    opened = select(month_of(m.reported_on).label("month"), literal(1).label("change")
                    ).where(m.reported_on <= ms.day(end))
    closed = select(month_of(ms.closed_from()).label("month"), literal(-1).label("change")
                    ).where(m.reported_on <= ms.day(end), m.terminal_on <= ms.day(end))
    changes = union_all(*[ms.in_scope_cases(s.select_from(case_milestones), scope, filters)
                          for s in (opened, closed)]).subquery("changes")
    per_month = (select(changes.c.month, func.sum(changes.c.change).label("change"))
                 .group_by(changes.c.month).subquery("per_month"))
    grid = union_all(*[select(literal(k).label("month"), literal(i).label("i"))
                       for i, (k, _) in enumerate(days)]).subquery("months")
    running = func.sum(func.coalesce(per_month.c.change, 0)).over(order_by=grid.c.i)
    return (select(grid.c.month, cast(running, Integer).label("pending"))
            .select_from(grid.outerjoin(per_month, per_month.c.month == grid.c.month))
            .order_by(grid.c.i))


def pending_age_stmt(scope: Scope, filters: Filters) -> Select:
    """Cases open on the as-of date by age (as-of date - report date, in days), every bucket
    in order: a few sums over maintained counts (``queries.open_cases``)."""
    return open_cases.by_age_stmt(AGE_BUCKETS, filters.as_of, scope, filters)


def _hearings(stmt: Select, scope: Scope, filters: Filters) -> Select:
    stmt = stmt.where(hearings.c.hearing_on.between(filters.start, filters.end))
    return in_scope(stmt, hearings.c.county_code, scope, filters)


ADJOURNED = hearings.c.status == "adjourned"


def adjournments_stmt(scope: Scope, filters: Filters) -> Select:
    month = month_key(hearings.c.hearing_on).label("month")
    stmt = (select(month, func.count().label("hearings"), count_if(ADJOURNED).label("adjourned"))
            .group_by(month))
    return _hearings(stmt, scope, filters)


def adjournment_reasons_stmt(scope: Scope, filters: Filters) -> Select:
    reason = hearings.c.adjournment_reason
    stmt = (select(reason.label("reason"), func.count().label("hearings"))
            .where(ADJOURNED).group_by(reason))
    return _hearings(stmt, scope, filters)


def adjournments_by_station_stmt(scope: Scope, filters: Filters) -> Select:
    name = court_stations.c.name
    stmt = (select(name.label("court_station"), func.count().label("hearings"),
                   count_if(ADJOURNED).label("adjourned"))
            .select_from(hearings.join(court_stations)).group_by(name).order_by(name))
    return _hearings(stmt, scope, filters)


def testimony_stmt(scope: Scope, filters: Filters) -> Select:
    """Hearings in the period where the survivor testified (``testified``), and of those
    the ones that used each measure and any measure: summed from their counts per county
    and day (``hearing_days``, maintained from the hearings)."""
    d = hearing_days.c
    columns = {TESTIFIED: d.testified, ANY_MEASURE: d.any_measure,
               **{m: d[m] for m in vocab.TESTIMONY_MEASURES}}
    stmt = (select(*[func.coalesce(func.sum(c), 0).label(name) for name, c in columns.items()])
            .where(d.hearing_on.between(filters.start, filters.end)))
    return as_rows(in_scope(stmt, d.county_code, scope, filters), "measure", "hearings",
                   (TESTIFIED, *MEASURES))


def services_stmt(scope: Scope, filters: Filters) -> Select:
    """Different cases (survivors) that received each service in the period."""
    s = services.c
    stmt = (select(s.service, func.count(distinct(s.case_key)).label("survivors"))
            .where(s.provided_on.between(filters.start, filters.end)).group_by(s.service))
    return in_scope(stmt, s.county_code, scope, filters)


def time_to_service_stmt(scope: Scope, filters: Filters) -> Select:
    """Cohort cases with a service by the as-of date, and the median days from their
    report to their first service."""
    m = case_milestones.c
    values = ms.cohort_select(days_between(m.reported_on, m.first_service_on).label("days"),
                              scope=scope, filters=filters
                              ).where(m.first_service_on <= ms.day(filters.as_of))
    return percentiles(values.subquery("first_services"), "days",
                       fractions={"median_days": MEDIAN})


# --- the tables, through fetch ----------------------------------------------------------

def pending_by_month(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """month, pending (+ pending_withheld): every month of the period."""
    df = fetch(engine, pending_by_month_stmt(scope, filters), scope,
               schema={"month": pl.String, "pending": pl.Int64}, counts=("pending",),
               additive=False)
    return complete(df, "month", [k for k, _ in month_ends(filters)], zeros=("pending",))


def pending_age(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """bucket, cases (+ cases_withheld): every bucket, youngest first."""
    df = fetch(engine, pending_age_stmt(scope, filters), scope,
               schema={"bucket": pl.String, "cases": pl.Int64}, counts=("cases",))
    return complete(df, "bucket", [code for code, _ in AGE_BUCKETS], zeros=("cases",))


def adjournments(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """month, hearings, adjourned (+ their ``_withheld``): every month of the period."""
    counts = ("hearings", "adjourned")
    df = fetch(engine, adjournments_stmt(scope, filters), scope,
               schema={"month": pl.String, "hearings": pl.Int64, "adjourned": pl.Int64},
               counts=counts)
    return complete(df, "month", [k for k, _ in month_ends(filters)], zeros=counts)


def adjournment_reasons(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """reason, hearings (+ hearings_withheld): every reason."""
    df = fetch(engine, adjournment_reasons_stmt(scope, filters), scope,
               schema={"reason": pl.String, "hearings": pl.Int64}, counts=("hearings",))
    return complete(df, "reason", list(vocab.ADJOURNMENT_REASONS), zeros=("hearings",))


def adjournments_by_station(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """court_station, hearings, adjourned (+ their ``_withheld``): the stations that heard
    a case in scope in the period, by name."""
    return fetch(engine, adjournments_by_station_stmt(scope, filters), scope,
                 schema={"court_station": pl.String, "hearings": pl.Int64,
                         "adjourned": pl.Int64},
                 counts=("hearings", "adjourned"))


def testimony(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """measure, hearings (+ hearings_withheld), with the ``testified`` row first."""
    return fetch(engine, testimony_stmt(scope, filters), scope,
                 schema={"measure": pl.String, "hearings": pl.Int64}, counts=("hearings",),
                 additive=False)


def services_received(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """service, survivors (+ survivors_withheld): every service. A survivor may receive
    several, so the rows do not add up to anything shown."""
    df = fetch(engine, services_stmt(scope, filters), scope,
               schema={"service": pl.String, "survivors": pl.Int64}, counts=("survivors",),
               additive=False)
    return complete(df, "service", list(vocab.SERVICES), zeros=("survivors",))


def time_to_service(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """cases, median_days (+ cases_withheld): one row."""
    return fetch(engine, time_to_service_stmt(scope, filters), scope,
                 schema={"cases": pl.Int64, "median_days": pl.Float64}, counts=("cases",),
                 additive=False)


# --- the rules in words: the page's help texts say what the statements above count -----
# ``{as_of}`` is the as-of date in words.
RULES = {
    "pending_by_month": (
        "Every case in the counties chosen, whenever reported, that was open at the end of "
        "each month (on the period's last day, for a month still under way): reported on "
        "or before that day, with no conviction, acquittal, withdrawal or closure dated on "
        "or before it."),
    "pending_age": (
        "Cases open on {as_of}, by the time since their report: under 6 months (under 183 "
        "days), 6–12 months (183–364 days), 1–3 years (365–1,095 days), over 3 years "
        "(1,096 days or more): the Judiciary's backlog buckets."),
    "adjournments": (
        "Court dates of the cases in the counties chosen held in the period; the "
        "adjournment rate is the adjourned ones divided by all of them (empty for a month "
        "without hearings)."),
    "adjournments_by_station": (
        "The same hearings by the court station that held them."),
    "adjournment_reasons": "Adjourned hearings in the period by the reason recorded.",
    "testimony": (
        "Of the hearings in the period at which the survivor testified, the share that "
        "used each protective measure, and at least one of them ('any')."),
    "services": (
        "Survivors (different cases) who received each service in the period; a survivor "
        "who received several services counts under each."),
    "time_to_service": (
        "Cases reported in the period that had received a service by {as_of}, and the "
        "median days from the report to the first service."),
}
