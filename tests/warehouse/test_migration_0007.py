"""Migration 0007 fills the cohort and hotline summaries of a warehouse that already has
data exactly as ``warehouse.maintained.rebuild`` would, and goes back down cleanly."""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from sqlalchemy import inspect, select

from startup.firstrun import build_demo
from tests.conftest import BACKENDS, new_warehouse_url
from warehouse.engine import forget_engine, get_engine
from warehouse.migrate import alembic_config
from warehouse.schema import (
    cohort_attribute_months,
    cohort_duration_months,
    cohort_months,
    hotline_months,
)

NEW = (cohort_months, cohort_attribute_months, cohort_duration_months, hotline_months)


def _contents(conn) -> dict[str, list]:
    return {t.name: sorted((tuple(r) for r in conn.execute(select(t))), key=repr) for t in NEW}


@pytest.mark.parametrize("backend", BACKENDS)
def test_down_to_0006_and_up_again_refills_the_summaries(backend, tmp_path_factory, request):
    url = new_warehouse_url(backend, tmp_path_factory, request)
    build_demo(url, cases=300, seed=7, until=date(2025, 6, 30), pseudonym_key="k" * 40)
    engine = get_engine(url)
    with engine.connect() as conn:
        built = _contents(conn)
    assert all(built.values()), "the demo fills every new summary"
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006")
    assert not {t.name for t in NEW} & set(inspect(engine).get_table_names())
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with engine.connect() as conn:
        assert _contents(conn) == built
    forget_engine(url)
