"""Summaries behind the case progress page, maintained from the programme tables.

- ``hearing_days``: hearings by county, day, court station and adjournment reason.
- ``service_days``: each case's service days with the day it last had that service before,
  and the day of its service row before, whatever the service.
- ``caseload_days``: cases opened, closed and never closed, by county and day.
- ``closed_case_months``: cases with a terminal event by county, report day and the month
  of that event.

Each has a ``rebuild`` (from scratch) and a refresh for the cases a load touched, built
from the same select so that a refresh writes what a rebuild would. Summaries counted by
day are refreshed for every county and day the touched cases had rows on, before and
after the load (``before`` notes the days while the old rows are still there): the
whole of each such group is counted again, never adjusted.

Ingest never deletes a hearing; a writer that does must ``rebuild`` (the day of a
deleted hearing is gone by the time its case is refreshed).
"""

from __future__ import annotations

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Table,
    and_,
    case,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
)

from core.periods import key_end, key_start
from warehouse import vocab
from warehouse.constructs import keys_in, month_key
from warehouse.schema import (
    case_milestones,
    caseload_days,
    closed_case_months,
    hearing_days,
    hearings,
    service_days,
    services,
)

Groups = tuple[set, set]  # (county codes, days): a refresh recounts their product
NO_GROUPS: Groups = (frozenset(), frozenset())
KEYS_PER_STATEMENT = 5000  # bound parameters per IN list, well inside both dialects' limits


def _count_if(condition) -> ColumnElement:
    return func.count(case((condition, 1)))


def chunks(values: list, step: int = 2000) -> list[list]:
    """``values`` in slices small enough for one IN list."""
    return [values[lo:lo + step] for lo in range(0, len(values), step)]


def recount(conn: Connection, table, day_column: str, groups: Groups, select_for) -> None:
    """Deletes ``table``'s rows of the groups' counties x days (or months: ``day_column``
    holds the key) and writes them again from ``select_for(chunk of days, counties)``."""
    counties, days = groups
    if not days:
        return
    counties = sorted(counties)
    for chunk in chunks(sorted(days)):
        conn.execute(table.delete().where(table.c[day_column].in_(chunk),
                                          table.c.county_code.in_(counties)))
        write(conn, table, select_for(chunk, counties))


def in_months(county: ColumnElement, day: ColumnElement, months: list[str],
              counties: list[str]) -> list[ColumnElement]:
    """The rows dated in ``months`` (sorted "YYYY-MM" keys) in ``counties``: the day range
    first, so that an index on the day finds them, then each row's month."""
    return [county.in_(counties), day.between(key_start(months[0]), key_end(months[-1])),
            month_key(day).in_(months)]


def write(conn: Connection, table: Table, stmt: Select) -> None:
    """Inserts the rows of ``stmt`` into ``table``, column by column of the select's names."""
    conn.execute(insert(table).from_select([c.name for c in stmt.selected_columns], stmt))


def merge(a: Groups, b: Groups) -> Groups:
    return a[0] | b[0], a[1] | b[1]


def groups_of(conn: Connection, stmt: Select) -> Groups:
    """The counties and days (or months) of ``stmt``'s rows (county, day), made distinct
    here: asked for DISTINCT, SQLite reads a whole covering index that starts with the
    county and day (hearings: 1.7 s at 100,000 cases) instead of looking up the few keys'
    rows (0.02 s)."""
    rows = conn.execute(stmt).all()
    return {r[0] for r in rows}, {r[1] for r in rows}


# --- hearing_days -----------------------------------------------------------------------

def _hearing_days_select(days=None, counties=None) -> Select:
    h = hearings.c
    testified = h.survivor_testified.is_(True)
    flags = {m: h[f"measure_{m}"].is_(True) for m in vocab.TESTIMONY_MEASURES}
    keys = (h.county_code, h.hearing_on, h.court_station_id, h.adjournment_reason)
    stmt = select(
        *keys,
        func.count().label("hearings"),
        _count_if(testified).label("testified"),
        _count_if(and_(testified, or_(*flags.values()))).label("testified_any_measure"),
        *[_count_if(and_(testified, f)).label(f"testified_{m}") for m, f in flags.items()],
    ).group_by(*keys)
    if days is not None:
        stmt = stmt.where(h.hearing_on.in_(days), h.county_code.in_(counties))
    return stmt


def hearing_groups(conn: Connection, keys: list[str]) -> Groups:
    return groups_of(conn, select(hearings.c.county_code, hearings.c.hearing_on)
                   .where(keys_in(hearings.c.case_key, keys)))


def rebuild_hearing_days(conn: Connection) -> None:
    conn.execute(hearing_days.delete())
    write(conn, hearing_days, _hearing_days_select())


def recount_hearing_days(conn: Connection, groups: Groups) -> None:
    recount(conn, hearing_days, "hearing_on", groups, _hearing_days_select)


# --- service_days -----------------------------------------------------------------------

