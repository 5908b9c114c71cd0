"""Migration 0010 adds the cases that end after a day by county, report day and terminal
month (``closed_case_months``) to a warehouse that already has data, exactly as
``warehouse.maintained.rebuild`` writes it, drops the indexes no statement reads, replaces
hearings by county and day with one covering what hearing_days counts and service_days' four
indexes with two, and goes back down to 0009 as it was."""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from sqlalchemy import func, inspect, select

from startup.firstrun import build_demo
from tests.conftest import BACKENDS, new_warehouse_url
from tests.warehouse.migrations import migrate, rows
from warehouse.engine import forget_engine, get_engine
from warehouse.migrate import init_warehouse
from warehouse.schema import case_milestones, closed_case_months

DROPPED = {"hearings": {"ix_hearings_hearing_on", "ix_hearings_county_code_hearing_on"},
           "services": {"ix_services_provided_on", "ix_services_county_code_provided_on"},
           "service_days": {"ix_service_days_county_day", "ix_service_days_day",
                            "ix_service_days_county_day_any", "ix_service_days_day_any"}}
ADDED = {"hearings": {"ix_hearings_county_day_cover"},
         "service_days": {"ix_service_days_county_cover", "ix_service_days_day_cover"}}


def _analyzed(conn, table: str) -> bool:
    if conn.dialect.name == "sqlite":
        return bool(conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_stat1 WHERE tbl = ?", (table,)).scalar())
    return bool(conn.exec_driver_sql(
        "SELECT count(*) FROM pg_stats WHERE tablename = %(t)s", {"t": table}).scalar())


def _indexes(engine, table: str) -> set[str]:
    return {ix["name"] for ix in inspect(engine).get_indexes(table)}


@pytest.mark.parametrize("backend", BACKENDS)
def test_down_to_0009_and_up_again_fills_the_summary_as_a_rebuild(backend, tmp_path_factory,
                                                                  request):
    url = new_warehouse_url(backend, tmp_path_factory, request)
    build_demo(url, cases=300, seed=7, until=date(2025, 6, 30), pseudonym_key="k" * 40)
    engine = get_engine(url)
    with engine.connect() as conn:
        built = rows(conn, closed_case_months)
        closed = conn.execute(select(func.count()).select_from(case_milestones)
                              .where(case_milestones.c.terminal_on.is_not(None))).scalar()
    assert closed and sum(r[-1] for r in built) == closed, "every closed case counted once"
    assert len(built) < closed, "cases share rows"

    migrate(engine, command.downgrade, "0009")
    assert "closed_case_months" not in inspect(engine).get_table_names()
    for table, names in DROPPED.items():
        assert names <= _indexes(engine, table)
    for table, names in ADDED.items():
        assert not names & _indexes(engine, table)

    init_warehouse(engine)  # as `manage.py init` upgrades
    with engine.connect() as conn:
        assert rows(conn, closed_case_months) == built
        assert _analyzed(conn, "closed_case_months"), "the planner has the new table's statistics"
    for table, names in DROPPED.items():
        assert not names & _indexes(engine, table)
    for table, names in ADDED.items():
        assert names <= _indexes(engine, table)
    forget_engine(url)
