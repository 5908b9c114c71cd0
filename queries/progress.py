"""Queries behind the case progress page, the court view (figures contract, page ``progress``).

The caseload figures read every case in scope whenever it was reported (``open`` as
``queries.milestones`` defines it); hearings and services count the rows dated in the
period. They read the summaries maintained at load time (``warehouse.maintained_progress``:
hearings and the caseload's changes by county and day, service days), never a row per
hearing; the time to a first service follows the period's cohort. Each reader function
runs its select through ``queries.run.fetch`` and returns every row of its table.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from sqlalchemy import (
    ColumnElement,
    Engine,
    Integer,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)

from core.periods import key_end, period_keys
from core.scope import Filters, Scope
from metrics.progress import TESTIFIED
from metrics.tables import complete
from queries import milestones as ms
from queries.by_month import Split
from queries.cells import ALL, Scopes, scopes_of, split_scopes
from queries.counting import as_rows, count_if
from queries.funnel import intervals_stmt, plan
from queries.run import fetch
from queries.scoping import in_scope
from warehouse import vocab
from warehouse.constructs import month_key
from warehouse.maintained_cohort import FIRST_SERVICE
from warehouse.schema import (
    case_milestones,
    caseload_days,
    closed_case_months,
    court_stations,
    hearing_days,
    service_days,
)

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
    cases closed up to it, read from the caseload's changes by county and day
    (``caseload_days``): one pass over them, however many months. Each day is put in the
    month from whose count on it counts (the first month for anything on or before the
    first day counted)."""
    days = month_ends(filters)
    (first_key, first_day), end = days[0], filters.end
    c = caseload_days.c
    month = case((c.day <= ms.day(first_day), literal(first_key)),
                 else_=month_key(c.day)).label("month")
    per_month = in_scope(
        select(month, func.sum(c.opened - c.closed).label("change"))
        .where(c.day <= ms.day(end)).group_by(month), c.county_code, scope, filters,
    ).subquery("per_month")
    grid = union_all(*[select(literal(k).label("month"), literal(i).label("i"))
                       for i, (k, _) in enumerate(days)]).subquery("months")
    running = func.sum(func.coalesce(per_month.c.change, 0)).over(order_by=grid.c.i)
    return (select(grid.c.month, cast(running, Integer).label("pending"))
            .select_from(grid.outerjoin(per_month, per_month.c.month == grid.c.month))
            .order_by(grid.c.i))


def _younger_than(day, as_of: date, limit: int) -> ColumnElement:
    """A case reported on ``day`` is under ``limit`` days old on ``as_of`` when ``day`` is
    after as_of - limit days."""
    return day > ms.day(as_of - timedelta(days=limit))


def pending_age_stmt(scope: Scope, filters: Filters) -> Select:
    """Cases open on the as-of date by age (as-of date - report date, in days): rows of
    ``pending_age_wide``."""
    return as_rows(pending_age_wide(scope, filters), "bucket", "cases",
                   [code for code, _ in AGE_BUCKETS])


def pending_age_wide(scope: Scope, filters: Filters) -> Select:
    """Cases open on the as-of date by age (as-of date - report date, in days), a column
    per bucket: ``open_by_age_stmt`` on that one day."""
    rows = open_by_age_stmt(scope, [("as_of", filters.as_of)],
                            scopes_of([ALL], filters.counties)).subquery("open_by_age").c
    # One row, with or without an open case.
    return select(*[func.coalesce(func.max(rows[code]), 0).label(code)
                    for code, _ in AGE_BUCKETS])