def _service_days_select(keys: list[str] | None) -> Select:
    """Each service row with the case's day of that service before it (``previous_on``) and
    the day of the case's row just before it whatever the service (``previous_any_on``: rows
    in order of day, then service; null for its first). The survivors served in [start,
    end] are then the rows in the period whose ``previous_any_on`` is null or before start:
    one row per survivor, counted without DISTINCT (``queries.measures``); per service, the
    same with ``previous_on``. Both windows are over the case's rows, so the rows of the
    cases given are complete on their own."""
    s = services.c
    previous = func.lag(s.provided_on).over(partition_by=(s.case_key, s.service),
                                            order_by=s.provided_on)
    previous_any = func.lag(s.provided_on).over(partition_by=s.case_key,
                                                order_by=(s.provided_on, s.service))
    stmt = select(s.case_key, s.service, s.provided_on, s.county_code,
                  previous.label("previous_on"), previous_any.label("previous_any_on"))
    return stmt if keys is None else stmt.where(keys_in(s.case_key, keys))


def _fill_service_days(conn: Connection, keys: list[str] | None) -> None:
    write(conn, service_days, _service_days_select(keys))


def rebuild_service_days(conn: Connection) -> None:
    conn.execute(service_days.delete())
    _fill_service_days(conn, None)


def refresh_service_days(conn: Connection, keys: list[str]) -> None:
    conn.execute(service_days.delete().where(keys_in(service_days.c.case_key, keys)))
    _fill_service_days(conn, keys)


# --- caseload_days ----------------------------------------------------------------------

def closed_from(m=case_milestones.c) -> ColumnElement:
    """The first day a case no longer counts as open: its terminal event's date, never
    before its report date; null while it has none (``queries.milestones.closed_from``)."""
    return case((m.terminal_on < m.reported_on, m.reported_on), else_=m.terminal_on)


def _caseload_select(days=None, counties=None) -> Select:
    m = case_milestones.c

    def changes(day, opened, closed, never_closed, documented, *where):
        stmt = select(m.county_code, day.label("day"), opened.label("opened"),
                      literal(closed).label("closed"), never_closed.label("never_closed"),
                      documented.label("consent_documented"))
        if days is not None:
            stmt = stmt.where(day.in_(days), m.county_code.in_(counties))
        return stmt.where(*where)

    never = case((m.terminal_on.is_(None), 1), else_=0)
    documented = case((m.consent_documented.is_(True), 1), else_=0)
    parts = [changes(m.reported_on, literal(1), 0, never, documented)]
    if days is None:
        parts.append(changes(closed_from(), literal(0), 1, literal(0), literal(0),
                             m.terminal_on.is_not(None)))
    else:
        # closed_from split in its two cases, each found by an index on its own date.
        parts += [changes(m.terminal_on, literal(0), 1, literal(0), literal(0),
                          m.terminal_on >= m.reported_on),
                  changes(m.reported_on, literal(0), 1, literal(0), literal(0),
                          m.terminal_on < m.reported_on)]
    both = union_all(*parts).subquery("changes")
    c = both.c
    return (select(c.county_code, c.day, func.sum(c.opened).label("opened"),
                   func.sum(c.closed).label("closed"),
                   func.sum(c.never_closed).label("never_closed"),
                   func.sum(c.consent_documented).label("consent_documented"))
            .group_by(c.county_code, c.day))


def caseload_groups(conn: Connection, keys: list[str]) -> Groups:
    m = case_milestones.c
    chosen = keys_in(m.case_key, keys)
    rows = conn.execute(union_all(
        select(m.county_code, m.reported_on).where(chosen),
        select(m.county_code, closed_from()).where(chosen, m.terminal_on.is_not(None)),
    )).all()
    return {r[0] for r in rows}, {r[1] for r in rows}


def rebuild_caseload_days(conn: Connection) -> None:
    conn.execute(caseload_days.delete())
    write(conn, caseload_days, _caseload_select())


def recount_caseload_days(conn: Connection, groups: Groups) -> None:
    recount(conn, caseload_days, "day", groups, _caseload_select)


# --- closed_case_months -----------------------------------------------------------------

def _closed_cases_select(days=None, counties=None) -> Select:
    m = case_milestones.c
    keys = (m.county_code, m.reported_on, month_key(m.terminal_on).label("terminal_month"))
    stmt = (select(*keys, func.count().label("cases"))
            .where(m.terminal_on.is_not(None)).group_by(*keys))
    if days is not None:
        stmt = stmt.where(m.reported_on.in_(days), m.county_code.in_(counties))
    return stmt


def closed_case_groups(conn: Connection, keys: list[str]) -> Groups:
    m = case_milestones.c
    return groups_of(conn, select(m.county_code, m.reported_on).where(keys_in(m.case_key, keys)))


def rebuild_closed_cases(conn: Connection) -> None:
    conn.execute(closed_case_months.delete())
    write(conn, closed_case_months, _closed_cases_select())


def recount_closed_cases(conn: Connection, groups: Groups) -> None:
    recount(conn, closed_case_months, "reported_on", groups, _closed_cases_select)
