"""Tables maintained from the programme tables, refreshed in the transaction that changes them.

- ``case_milestones``: one row per case with the date it reached each progression stage,
  its terminal event and its first service (see ``warehouse.schema``).
- ``county_code`` on case events, hearings and services: the county of the row's case.
- The tables registered in ``MAINTAINED`` (each in its own module), in the order they
  are refreshed: a table may read those before it.

Every writer (the demo generator, ingest) calls ``refresh_cases`` with the cases it
touched (and, for a table refreshed by the rows of another table, such as ``hotline_months``
by hotline reports or ``stage_months`` by the case events written, ``note_rows`` before
writing and ``refresh_rows`` after), or ``rebuild`` after a
bulk load; both use the same statements, so a refresh is
by construction what a from-scratch rebuild would write for those cases (and
``tests/warehouse/test_maintained_property.py`` checks every registered table against a
rebuild after random sequences of loads, on both backends).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import Column, Connection, Select, Table, and_, case, func, insert, select, update

from warehouse import maintained_cohort as cohort
from warehouse import maintained_hotline as hotline
from warehouse import maintained_progress as progress
from warehouse import maintained_service_months as service_month_counts
from warehouse import maintained_stages as stages
from warehouse import vocab
from warehouse.constructs import keys_in
from warehouse.maintained_progress import KEYS_PER_STATEMENT, NO_GROUPS, Groups
from warehouse.schema import (
    case_events,
    case_milestones,
    caseload_days,
    cases,
    closed_case_months,
    hearing_days,
    hearings,
    hotline_months,
    hotline_reports,
    service_days,
    service_months,
    services,
    stage_months,
)
from warehouse.standing import REACHED_COLUMNS, reached_from
from warehouse.statistics import index_lookups

# The case attributes the funnel's cohort is broken down by, and the consent (counted per
# report day in caseload_days), copied onto the milestones.
_ATTRIBUTES = ("offence", "victim_age_band", "victim_sex", "referral_source",
               "consent_documented")


def _milestones_select(keys: list[str] | None) -> Select:
    def earliest(stages):
        return func.min(case((case_events.c.stage.in_(stages), case_events.c.occurred_on)))

    terminal = case_events.c.stage.in_(vocab.TERMINAL_STAGES)
    events = select(
        case_events.c.case_key,
        *[earliest(reached_from(stage)).label(col) for col, stage in REACHED_COLUMNS.items()],
        func.min(case((terminal, case_events.c.stage))).label("terminal_stage"),
        func.min(case((terminal, case_events.c.occurred_on))).label("terminal_on"),
    ).group_by(case_events.c.case_key)
    served = select(
        services.c.case_key, func.min(services.c.provided_on).label("first_service_on")
    ).group_by(services.c.case_key)
    chosen = keys_in(cases.c.case_key, keys) if keys is not None else None
    if keys is not None:
        events = events.where(keys_in(case_events.c.case_key, keys))
        served = served.where(keys_in(services.c.case_key, keys))
    events, served = events.subquery("ev"), served.subquery("sv")
    stmt = select(
        cases.c.case_key,
        cases.c.county_code,
        cases.c.reported_on,
        *[cases.c[col] for col in _ATTRIBUTES],
        *[events.c[col] for col in REACHED_COLUMNS],
        events.c.terminal_stage,
        events.c.terminal_on,
        served.c.first_service_on,
    ).select_from(
        cases.outerjoin(events, events.c.case_key == cases.c.case_key)
        .outerjoin(served, served.c.case_key == cases.c.case_key)
    )
    return stmt if chosen is None else stmt.where(chosen)


_COLUMNS = ["case_key", "county_code", "reported_on", *_ATTRIBUTES, *REACHED_COLUMNS,
            "terminal_stage", "terminal_on", "first_service_on"]


def _rebuild_milestones(conn: Connection) -> None:
    conn.execute(case_milestones.delete())
    conn.execute(insert(case_milestones).from_select(_COLUMNS, _milestones_select(None)))


def _refresh_milestones(conn: Connection, keys: list[str]) -> None:
    conn.execute(case_milestones.delete().where(keys_in(case_milestones.c.case_key, keys)))
    conn.execute(insert(case_milestones).from_select(_COLUMNS, _milestones_select(keys)))


@dataclass(frozen=True)
class Maintained:
    """A table maintained from the programme tables, refreshed for the rows a load wrote.

    ``keys``: the key column of the programme table whose written rows a refresh is given:
    a case key (``refresh_cases``: every writer passes the cases whose rows it wrote,
    whatever the table) or a hotline report key (``refresh_rows``).

    A table of counts by group (county and day or month) is refreshed by recounting the
    groups the rows of the keys fall in: ``groups(conn, keys)`` finds them, before the
    load (for case keys in ``refresh_cases`` before any refresh and before a case's county
    is copied to its rows; for other keys the writer calls ``note_rows`` before writing)
    and after it, and ``recount(conn, groups)`` writes those groups again. A load recounts
    each group once, however many chunks of keys it has. A table of rows per key is
    refreshed by ``refresh_keys(conn, keys)`` instead. ``rebuild(conn)`` writes either
    from scratch (None: another entry of the same table does)."""

    table: Table
    rebuild: Callable[[Connection], None] | None
    refresh_keys: Callable[[Connection, list[str]], None] | None = None
    groups: Callable[[Connection, list[str]], Groups] | None = None
    recount: Callable[[Connection, Groups], None] | None = None
    # Whether a group can lose rows of the keys (then its groups are noted before the load).
    before_too: bool = True
    keys: Column = cases.c.case_key

    def before(self, conn: Connection, keys: list[str]) -> Groups:
        """The groups the rows of ``keys`` fall in before the load."""
        return (self.groups(conn, keys) if self.recount is not None and self.before_too
                else NO_GROUPS)

    def refresh(self, conn: Connection, keys: list[str], before: Groups = NO_GROUPS) -> None:
        """Brings the table up to date for the rows of ``keys``, given their groups
        ``before`` the load."""
        if self.recount is None:
            self.refresh_keys(conn, keys)
        else:
            self.recount(conn, progress.merge(before, self.groups(conn, keys)))


# In refresh order: a table may read the tables above it.
MAINTAINED: list[Maintained] = [
    Maintained(case_milestones, _rebuild_milestones, _refresh_milestones),
    Maintained(hearing_days, progress.rebuild_hearing_days, groups=progress.hearing_groups,
               recount=progress.recount_hearing_days),
    Maintained(service_days, progress.rebuild_service_days, progress.refresh_service_days),
    Maintained(service_months, service_month_counts.rebuild, groups=service_month_counts.groups,
               recount=service_month_counts.recount),
    Maintained(caseload_days, progress.rebuild_caseload_days, groups=progress.caseload_groups,
               recount=progress.recount_caseload_days),
    Maintained(closed_case_months, progress.rebuild_closed_cases,
               groups=progress.closed_case_groups, recount=progress.recount_closed_cases),
    *[Maintained(table, rebuild_table, groups=cohort.groups, recount=recount_table)
      for table, rebuild_table, recount_table in cohort.MAINTAINED],
    # linked_to_case: a report's month does not move with its case.
    Maintained(hotline_months, hotline.rebuild, groups=hotline.case_groups,
               recount=hotline.recount, before_too=False),
    Maintained(hotline_months, None, groups=hotline.report_groups, recount=hotline.recount,
               keys=hotline_reports.c.report_key),
    Maintained(stage_months, stages.rebuild, groups=stages.groups,  # a case moved
               recount=stages.recount),
    Maintained(stage_months, None, groups=stages.groups, recount=stages.recount,  # events
               keys=case_events.c.case_key),
]


# Indexes of the programme tables that ``rebuild`` reads in their order: a writer that drops
# indexes for a bulk load (the demo generator) builds these before ``rebuild`` and the rest
# after. hearing_days is counted from hearings' covering index by county and day, with no
# sort of every hearing (at a million cases the index costs about what the sort did), and
# stage_months from the events' index by county, stage and day.
READ_BY_REBUILD = ("ix_hearings_county_day_cover",
                   "ix_case_events_county_code_stage_occurred_on")


def _by(source: Table) -> list[Maintained]:
    return [m for m in MAINTAINED if m.keys.table is source]


def _by_rows_of(source: Table) -> list[Maintained]:
    # Cases and their facts are refreshed by ``refresh_cases``, whatever table was written.
    return [] if source is cases else _by(source)


def rebuild(conn: Connection) -> None:
    """Every maintained table from scratch (after a bulk load, or to check a refresh)."""
    for m in MAINTAINED:
        if m.rebuild is not None:
            m.rebuild(conn)


# A load that writes a large share of the warehouse's cases (a first upload, a county's
# backlog) is brought up to date faster by rebuilding every maintained table than case by
# case. The refresh grows with the load, a rebuild with the warehouse; where they cross was
# measured on each backend (bench/incremental_load.py --way, on 100,000 cases, seconds
# refreshed against rebuilt): on SQLite 20,000 new cases (a sixth of the warehouse after the
# load) 8.5 against 13.3, 25,000 (a fifth) 8.3 against 15.6, 50,000 (a third) 21.1 against
# 20.6, 100,000 (a half) 54 against 35; on PostgreSQL, with its key lookups kept off
# sequential scans (``index_lookups``), 33,333 (a quarter) 15.7 against 25.9 and 50,000 (a
# third) 31.8 against 29.4. Below REBUILD_FROM cases a load is always refreshed case by case
# (so is every load of the property test, which checks the refresh against a rebuild).
REBUILD_FROM = 20_000
# A load of at least 1/REBUILD_SHARE of the cases after it rebuilds, by backend (measured
# apart, they now cross at the same share).
REBUILD_SHARE = {"sqlite": 3, "postgresql": 3}


def rebuilds(touched: int, cases_now: int, backend: str) -> bool:
    """Whether a load that wrote ``touched`` cases, of ``cases_now`` in the warehouse after
    it, rebuilds the maintained tables instead of refreshing those cases (``backend``: the
    dialect's name)."""
    return touched >= REBUILD_FROM and REBUILD_SHARE[backend] * touched >= cases_now


def refresh_cases(conn: Connection, case_keys: Iterable[str]) -> int:
    """Bring the maintained tables up to date for ``case_keys`` (new or changed; a writer
    that deletes hearings must ``rebuild``, see ``warehouse.maintained_progress``).

    Table by table, in ``MAINTAINED``'s order: a table of rows per key is refreshed a
    chunk of keys at a time; a table of counts by group has the groups of every chunk
    recounted once (a load's cases fall in the same recent months, so recounting them per
    chunk grew faster than the load)."""
    keys = sorted(set(case_keys))
    chunked = [keys[lo:lo + KEYS_PER_STATEMENT] for lo in range(0, len(keys), KEYS_PER_STATEMENT)]
    whole = len(keys) >= REBUILD_FROM and rebuilds(
        len(keys), conn.execute(select(func.count()).select_from(cases)).scalar_one(),
        conn.dialect.name)
    refreshed = [] if whole else _by(cases)
    with index_lookups(conn):
        noted = [_each_chunk(chunked, lambda chunk, m=m: m.before(conn, chunk))
                 for m in refreshed]
        # The facts carry their case's county whichever way the tables are brought up to date.
        for chunk in chunked:
            for fact in (case_events, hearings, services):
                conn.execute(_county_from_case(fact, chunk))
        for m, before in zip(refreshed, noted, strict=True):
            if m.recount is None:
                for chunk in chunked:
                    m.refresh_keys(conn, chunk)
            else:
                m.recount(conn, progress.merge(
                    before, _each_chunk(chunked, lambda chunk, m=m: m.groups(conn, chunk))))
    if whole:
        rebuild(conn)
    return len(keys)


def _each_chunk(chunked: list[list[str]], groups_of: Callable[[list[str]], Groups]) -> Groups:
    found = NO_GROUPS
    for chunk in chunked:
        found = progress.merge(found, groups_of(chunk))
    return found


def note_rows(conn: Connection, source: Table, keys: Iterable) -> list:
    """Before a writer writes rows of ``source`` (other than cases and their facts), what
    the rows with these keys say now, for ``refresh_rows``; [] when nothing is maintained
    from ``source``'s keys."""
    keys = sorted(set(keys))
    return [m.before(conn, keys) for m in _by_rows_of(source)]


def refresh_rows(conn: Connection, source: Table, keys: Iterable, noted: list) -> None:
    """Bring the tables maintained from ``source``'s keys up to date for the rows written
    (new or changed), with what ``note_rows`` noted before."""
    keys = sorted(set(keys))
    for m, old in zip(_by_rows_of(source), noted, strict=True):
        m.refresh(conn, keys, old)


def _county_from_case(fact, keys: list[str]):
    county = (
        select(cases.c.county_code).where(cases.c.case_key == fact.c.case_key).scalar_subquery()
    )
    return (
        update(fact)
        .where(and_(keys_in(fact.c.case_key, keys), fact.c.county_code != county))
        .values(county_code=county)
    )
