"""Migration 0008 adds the days from report to first service to the cohort summaries of a
warehouse that already has data exactly as ``warehouse.maintained.rebuild`` would, and
goes back down to what 0007 wrote."""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from sqlalchemy import func, select

from startup.firstrun import build_demo
from tests.conftest import BACKENDS, new_warehouse_url
from tests.warehouse.migrations import migrate, rows
from warehouse.engine import forget_engine, get_engine
from warehouse.maintained_cohort import FIRST_SERVICE
from warehouse.schema import case_milestones, cohort_duration_months, cohort_months

CHANGED = (cohort_months, cohort_duration_months)


def _contents(conn) -> dict[str, list]:
    return {t.name: rows(conn, t) for t in CHANGED}


@pytest.mark.parametrize("backend", BACKENDS)
def test_down_to_0007_and_up_again_refills_the_first_service_days(backend, tmp_path_factory,
                                                                   request):
    url = new_warehouse_url(backend, tmp_path_factory, request)
    build_demo(url, cases=300, seed=7, until=date(2025, 6, 30), pseudonym_key="k" * 40)
    engine = get_engine(url)
    service = cohort_duration_months.c.interval == FIRST_SERVICE
    with engine.connect() as conn:
        built = _contents(conn)
        served = conn.execute(select(func.count()).where(
            case_milestones.c.first_service_on.is_not(None))).scalar()
        kept = conn.execute(select(func.sum(cohort_duration_months.c.cases))
                            .where(service)).scalar()
    assert served and kept == served, "every served case is in the summary once"

    migrate(engine, command.downgrade, "0007")
    with engine.connect() as conn:
        assert not conn.execute(select(func.count()).select_from(cohort_duration_months)
                                .where(service)).scalar()
        down = _contents(conn)
    assert down["cohort_months"] != built["cohort_months"], (
        "0007's latest day leaves out first services (some are a case's latest step)")

    migrate(engine, command.upgrade, "head")
    with engine.connect() as conn:
        assert _contents(conn) == built
    forget_engine(url)
