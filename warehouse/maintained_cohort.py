"""The funnel's cohort summaries, by county and report month, maintained from the milestones.

Each summary is one select over ``case_milestones`` that takes the day its cases are
followed to (``on``), written with the figures' own rules (``warehouse.standing``). The
tables hold it as of the end of time (``END_OF_TIME``: every event the cases have so far),
which is how the cases stood on any as-of day after the latest day one of them reached a
stage or ended (``cohort_months.latest_on``). The funnel (``queries.funnel``) reads them
for the whole months of its period when that holds, and the milestones as of its as-of day
for the days left over (the breakdown and the durations through these same selects, one
row per case, ``by_month=False``); when it does not, the milestones case by case.

- ``cohort_months``: cases by latest stage reached, terminal stage and, while open, the day
  they reached their stage (the funnel, the exits and the pending cases' waiting time).
- ``cohort_attribute_months``: reported, charged and convicted by each attribute.
- ``cohort_duration_months``: cases by interval and number of days (the funnel's intervals
  between stages, and the progress page's from report to first service).

Refreshed like ``warehouse.maintained_progress``: every county and month the touched
cases were reported in, before and after the load, is counted again in full.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    case,
    func,
    literal,
    select,
    union_all,
)

from warehouse import maintained_progress as progress
from warehouse import standing as st
from warehouse.constructs import days_between, keys_in, latest_of, month_key
from warehouse.schema import (
    case_milestones,
    cohort_attribute_months,
    cohort_duration_months,
    cohort_months,
)

m = case_milestones.c

# Interval -> (from stage, to stage).
INTERVALS = {
    "report_to_charge": ("reported", "charged"),
    "charge_to_judgment": ("charged", "judgment"),
    "report_to_judgment": ("reported", "judgment"),
}
# The progress page's interval from report to first service: kept in the same summary, not
# one of the funnel's (a service is not a stage).
FIRST_SERVICE = "report_to_service"
# Dimension of the cohort's breakdown -> its column (the case's attributes are copied onto
# its milestones).
DIMENSIONS = {
    "county": m.county_code,
    "offence": m.offence,
    "victim_age_band": m.victim_age_band,
    "victim_sex": m.victim_sex,
    "referral_source": m.referral_source,
}
# The breakdown's counts -> the stage the case had reached.
BREAKDOWN_COUNTS = {"reported": "reported", "charged": "charged", "convicted": st.CONVICTED}


def _latest() -> ColumnElement:
    """The latest day the case reached a stage, ended or was first served (its report day
    at least): every summary here holds the case as it stood after that day."""
    dates = ([st.reached_on(s) for s in st.REACHED_COLUMNS.values()]
             + [m.terminal_on, m.first_service_on])
    return latest_of(m.reported_on, *[func.coalesce(d, m.reported_on) for d in dates])


def _chosen(where: Sequence[ColumnElement]):
    return lambda stmt: stmt.where(*where) if where else stmt


def standing_select(on: st.Day, where: Sequence[ColumnElement] = ()) -> Select:
    """county_code, reported_month, reached (the latest stage), terminal_stage (null: open),
    waiting_since (an open case: the day it reached its stage), cases, latest_on: the
    milestones meeting ``where``, as they stood on ``on``. A case reached every stage up
    to ``reached`` (``warehouse.standing``), so the funnel's counts are sums over these."""
    standing = [st.current_stage(on).label("reached"),
                st.terminal_stage(on).label("terminal_stage"),
                case((st.open_on(on), st.current_stage_on(on))).label("waiting_since")]
    per_case = _chosen(where)(select(
        m.county_code, month_key(m.reported_on).label("reported_month"), *standing,
        _latest().label("latest_on"),
    )).subquery("standing")
    c = per_case.c
    keys = (c.county_code, c.reported_month, c.reached, c.terminal_stage, c.waiting_since)
    return (select(*keys, func.count().label("cases"), func.max(c.latest_on).label("latest_on"))
            .group_by(*keys))


