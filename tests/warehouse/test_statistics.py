"""The planner's help for an incremental load's lookups of case keys (``index_lookups``)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import warehouse.maintained as maintained
from warehouse.constructs import keys_in
from warehouse.engine import forget_engine, get_engine
from warehouse.maintained import refresh_cases
from warehouse.migrate import init_warehouse
from warehouse.schema import hearings
from warehouse.statistics import index_lookups


def _plan(conn, stmt) -> str:
    compiled = stmt.compile(dialect=conn.dialect)
    cursor = conn.connection.driver_connection.cursor()
    cursor.execute("EXPLAIN " + str(compiled), compiled.params)
    return "\n".join(row[0] for row in cursor.fetchall())


def _setting(conn) -> str:
    return conn.exec_driver_sql("SHOW enable_seqscan").scalar_one()


@pytest.fixture
def pg_warehouse(pg_databases):
    url = pg_databases.new()
    engine = get_engine(url)
    init_warehouse(engine)
    yield engine
    forget_engine(url)


def test_postgresql_looks_the_keys_up_in_an_index_inside_and_as_before_after(pg_warehouse):
    lookup = select(hearings.c.county_code, hearings.c.hearing_on).where(
        keys_in(hearings.c.case_key, [f"key-{i}" for i in range(5000)]))
    with pg_warehouse.connect() as conn, conn.begin() as tx:
        # An empty table: read whole, as the planner does for a table it reckons large
        # for so many keys (the hearings at a million cases).
        assert "Seq Scan on hearings" in _plan(conn, lookup)
        with index_lookups(conn):
            assert _setting(conn) == "off"
            assert "Seq Scan" not in _plan(conn, lookup)
        assert _setting(conn) == "on"
        assert "Seq Scan on hearings" in _plan(conn, lookup)
        tx.rollback()


def test_an_error_in_the_block_still_restores_the_setting(pg_warehouse):
    """A caller that catches the error and goes on in the same transaction plans as
    usual again."""
    with pg_warehouse.connect() as conn, conn.begin():
        with pytest.raises(RuntimeError), index_lookups(conn):
            raise RuntimeError("a lookup failed")
        assert _setting(conn) == "on"


def test_the_refresh_looks_keys_up_with_it(empty_warehouse, monkeypatch):
    """``refresh_cases`` asks every lookup of its keys inside the block (on SQLite the block
    changes nothing: it is entered all the same)."""
    seen = []

    def note(conn):
        seen.append(True)
        return index_lookups(conn)

    monkeypatch.setattr(maintained, "index_lookups", note)
    with empty_warehouse.begin() as conn:
        refresh_cases(conn, ["no-such-case"])
    assert seen == [True]