def open_by_age_stmt(scope: Scope, days: list[tuple[str, date]], scopes: Scopes) -> Select:
    """key, county_scope and a column per age bucket: the cases open on each of ``days``
    (key, day) in each county scope (``queries.cells``: a scope reading counties together,
    or a county each), by age (the day - the report date, in days); a scope with no
    open case on a day may have no row.

    Open on D: reported by D, and either never closed (counted by report day in
    ``caseload_days``) or with a terminal event after D. Those that end after D are counted
    from ``closed_case_months`` for the months after D's (a few rows per county and report
    day) and case by case for the rest of D's own month (none when D is a month's last day,
    as every quarter end of the indicators' trend is).

    Every day is counted from one pass over each table, however many days: each row is
    put in the stretch between two of the dates that matter (each day D, and D less each
    bucket's limit) and, for a case closed later, before which day's month it closed; the
    few sums per stretch are then added up for each day (an open case is counted on every
    day from its report to its end, and under a limit on the days less than that limit
    after its report)."""
    limits = [limit for _, limit in AGE_BUCKETS if limit]
    days = sorted(days, key=lambda d: d[1])
    # The dates that matter, in order; a row's stretch is the index of the first one on or
    # after its date.
    cuts = sorted({d for _, on in days for d in (on, *(on - timedelta(days=x) for x in limits))})
    at = {d: i for i, d in enumerate(cuts)}
    months = [f"{on:%Y-%m}" for _, on in days]
    grid = union_all(*[
        select(literal(key).label("key"), literal(i).label("i"),
               literal(at[on]).label("upto"),
               *[literal(at[on - timedelta(days=x)]).label(f"after_{x}") for x in limits])
        for i, (key, on) in enumerate(days)]).subquery("days")
    c, k = caseload_days.c, closed_case_months.c
    together, alone = split_scopes(scopes)

    def per_stretch(build, county):
        """``build(label)`` for each scope, limited to its counties and grouped by its
        stretches (and by county for the counties that are a scope each)."""
        parts = [in_scope(build(literal(label)), county, scope,
                          Filters(cuts[0], cuts[-1], counties, as_of=cuts[-1]))
                 for label, counties in together]
        if alone:
            parts.append(in_scope(build(county), county, scope,
                                  Filters(cuts[0], cuts[-1], alone, as_of=cuts[-1]))
                         .group_by(county))
        return parts

    def summed(pre, still_open=None):
        """The stretches' sums ``pre`` (s, county_scope, n[, t]) added up for each day."""
        def on_day(condition):
            if still_open is not None:
                condition = and_(condition, still_open(pre.c))
            return func.coalesce(func.sum(case((condition, pre.c.n))), 0)
        g = grid.c
        return (select(g.key, pre.c.county_scope,
                       on_day(pre.c.s <= g.upto).label("open"),
                       *[on_day(and_(pre.c.s <= g.upto, pre.c.s > g[f"after_{x}"]))
                         .label(f"under_{x}") for x in limits])
                .select_from(grid.join(pre, true())).group_by(g.key, pre.c.county_scope))

    never = union_all(*[p.group_by("s") for p in per_stretch(
        lambda label: select(_index(c.day, [ms.day(d) for d in cuts]).label("s"),
                             label.label("county_scope"), func.sum(c.never_closed).label("n"))
        .where(c.day <= ms.day(cuts[-1])), c.county_code)]).subquery("never_closed")
    # A case closed in a later month than D's is open on D: t is how many of the days' months
    # are before its terminal month, so it is open on the days of index under t. The county
    # is checked on each row, not looked up by an index that starts with it (through
    # coalesce, a no-op on a required column): SQLite would otherwise read every report day
    # of the county instead of the months that end after the first day.
    later = union_all(*[p.group_by("s", "t") for p in per_stretch(
        lambda label: select(_index(k.reported_on, [ms.day(d) for d in cuts]).label("s"),
                             _index(k.terminal_month, months, past=True).label("t"),
                             label.label("county_scope"), func.sum(k.cases).label("n"))
        .where(k.terminal_month > months[0], k.reported_on <= ms.day(cuts[-1])),
        func.coalesce(k.county_code, k.county_code))]).subquery("closed_after_the_month")
    parts = [summed(never),
             summed(later, lambda r: r.t > grid.c.i)]
    # Cases closed later in the month of a day that is not its month's last day.
    m = case_milestones.c
    for key, on in days:
        if on == _month_end(on):
            continue
        parts += per_stretch(
            lambda label, on=on, key=key: select(
                literal(key).label("key"), label.label("county_scope"),
                func.count().label("open"),
                *[count_if(_younger_than(m.reported_on, on, x)).label(f"under_{x}")
                  for x in limits])
            .where(m.terminal_on > ms.day(on), m.terminal_on <= ms.day(_month_end(on)),
                   m.reported_on <= ms.day(on)), func.coalesce(m.county_code, m.county_code))
    rows = union_all(*parts).subquery("open_parts")
    total = {name: func.sum(rows.c[name]) for name in ["open", *[f"under_{x}" for x in limits]]}
    buckets, younger = [], None
    for code, limit in AGE_BUCKETS:
        upto = total["open" if limit is None else f"under_{limit}"]
        buckets.append(cast(upto if younger is None else upto - younger, Integer).label(code))
        younger = upto
    return (select(rows.c.key, rows.c.county_scope, *buckets)
            .group_by(rows.c.key, rows.c.county_scope))


