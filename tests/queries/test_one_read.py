"""A page is read through one connection, in one transaction (``queries.run.one_read``):
on PostgreSQL one snapshot, so a load committed while the page is computed shows in all
of its figures or in none; and the cohort's plan is decided once per page read."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import delete, event, func, insert, select

from auth.policy import Principal, scope_for
from core.scope import Filters
from figures import registry
from queries.run import connected, one_read
from warehouse.engine import POOL
from warehouse.schema import counties

MANAGER = scope_for(Principal("pm", "PM", "project_manager"))
CUC_KILIFI = scope_for(Principal("cuc", "CUC", "cuc_member", ("001",)))
QUARTER = Filters(date(2025, 7, 1), date(2025, 9, 30), as_of=date(2026, 9, 30))


@pytest.mark.parametrize("page", list(registry.PAGES))
@pytest.mark.parametrize("scope", [MANAGER, CUC_KILIFI], ids=["manager", "cuc"])
def test_a_page_visit_takes_one_connection_from_the_pool(demo_warehouse, page, scope):
    checkouts = []

    def checked_out(*_):
        checkouts.append(1)

    event.listen(demo_warehouse, "checkout", checked_out)
    try:
        registry.visit(page, demo_warehouse, scope, QUARTER)
    finally:
        event.remove(demo_warehouse, "checkout", checked_out)
    assert len(checkouts) == 1


def test_the_cohort_plan_is_decided_once_per_page_read(demo_warehouse):
    """The funnel's five figures follow one cohort: its plan (the latest day a summary
    group changed) is read once, not once per figure."""
    plans = []

    def seen(conn, cursor, statement, *_):
        if "max(cohort_months.latest_on)" in statement:
            plans.append(statement)

    event.listen(demo_warehouse, "before_cursor_execute", seen)
    try:
        registry.visit("funnel", demo_warehouse, MANAGER, QUARTER)
    finally:
        event.remove(demo_warehouse, "before_cursor_execute", seen)
    assert len(plans) == 1


def _counties(engine) -> int:
    with connected(engine) as conn:
        return conn.execute(select(func.count()).select_from(counties)).scalar_one()


@pytest.mark.postgres
@pytest.mark.parametrize("empty_warehouse", ["postgresql"], indirect=True)
def test_a_load_committed_during_a_page_read_is_not_half_seen(empty_warehouse):
    engine = empty_warehouse
    before = _counties(engine)
    try:
        with one_read(engine):
            first = _counties(engine)
            with engine.begin() as other:  # another session's load, committed meanwhile
                other.execute(insert(counties).values(
                    code="999", name="Test county", population_2019=1, latitude=0.0,
                    longitude=0.0))
            assert _counties(engine) == first == before
        assert _counties(engine) == before + 1
    finally:
        with engine.begin() as conn:
            conn.execute(delete(counties).where(counties.c.code == "999"))


@pytest.mark.postgres
@pytest.mark.parametrize("empty_warehouse", ["postgresql"], indirect=True)
def test_a_page_read_cannot_write(empty_warehouse):
    with one_read(empty_warehouse) as conn, pytest.raises(Exception, match="read-only"):
        conn.execute(delete(counties))


def test_every_connection_the_pool_lends_can_hold_a_page_read_at_once(demo_warehouse):
    """A page holds its connection while its figures are computed, so as many pages as the
    pool lends (40: more than twice the 12 the 20-session load test held at once) are read
    together; with SQLAlchemy's default of 15, the 16th waited for another's page (and
    failed after 30 s)."""
    readers = POOL["pool_size"] + POOL["max_overflow"]
    all_in = threading.Barrier(readers, timeout=10)
    failures = []

    def read_a_page():
        try:
            with one_read(demo_warehouse) as conn:
                conn.execute(select(func.count()).select_from(counties)).scalar_one()
                all_in.wait()  # every reader holds its connection here at the same time
        except Exception as failure:  # noqa: BLE001 -- collected, asserted below
            failures.append(failure)

    threads = [threading.Thread(target=read_a_page) for _ in range(readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert readers >= 24 and failures == []