def attribute_select(on: st.Day, where: Sequence[ColumnElement] = (), *,
                     by_month: bool = True) -> Select:
    """dimension, value, reported, charged, convicted (by month: county_code and
    reported_month first). One pass counts the cases by every attribute at once (a few
    thousand combinations); each dimension's rows are sums over those."""
    keys = ([m.county_code.label("case_county"),
             month_key(m.reported_on).label("reported_month")] if by_month else [])
    flags = [func.count(case((st.reached(stage, on), 1))).label(name)
             for name, stage in BREAKDOWN_COUNTS.items()]
    dims = [column.label(d) for d, column in DIMENSIONS.items()]
    cube = _chosen(where)(select(*keys, *dims, *flags).group_by(*keys, *dims)).cte("attributes")
    c = cube.c
    by = [c.case_county, c.reported_month] if by_month else []
    firsts = [c.case_county.label("county_code"), c.reported_month] if by_month else []
    return union_all(*[
        select(*firsts, literal(d).label("dimension"), c[d].label("value"),
               *[func.sum(c[name]).label(name) for name in BREAKDOWN_COUNTS])
        .group_by(*by, c[d])
        for d in DIMENSIONS
    ])


def _interval(name: str, on: st.Day) -> tuple[ColumnElement, list[ColumnElement]]:
    """An interval's days, and when a case has them by ``on``."""
    if name == FIRST_SERVICE:
        return (days_between(m.reported_on, m.first_service_on),
                [m.first_service_on <= st.day(on)])
    first, second = INTERVALS[name]
    return (days_between(st.reached_on(first), st.reached_on(second)),
            [st.reached(first, on), st.reached(second, on)])


def duration_select(on: st.Day, where: Sequence[ColumnElement] = (), *,
                    by_month: bool = True, intervals: Sequence[str] | None = None,
                    labels: Sequence[ColumnElement] = ()) -> Select:
    """interval, days, cases: the cases that had reached both ends of an interval (of
    ``intervals``; None: the funnel's and ``FIRST_SERVICE``) by ``on``, by the days
    between them (by month: county_code and reported_month first; otherwise one row per
    case and interval, cases = 1, after the columns ``labels``)."""
    keys = ([m.county_code, month_key(m.reported_on).label("reported_month")]
            if by_month else list(labels))
    chosen = (*INTERVALS, FIRST_SERVICE) if intervals is None else intervals
    members = []
    for name in chosen:
        days, had = _interval(name, on)
        members.append(_chosen(where)(select(
            *keys, literal(name).label("interval"), days.label("days"),
            *([] if by_month else [literal(1).label("cases")]),
        ).where(*had)))
    values = union_all(*members) if len(members) > 1 else members[0]
    if not by_month:
        return values
    c = values.subquery("intervals").c
    grouped = (c.county_code, c.reported_month, c.interval, c.days)
    return select(*grouped, func.count().label("cases")).group_by(*grouped)


SELECTS = ((cohort_months, standing_select), (cohort_attribute_months, attribute_select),
           (cohort_duration_months, duration_select))


def groups(conn: Connection, keys: list[str]) -> progress.Groups:
    """The counties and months the cases were reported in, as the milestones say now."""
    return progress.groups_of(conn, select(m.county_code, month_key(m.reported_on))
                              .where(keys_in(m.case_key, keys)))


def _maintained(table, select_for):
    def rebuild(conn: Connection) -> None:
        conn.execute(table.delete())
        progress.write(conn, table, select_for(st.END_OF_TIME))

    def recount(conn: Connection, found: progress.Groups) -> None:
        # The milestones reported in the months, found by the cohort index on the day.
        progress.recount(conn, table, "reported_month", found,
                         lambda months, counties: select_for(st.END_OF_TIME, progress.in_months(
                             m.county_code, m.reported_on, months, counties)))

    return rebuild, recount


# Each table's (rebuild, recount), for warehouse.maintained's registry.
MAINTAINED = [(table, *_maintained(table, select_for)) for table, select_for in SELECTS]
