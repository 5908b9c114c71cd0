"""Counting tables maintained from the programme tables, so that a headline or an indicator
reads a few small rows instead of every fact row of its period.

- ``service_visits``: every service row with the day of the case's service row just before
  it (rows in order of day, then service; ``previous_on``) and of its previous row of the
  same service (``previous_same_on``). The survivors served in [start, end] are then the
  rows in the period whose ``previous_on`` is null or before ``start``: exactly one row per
  survivor (their first row in the period), counted without DISTINCT; per service, the same
  with ``previous_same_on``.
- ``case_flow_months``: cases per county, month reported and month closed, from
  ``case_milestones``; small (counties x months x months at most), so rewritten whole.
- ``hearing_days``: per county and day, the hearings at which the survivor testified and of
  those the ones with each protective measure and with any.

``rebuild`` writes both from scratch; ``refresh_cases`` rewrites what the given cases can
change, with the same statements: their service rows, and every county's count on each day
one of their hearings is dated (a hearing's day is part of its key and nothing is ever
deleted, so the days a load touches are the days of the touched cases' hearings; a case
moved to another county changes the counts of its hearings' days only).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Integer, Select, case, cast, extract, func, insert, or_, select

from warehouse import vocab
from warehouse.schema import (
    case_flow_months,
    case_milestones,
    hearing_days,
    hearings,
    service_visits,
    services,
)

CHUNK = 5000  # bound parameters per IN list, well inside both dialects' limits

_VISIT_COLUMNS = ["case_key", "service", "provided_on", "county_code", "previous_on",
                  "previous_same_on"]
_DAY_COLUMNS = ["county_code", "hearing_on", "testified", "any_measure",
                *vocab.TESTIMONY_MEASURES]


def _visits_select(keys: list[str] | None) -> Select:
    s = services.c
    previous = func.lag(s.provided_on).over(partition_by=s.case_key,
                                           order_by=(s.provided_on, s.service))
    previous_same = func.lag(s.provided_on).over(partition_by=(s.case_key, s.service),
                                                order_by=s.provided_on)
    stmt = select(s.case_key, s.service, s.provided_on, s.county_code,
                  previous.label("previous_on"), previous_same.label("previous_same_on"))
    return stmt if keys is None else stmt.where(s.case_key.in_(keys))


def _days_select(days: list | None) -> Select:
    h = hearings.c
    flags = [h[f"measure_{m}"].is_(True) for m in vocab.TESTIMONY_MEASURES]

    def count_of(condition):
        return func.count(case((condition, 1)))

    stmt = (select(h.county_code, h.hearing_on, func.count().label("testified"),
                   count_of(or_(*flags)).label("any_measure"),
                   *[count_of(f).label(m) for f, m in zip(flags, vocab.TESTIMONY_MEASURES,
                                                          strict=True)])
            .where(h.survivor_testified.is_(True))
            .group_by(h.county_code, h.hearing_on))
    return stmt if days is None else stmt.where(h.hearing_on.in_(days))


def month_number(day) -> object:
    """year x 12 + month - 1 of a date column (the numbering of ``case_flow_months``)."""
    return cast(extract("year", day), Integer) * 12 + cast(extract("month", day), Integer) - 1


def closed_from(m=case_milestones.c):
    """The first day a case no longer counts as open: its terminal event's date, never before
    its report date (the rule of ``queries.milestones.closed_from``, which reads the same
    columns)."""
    return case((m.terminal_on < m.reported_on, m.reported_on), else_=m.terminal_on)


def _flow_select() -> Select:
    m = case_milestones.c
    reported, closed = month_number(m.reported_on), month_number(closed_from())
    return (select(m.county_code, reported.label("reported_month"),
                   closed.label("closed_month"), func.count().label("cases"))
            .group_by(m.county_code, reported, closed))


def _rewrite_flows(conn: Connection) -> None:
    conn.execute(case_flow_months.delete())
    conn.execute(insert(case_flow_months).from_select(
        ["county_code", "reported_month", "closed_month", "cases"], _flow_select()))


def rebuild(conn: Connection) -> None:
    """Every table of this module from scratch (after a bulk load, or to check a refresh).
    Reads ``case_milestones``: run after it."""
    conn.execute(service_visits.delete())
    conn.execute(insert(service_visits).from_select(_VISIT_COLUMNS, _visits_select(None)))
    conn.execute(hearing_days.delete())
    conn.execute(insert(hearing_days).from_select(_DAY_COLUMNS, _days_select(None)))
    _rewrite_flows(conn)


def _chunks(values: list) -> Iterable[list]:
    for lo in range(0, len(values), CHUNK):
        yield values[lo:lo + CHUNK]


def refresh_cases(conn: Connection, case_keys: Iterable[str]) -> int:
    """Bring every table of this module up to date for ``case_keys`` (new or changed cases),
    after ``case_milestones`` is."""
    keys = sorted(set(case_keys))
    days: set = set()
    for chunk in _chunks(keys):
        conn.execute(service_visits.delete().where(service_visits.c.case_key.in_(chunk)))
        conn.execute(insert(service_visits).from_select(_VISIT_COLUMNS, _visits_select(chunk)))
        days.update(conn.execute(select(hearings.c.hearing_on).distinct()
                                 .where(hearings.c.case_key.in_(chunk))).scalars())
    for chunk in _chunks(sorted(days)):
        conn.execute(hearing_days.delete().where(hearing_days.c.hearing_on.in_(chunk)))
        conn.execute(insert(hearing_days).from_select(_DAY_COLUMNS, _days_select(chunk)))
    if keys:
        _rewrite_flows(conn)
    return len(keys)
