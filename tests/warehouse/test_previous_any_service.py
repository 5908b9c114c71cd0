"""``service_days.previous_any_on`` (``warehouse.maintained_progress``) equals a hand count over
the raw service rows (a plain Python loop) after a demo build, after a refresh of changed
cases, and after the migration that adds it to a warehouse already loaded."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest
from alembic import command
from sqlalchemy import insert, select, update

from tests.conftest import BACKENDS, new_warehouse_url
from warehouse import maintained
from warehouse.engine import get_engine
from warehouse.migrate import alembic_config, sync_reference
from warehouse.schema import cases, service_days, services


def expected(conn) -> set[tuple]:
    """Each service row with the day of the case's row just before it (by day, then service)."""
    per_case = defaultdict(list)
    for s in conn.execute(select(services)):
        per_case[s.case_key].append((s.provided_on, s.service))
    out = set()
    for key, rows in per_case.items():
        rows.sort()
        for i, (day, service) in enumerate(rows):
            out.add((key, service, day, rows[i - 1][0] if i else None))
    return out


def actual(conn) -> set[tuple]:
    d = service_days.c
    return {tuple(r) for r in conn.execute(
        select(d.case_key, d.service, d.provided_on, d.previous_any_on))}


def test_demo_previous_any_equals_a_hand_count(demo_warehouse):
    with demo_warehouse.connect() as conn:
        got = actual(conn)
        assert any(r[3] is not None for r in got)
        assert got == expected(conn)


def test_refresh_after_changes_equals_a_hand_count_and_a_rebuild(demo_warehouse):
    """Move a served case to another county, give it a service before its first and another
    on a day it already had one, and refresh only it; then undo it all."""
    conn = demo_warehouse.connect()
    tx = conn.begin()
    try:
        served = conn.execute(select(services.c.case_key, services.c.provided_on)
                              .order_by(services.c.case_key, services.c.provided_on)
                              .limit(1)).one()
        county = conn.execute(select(cases.c.county_code)
                              .where(cases.c.case_key == served.case_key)).scalar_one()
        moved = "047" if county != "047" else "001"
        conn.execute(update(cases).where(cases.c.case_key == served.case_key)
                     .values(county_code=moved))
        for service, day in (("medical", served.provided_on - timedelta(days=3)),
                             ("zz_other", served.provided_on)):
            conn.execute(insert(services).values(
                case_key=served.case_key, county_code=county, service=service,
                provided_on=day, provider_type="government"))
        maintained.refresh_cases(conn, [served.case_key])
        assert actual(conn) == expected(conn)
        refreshed = actual(conn)
        maintained.rebuild(conn)
        assert actual(conn) == refreshed
    finally:
        tx.rollback()
        conn.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_migration_0006_fills_previous_any(backend, tmp_path_factory, request):
    """A warehouse at revision 0005 with services in it comes out of the upgrade filled."""
    url = new_warehouse_url(backend, tmp_path_factory, request)
    engine = get_engine(url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
        sync_reference(conn)
        day = date(2024, 3, 30)
        conn.execute(insert(cases).values(
            case_key="a", county_code="003", reported_on=day, referral_source="police",
            offence="child_trafficking", victim_age_band="12-14", victim_sex="female"))
        rows = (("medical", 0), ("psychosocial", 0), ("medical", 40))
        for service, offset in rows:
            conn.execute(insert(services).values(
                case_key="a", county_code="003", service=service,
                provided_on=day + timedelta(days=offset), provider_type="government"))
            # What a warehouse at 0005 keeps beside its services.
            conn.exec_driver_sql(
                "INSERT INTO service_days (case_key, service, provided_on, county_code) "
                + ("VALUES (?, ?, ?, ?)" if backend == "sqlite" else "VALUES (%s, %s, %s, %s)"),
                ("a", service, (day + timedelta(days=offset)).isoformat(), "003"))
        command.upgrade(cfg, "0006")
    with engine.connect() as conn:
        assert actual(conn) == expected(conn) == {
            ("a", "medical", day, None), ("a", "psychosocial", day, day),
            ("a", "medical", day + timedelta(days=40), day)}
