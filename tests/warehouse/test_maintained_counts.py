"""The counting tables of ``warehouse.maintained_counts`` equal what the programme tables say,
computed by hand (plain Python loops over the raw rows), after a demo build, after a refresh
of changed cases, and after the migration that adds them to a warehouse already loaded."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from alembic import command
from sqlalchemy import insert, select, update

from tests.conftest import BACKENDS, new_warehouse_url
from warehouse import maintained
from warehouse.engine import get_engine
from warehouse.migrate import alembic_config, sync_reference
from warehouse.schema import (
    case_events,
    case_flow_months,
    case_milestones,
    cases,
    hearing_days,
    hearings,
    service_visits,
    services,
)

MEASURES = ("in_camera", "intermediary", "screen", "video_link", "support_person")
TERMINAL = {"convicted", "acquitted", "withdrawn", "closed_no_further_action"}


def expected_visits(conn) -> set[tuple]:
    """Each service row with the day of the case's row before it (by day, then service) and
    of its previous row of the same service."""
    per_case = defaultdict(list)
    for s in conn.execute(select(services)):
        per_case[s.case_key].append((s.provided_on, s.service, s.county_code))
    out = set()
    for key, rows in per_case.items():
        rows.sort()
        last_same: dict[str, date] = {}
        for i, (day, service, county) in enumerate(rows):
            out.add((key, service, day, county, rows[i - 1][0] if i else None,
                     last_same.get(service)))
            last_same[service] = day
    return out


def expected_days(conn) -> set[tuple]:
    counts: dict[tuple, Counter] = defaultdict(Counter)
    for h in conn.execute(select(hearings).where(hearings.c.survivor_testified.is_(True))):
        cell = counts[(h.county_code, h.hearing_on)]
        flags = [bool(getattr(h, f"measure_{m}")) for m in MEASURES]
        cell["testified"] += 1
        cell["any_measure"] += any(flags)
        for m, f in zip(MEASURES, flags, strict=True):
            cell[m] += f
    return {(c, d, n["testified"], n["any_measure"], *(n[m] for m in MEASURES))
            for (c, d), n in counts.items()}


def expected_flows(conn) -> Counter:
    """Cases per county, month reported, month of the first day no longer open (the earliest
    terminal event, never before the report), from cases and events."""
    terminal: dict[str, date] = {}
    for e in conn.execute(select(case_events).where(case_events.c.stage.in_(TERMINAL))):
        if e.case_key not in terminal or e.occurred_on < terminal[e.case_key]:
            terminal[e.case_key] = e.occurred_on
    out: Counter = Counter()
    for c in conn.execute(select(cases.c.case_key, cases.c.county_code, cases.c.reported_on)):
        closed = terminal.get(c.case_key)
        if closed is not None:
            closed = max(closed, c.reported_on)
        month = None if closed is None else closed.year * 12 + closed.month - 1
        out[(c.county_code, c.reported_on.year * 12 + c.reported_on.month - 1, month)] += 1
    return out


def actual(conn) -> tuple[set, set, Counter]:
    visits = {tuple(r) for r in conn.execute(select(
        service_visits.c.case_key, service_visits.c.service, service_visits.c.provided_on,
        service_visits.c.county_code, service_visits.c.previous_on,
        service_visits.c.previous_same_on))}
    days = {tuple(r) for r in conn.execute(select(
        hearing_days.c.county_code, hearing_days.c.hearing_on, hearing_days.c.testified,
        hearing_days.c.any_measure, *[hearing_days.c[m] for m in MEASURES]))}
    flows = Counter({(r.county_code, r.reported_month, r.closed_month): r.cases
                     for r in conn.execute(select(case_flow_months))})
    return visits, days, flows


def check(conn) -> None:
    visits, days, flows = actual(conn)
    assert visits == expected_visits(conn)
    assert days == expected_days(conn)
    assert flows == expected_flows(conn)


def test_demo_counts_equal_a_hand_count(demo_warehouse):
    with demo_warehouse.connect() as conn:
        visits, days, flows = actual(conn)
        assert visits and days and flows
        check(conn)


def test_refresh_after_changes_equals_a_hand_count_and_a_rebuild(demo_warehouse):
    """Move a case to another county, give one an earlier service and another a service on
    a day it already had one, add a testified hearing with a measure, withdraw a case, and
    refresh only those cases; then undo it all."""
    conn = demo_warehouse.connect()
    tx = conn.begin()
    try:
        served = conn.execute(select(services.c.case_key, services.c.provided_on)
                              .order_by(services.c.case_key).limit(1)).one()
        m = case_milestones.c  # cases with no terminal event yet, so one can be added
        keys = conn.execute(select(m.case_key, m.county_code, m.reported_on)
                            .where(m.case_key != served.case_key, m.terminal_on.is_(None))
                            .order_by(m.case_key).limit(3)).all()
        moved, heard, closed = keys
        conn.execute(update(cases).where(cases.c.case_key == moved.case_key)
                     .values(county_code="047" if moved.county_code != "047" else "001"))
        for fact in (case_events, hearings, services):
            conn.execute(update(fact).where(fact.c.case_key == moved.case_key)
                         .values(county_code="047" if moved.county_code != "047" else "001"))
        county = conn.execute(select(cases.c.county_code)
                              .where(cases.c.case_key == served.case_key)).scalar_one()
        for service, day in (("medical", served.provided_on - timedelta(days=3)),
                             ("legal_aid", served.provided_on)):
            conn.execute(insert(services).values(
                case_key=served.case_key, county_code=county, service=service,
                provided_on=day, provider_type="government"))
        conn.execute(insert(hearings).values(
            case_key=heard.case_key, county_code=heard.county_code, court_station_id=1,
            hearing_on=heard.reported_on + timedelta(days=90), status="held",
            survivor_testified=True, measure_screen=True))
        conn.execute(insert(case_events).values(
            case_key=closed.case_key, county_code=closed.county_code, stage="withdrawn",
            occurred_on=closed.reported_on + timedelta(days=400)))
        maintained.refresh_cases(conn, [served.case_key, *(k.case_key for k in keys)])
        check(conn)
        refreshed = actual(conn)
        maintained.rebuild(conn)
        assert actual(conn) == refreshed
    finally:
        tx.rollback()
        conn.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_migration_0006_fills_the_counts(backend, tmp_path_factory, request):
    """A warehouse at revision 0004 with data in it comes out of the upgrade with the counts."""
    url = new_warehouse_url(backend, tmp_path_factory, request)
    engine = get_engine(url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004")
        sync_reference(conn)
        day = date(2024, 3, 30)
        for key, county in (("a", "003"), ("b", "001")):
            conn.execute(insert(cases).values(
                case_key=key, county_code=county, reported_on=day, referral_source="police",
                offence="child_trafficking", victim_age_band="12-14", victim_sex="female"))
        conn.execute(insert(case_events).values(case_key="b", county_code="001",
                                                stage="closed_no_further_action",
                                                occurred_on=date(2024, 5, 2)))
        # The milestones a warehouse at 0004 keeps with its cases.
        conn.execute(insert(case_milestones).values(case_key="a", county_code="003",
                                                    reported_on=day))
        conn.execute(insert(case_milestones).values(
            case_key="b", county_code="001", reported_on=day,
            terminal_stage="closed_no_further_action", terminal_on=date(2024, 5, 2)))
        for service, offset in (("medical", 0), ("psychosocial", 0), ("medical", 40)):
            conn.execute(insert(services).values(
                case_key="a", county_code="003", service=service,
                provided_on=day + timedelta(days=offset), provider_type="government"))
        for station, (offset, testified, screen) in enumerate(
                ((5, True, True), (5, True, False), (9, False, True)), start=1):
            conn.execute(insert(hearings).values(
                case_key="a", county_code="003", court_station_id=station,
                hearing_on=day + timedelta(days=offset), status="held",
                survivor_testified=testified, measure_screen=screen))
        command.upgrade(cfg, "0006")
    with engine.connect() as conn:
        check(conn)
        assert actual(conn)[2] == Counter({("003", 24290, None): 1, ("001", 24290, 24292): 1})
