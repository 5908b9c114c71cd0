"""The maintained tables equal what the programme tables say, computed another way."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from alembic import command
from sqlalchemy import delete, insert, select, update

from tests.conftest import BACKENDS, new_warehouse_url
from warehouse import maintained
from warehouse.engine import get_engine
from warehouse.migrate import alembic_config, sync_reference
from warehouse.schema import (
    PROGRAMME_TABLES,
    case_events,
    case_milestones,
    cases,
    hearings,
    services,
)

ORDER = ["reported", "investigation_opened", "suspect_arrested", "charged", "trial_started",
         "judgment"]
RANK = {s: i for i, s in enumerate(ORDER)} | {"convicted": 5, "acquitted": 5}
TERMINAL = {"convicted", "acquitted", "withdrawn", "closed_no_further_action"}


def _table(conn, table) -> pl.DataFrame:
    rows = conn.execute(select(table)).mappings().all()
    return pl.DataFrame([dict(r) for r in rows], infer_schema_length=None)


def expected_milestones(conn) -> pl.DataFrame:
    """Per case, by hand: the earliest event at each stage or later, the terminal event,
    the first service (a plain Python loop over the raw rows)."""
    out = {}
    for c in conn.execute(select(cases.c.case_key, cases.c.county_code, cases.c.reported_on)):
        out[c.case_key] = {"case_key": c.case_key, "county_code": c.county_code,
                           "reported_on": c.reported_on, "terminal_stage": None,
                           "terminal_on": None, "first_service_on": None,
                           **{f"{s}_on": None for s in ORDER[1:]}}
    for e in conn.execute(select(case_events)):
        row = out[e.case_key]
        if e.stage in TERMINAL:
            row["terminal_stage"], row["terminal_on"] = e.stage, e.occurred_on
        if e.stage in RANK:
            for s in ORDER[1:RANK[e.stage] + 1]:
                key = f"{s}_on"
                if row[key] is None or e.occurred_on < row[key]:
                    row[key] = e.occurred_on
    for s in conn.execute(select(services.c.case_key, services.c.provided_on)):
        row = out[s.case_key]
        if row["first_service_on"] is None or s.provided_on < row["first_service_on"]:
            row["first_service_on"] = s.provided_on
    return pl.DataFrame(list(out.values()), infer_schema_length=None)


def _same(actual: pl.DataFrame, expected: pl.DataFrame) -> None:
    cols = sorted(expected.columns)
    a = actual.select(cols).sort("case_key")
    e = expected.select(cols).sort("case_key")
    assert a.height == e.height
    for col in cols:
        assert a[col].to_list() == e[col].to_list(), col


def test_demo_milestones_equal_a_hand_count(demo_warehouse):
    with demo_warehouse.connect() as conn:
        _same(_table(conn, case_milestones), expected_milestones(conn))


def test_fact_rows_carry_their_case_county(demo_warehouse):
    with demo_warehouse.connect() as conn:
        county = dict(conn.execute(select(cases.c.case_key, cases.c.county_code)).all())
        for fact in (case_events, hearings, services):
            rows = conn.execute(select(fact.c.case_key, fact.c.county_code)).all()
            assert rows and all(county[k] == c for k, c in rows), fact.name


def test_refresh_after_changes_equals_a_rebuild(demo_warehouse):
    """Change a few cases (a county corrected, an event added, one removed, a service added),
    refresh only those, and compare with the hand count; then undo it all."""
    engine = demo_warehouse
    conn = engine.connect()
    tx = conn.begin()
    try:
        keys = conn.execute(
            select(cases.c.case_key, cases.c.county_code, cases.c.reported_on)
            .order_by(cases.c.case_key).limit(4)
        ).all()
        moved, extended, trimmed, served = keys
        conn.execute(update(cases).where(cases.c.case_key == moved.case_key)
                     .values(county_code="047" if moved.county_code != "047" else "001"))
        conn.execute(delete(case_events).where(case_events.c.case_key == extended.case_key,
                                               case_events.c.stage != "reported"))
        conn.execute(insert(case_events).values(
            case_key=extended.case_key, county_code=extended.county_code, stage="charged",
            occurred_on=extended.reported_on + timedelta(days=40)))
        conn.execute(delete(case_events).where(case_events.c.case_key == trimmed.case_key,
                                               case_events.c.stage != "reported"))
        conn.execute(insert(services).values(
            case_key=served.case_key, county_code=served.county_code, service="medical",
            provided_on=served.reported_on - timedelta(days=1), provider_type="government"))
        maintained.refresh_cases(conn, [k.case_key for k in keys])
        _same(_table(conn, case_milestones), expected_milestones(conn))
        county = dict(conn.execute(select(cases.c.case_key, cases.c.county_code)).all())
        rows = conn.execute(select(case_events.c.case_key, case_events.c.county_code)).all()
        assert all(county[k] == c for k, c in rows)
        refreshed = _table(conn, case_milestones)
        maintained.rebuild(conn)
        _same(refreshed, _table(conn, case_milestones))
    finally:
        tx.rollback()
        conn.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_migration_0002_fills_counties_and_milestones(backend, tmp_path_factory, request):
    """A warehouse made at revision 0001 with data in it comes out of the upgrade complete."""
    url = new_warehouse_url(backend, tmp_path_factory, request)
    engine = get_engine(url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        sync_reference(conn)
        day = date(2024, 3, 1)
        conn.exec_driver_sql(
            "INSERT INTO cases (case_key, county_code, reported_on, referral_source, offence, "
            "victim_age_band, victim_sex) VALUES ('a', '003', '2024-03-01', 'police', "
            "'child_trafficking', '12-14', 'female')")
        for stage, offset in (("reported", 0), ("charged", 10), ("judgment", 300),
                              ("acquitted", 300)):
            conn.exec_driver_sql(
                "INSERT INTO case_events (case_key, stage, occurred_on) VALUES (%s, %s, %s)"
                if backend != "sqlite" else
                "INSERT INTO case_events (case_key, stage, occurred_on) VALUES (?, ?, ?)",
                ("a", stage, (day + timedelta(days=offset)).isoformat()))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with engine.connect() as conn:
        assert {r.county_code for r in conn.execute(select(case_events))} == {"003"}
        row = conn.execute(select(case_milestones)).one()
        assert (row.suspect_arrested_on, row.charged_on, row.judgment_on) == (
            date(2024, 3, 11), date(2024, 3, 11), date(2024, 12, 26))
        assert (row.terminal_stage, row.terminal_on) == ("acquitted", date(2024, 12, 26))


def test_the_indexes_built_before_a_rebuild_are_programme_table_indexes():
    """The demo generator builds ``READ_BY_REBUILD`` before the maintained tables by name: a
    renamed index would silently be built after them (and hearing_days sorted again)."""
    names = {ix.name for t in PROGRAMME_TABLES for ix in t.indexes}
    assert set(maintained.READ_BY_REBUILD) <= names