def _index(value: ColumnElement, cuts: list, *, past: bool = False) -> ColumnElement:
    """The index of the first of ``cuts`` (in order) on or after ``value``, found by halves
    (a few comparisons a row, however many cuts); with ``past``, ``len(cuts)`` for a value
    after them all (else the value must not be)."""
    def node(lo: int, hi: int) -> ColumnElement:
        if lo == hi:
            return literal(lo)
        mid = (lo + hi) // 2
        return case((value <= cuts[mid], node(lo, mid)), else_=node(mid + 1, hi))
    if past:
        return case((value <= cuts[-1], node(0, len(cuts) - 1)), else_=literal(len(cuts)))
    return node(0, len(cuts) - 1)


def _month_end(day: date) -> date:
    return key_end(day.strftime("%Y-%m"))


def _hearings(stmt: Select, scope: Scope, filters: Filters) -> Select:
    stmt = stmt.where(hearing_days.c.hearing_on.between(filters.start, filters.end))
    return in_scope(stmt, hearing_days.c.county_code, scope, filters)


H = hearing_days.c
HEARINGS = cast(func.sum(H.hearings), Integer)
ADJOURNED = cast(func.coalesce(func.sum(case((H.adjournment_reason.is_not(None), H.hearings))),
                               0), Integer)


def adjournments_stmt(scope: Scope, filters: Filters) -> Select:
    month = month_key(H.hearing_on).label("month")
    stmt = (select(month, HEARINGS.label("hearings"), ADJOURNED.label("adjourned"))
            .group_by(month))
    return _hearings(stmt, scope, filters)


def adjournment_reasons_stmt(scope: Scope, filters: Filters) -> Select:
    reason = H.adjournment_reason
    stmt = (select(reason.label("reason"), HEARINGS.label("hearings"))
            .where(reason.is_not(None)).group_by(reason))
    return _hearings(stmt, scope, filters)


def adjournments_by_station_stmt(scope: Scope, filters: Filters) -> Select:
    # Counted by station id first (one pass over the summary), then named.
    per_station = _hearings(
        select(H.court_station_id, HEARINGS.label("hearings"), ADJOURNED.label("adjourned"))
        .group_by(H.court_station_id), scope, filters).subquery("per_station")
    name = court_stations.c.name
    return (select(name.label("court_station"), per_station.c.hearings,
                   per_station.c.adjourned)
            .select_from(per_station.join(court_stations,
                                          court_stations.c.id == per_station.c.court_station_id))
            .order_by(name))


def testimony_stmt(scope: Scope, filters: Filters) -> Select:
    """Hearings in the period where the survivor testified (``testified``), and of those
    the ones that used each measure and any measure: rows of ``testimony_wide``."""
    return as_rows(testimony_wide(scope, filters), "measure", "hearings",
                   (TESTIFIED, *MEASURES))


def testimony_wide(scope: Scope, filters: Filters) -> Select:
    """``testimony_stmt``'s counts, a column each."""
    def total(column):
        return cast(func.coalesce(func.sum(column), 0), Integer)
    stmt = select(
        total(H.testified).label(TESTIFIED),
        total(H.testified_any_measure).label(ANY_MEASURE),
        *[total(H[f"testified_{m}"]).label(m) for m in vocab.TESTIMONY_MEASURES],
    )
    return _hearings(stmt, scope, filters)


def services_stmt(scope: Scope, filters: Filters) -> Select:
    """Different cases (survivors) that received each service in the period: each counted
    on its first day of that service in the period (no earlier day of it in the period)."""
    s = service_days.c
    first_in_period = or_(s.previous_on.is_(None), s.previous_on < ms.day(filters.start))
    stmt = (select(s.service, func.count().label("survivors"))
            .where(s.provided_on.between(filters.start, filters.end), first_in_period)
            .group_by(s.service))
    return in_scope(stmt, s.county_code, scope, filters)


def time_to_service_stmt(scope: Scope, filters: Filters, split: Split) -> Select:
    """Cohort cases with a service by the as-of date, and the median days from their
    report to their first service (whole months from the cohort's duration summary, as
    the funnel's intervals: ``queries.funnel.plan``)."""
    c = intervals_stmt(scope, filters, split, (FIRST_SERVICE,)).subquery("first_service").c
    # One row, with or without a case (then 0 and no median).
    return select(func.coalesce(func.max(c.cases), 0).label("cases"),
                  func.max(c.median_days).label("median_days"))


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
    split = plan(engine, scope, filters)
    return fetch(engine, time_to_service_stmt(scope, filters, split), scope,
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
