"""``stage_months``: the stage events counted by county, the month they are dated in and
stage.

A stage measure over a period (cases charged, convictions, cases decided, investigations
opened: ``queries.measures``) sums this table's rows for the period's whole months, a few
per county and month, and counts the events row by row only for the days left over: at a
million cases a quarter's charges are 24,000 events but nine rows here.

Refreshed like ``warehouse.maintained_service_months``: the counties and months the
touched cases' events are in before the load and after are counted again in full. Two
notes of "before" are needed, as for ``hotline_months``: a writer of case events notes
their months before it writes (``groups`` through ``maintained.note_rows``: a corrected
date leaves its old month, which nothing after the write can tell), and ``refresh_cases``
notes them before it copies a case's new county onto its events (a case that moved).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Connection, Integer, Select, cast, func, select

from warehouse import maintained_progress as progress
from warehouse import vocab
from warehouse.constructs import keys_in, month_key
from warehouse.schema import case_events, stage_months

e = case_events.c


def stage_months_select(where: Sequence[ColumnElement] = ()) -> Select:
    """county_code, occurred_month, stage, events: the events meeting ``where``, counted by
    county, stage and day first, in the order of the events' index on those columns (no sort
    of every event), then by month."""
    per_day = select(e.county_code, e.stage, e.occurred_on, func.count().label("n")).group_by(
        e.county_code, e.stage, e.occurred_on)
    per_day = (per_day.where(*where) if where else per_day).subquery("per_day")
    keys = (per_day.c.county_code, month_key(per_day.c.occurred_on).label("occurred_month"),
            per_day.c.stage)
    return select(*keys, cast(func.sum(per_day.c.n), Integer).label("events")).group_by(*keys)


def rebuild(conn: Connection) -> None:
    conn.execute(stage_months.delete())
    progress.write(conn, stage_months, stage_months_select())


def groups(conn: Connection, keys: list[str]) -> progress.Groups:
    """The counties and months the events of these cases are in, as they stand now."""
    return progress.groups_of(conn, select(e.county_code, month_key(e.occurred_on))
                              .where(keys_in(e.case_key, keys)))


def recount(conn: Connection, groups: progress.Groups) -> None:
    # Every stage named, so that the events' index on county, stage and day finds each
    # stage's days in the months (a county has a million events at national scale).
    progress.recount(conn, stage_months, "occurred_month", groups,
                     lambda months, counties: stage_months_select(
                         [e.stage.in_(vocab.STAGES),
                          *progress.in_months(e.county_code, e.occurred_on, months, counties)]))
