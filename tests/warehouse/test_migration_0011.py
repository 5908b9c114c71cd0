"""Migration 0011 adds the stage events by county, month and stage (``stage_months``),
copies each case's consent onto its milestones and counts the cases reported per county
and day with consent documented (``caseload_days``) in a warehouse that already has data,
exactly as ``warehouse.maintained.rebuild`` writes them, and goes back down to 0010 as it
was."""

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
from warehouse.schema import case_events, case_milestones, caseload_days, cases, stage_months


def _columns(engine, table: str) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns(table)}


@pytest.mark.parametrize("backend", BACKENDS)
def test_down_to_0010_and_up_again_fills_the_consent_as_a_rebuild(backend, tmp_path_factory,
                                                                  request):
    url = new_warehouse_url(backend, tmp_path_factory, request)
    build_demo(url, cases=300, seed=7, until=date(2025, 6, 30), pseudonym_key="k" * 40)
    engine = get_engine(url)
    with engine.connect() as conn:
        milestones, days = rows(conn, case_milestones), rows(conn, caseload_days)
        documented = conn.execute(select(func.count()).select_from(cases)
                                  .where(cases.c.consent_documented.is_(True))).scalar()
        counted = conn.execute(select(func.sum(caseload_days.c.consent_documented))).scalar()
        stages = rows(conn, stage_months)
        events = conn.execute(select(func.count()).select_from(case_events)).scalar()
    assert events and sum(r[-1] for r in stages) == events, "every event counted once"
    assert len(stages) < events, "events share rows"
    assert 0 < documented < len(milestones), "the demo has cases with and without consent"
    assert counted == documented, "every case with consent documented counted once"

    migrate(engine, command.downgrade, "0010")
    assert "consent_documented" not in _columns(engine, "case_milestones")
    assert "consent_documented" not in _columns(engine, "caseload_days")
    assert "stage_months" not in inspect(engine).get_table_names()

    init_warehouse(engine)  # as `manage.py init` upgrades
    with engine.connect() as conn:
        assert rows(conn, case_milestones) == milestones
        assert rows(conn, caseload_days) == days
        assert rows(conn, stage_months) == stages
    forget_engine(url)
