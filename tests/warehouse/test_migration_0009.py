"""Migration 0009 adds the survivors served by county and month (``service_months``) to a
warehouse that already has data, exactly as ``warehouse.maintained.rebuild`` writes it, and
goes back down to 0008 without it."""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from sqlalchemy import func, inspect, select

from startup.firstrun import build_demo
from tests.conftest import BACKENDS, new_warehouse_url
from tests.warehouse.migrations import migrate, rows
from warehouse.engine import forget_engine, get_engine
from warehouse.schema import service_days, service_months


def _contents(conn) -> list:
    return rows(conn, service_months)


@pytest.mark.parametrize("backend", BACKENDS)
def test_down_to_0008_and_up_again_fills_the_summary_as_a_rebuild(backend, tmp_path_factory,
                                                                  request):
    url = new_warehouse_url(backend, tmp_path_factory, request)
    build_demo(url, cases=300, seed=7, until=date(2025, 6, 30), pseudonym_key="k" * 40)
    engine = get_engine(url)
    with engine.connect() as conn:
        built = _contents(conn)
        service_rows = conn.execute(select(func.count()).select_from(service_days)).scalar()
    assert service_rows and sum(r[-1] for r in built) == service_rows, "every service row counted once"
    assert any(r[2] is None for r in built) and any(r[2] is not None for r in built)

    migrate(engine, command.downgrade, "0008")
    assert "service_months" not in inspect(engine).get_table_names()

    migrate(engine, command.upgrade, "head")
    with engine.connect() as conn:
        assert _contents(conn) == built
    forget_engine(url)
