"""Shared fixtures: warehouses on SQLite and, when configured, on PostgreSQL.

PostgreSQL tests run when HAKI_TEST_PG_URL points at a server where the user may
create databases (e.g. postgresql://postgres@127.0.0.1:5432/postgres); each
warehouse gets a database of its own. Without it they are skipped with that
reason. With HAKI_TEST_NO_SKIP=1 (set by .ci/run) any skipped test fails the run.
"""

from __future__ import annotations

import os
import uuid
from datetime import date

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from warehouse.config import normalize_url
from warehouse.engine import forget_engine, get_engine
from warehouse.migrate import init_warehouse

PG_URL = os.environ.get("HAKI_TEST_PG_URL")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]

# The demo warehouse the tests share: small enough to build in seconds, large
# enough that every county, stage and period has data. "Today" is pinned so the
# figures do not move with the calendar.
DEMO_CASES = 1200
DEMO_SEED = 7
DEMO_UNTIL = date(2026, 11, 15)
DEMO_KEY = "test-pseudonym-key-0123456789abcdef0123456789"


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(
        reason="PostgreSQL tests need HAKI_TEST_PG_URL (see README, 'Running the tests')"
    )
    for item in items:
        if "postgres" in item.keywords and not PG_URL:
            item.add_marker(skip_pg)


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("HAKI_TEST_NO_SKIP") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(
            f"HAKI_TEST_NO_SKIP=1: {len(skipped)} test(s) were skipped; in CI nothing may be.",
            red=True,
        )
        session.exitstatus = 1


class _PgDatabases:
    """Creates throwaway databases on the test server and drops them at the end."""

    def __init__(self, url: str):
        self.admin = create_engine(normalize_url(url), isolation_level="AUTOCOMMIT")
        self.made: list[str] = []

    def new(self) -> str:
        name = "haki_test_" + uuid.uuid4().hex[:10]
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))  # noqa: S608 - generated name
        self.made.append(name)
        return make_url(normalize_url(PG_URL)).set(database=name).render_as_string(
            hide_password=False
        )

    def drop_all(self) -> None:
        for name in self.made:
            with self.admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))  # noqa: S608
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_databases():
    if not PG_URL:
        pytest.skip("PostgreSQL tests need HAKI_TEST_PG_URL")
    dbs = _PgDatabases(PG_URL)
    yield dbs
    dbs.drop_all()


def new_warehouse_url(backend: str, tmp_path_factory, request) -> str:
    if backend == "sqlite":
        return "sqlite:///" + str(tmp_path_factory.mktemp("wh") / "warehouse.db")
    return request.getfixturevalue("pg_databases").new()


@pytest.fixture(params=BACKENDS)
def empty_warehouse(request, tmp_path_factory):
    """A freshly initialized warehouse (schema + reference data), one per test.

    Its connection pool is closed after the test: left open, a few hundred tests' idle
    connections would exhaust the PostgreSQL server's limit (100 by default)."""
    url = new_warehouse_url(request.param, tmp_path_factory, request)
    engine = get_engine(url)
    init_warehouse(engine)
    yield engine
    forget_engine(url)


@pytest.fixture(scope="session", params=BACKENDS)
def demo_warehouse(request, tmp_path_factory):
    """One demo warehouse (with demo accounts) per backend for the session.

    Tests that change it must put it back as it was."""
    from startup.firstrun import build_demo

    url = new_warehouse_url(request.param, tmp_path_factory, request)
    build_demo(url, cases=DEMO_CASES, seed=DEMO_SEED, until=DEMO_UNTIL, pseudonym_key=DEMO_KEY)
    return get_engine(url)
