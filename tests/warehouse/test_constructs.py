"""The dialect-aware constructs give the same answers on SQLite and PostgreSQL."""

from datetime import date

import pytest
from sqlalchemy import Column, Date, MetaData, String, Table, create_engine, literal, select

from warehouse.constructs import days_between, keys_in, month_key, quarter_key


def _one(engine, expr):
    with engine.connect() as conn:
        return conn.execute(select(expr)).scalar_one()


def _d(day: date):
    # A bound date, stored the way each dialect stores a Date column (ISO text on SQLite).
    return literal(day, Date)


@pytest.mark.parametrize(
    ("day", "month", "quarter"),
    [(date(2025, 1, 1), "2025-01", "2025-Q1"), (date(2025, 3, 31), "2025-03", "2025-Q1"),
     (date(2025, 4, 1), "2025-04", "2025-Q2"), (date(2024, 12, 31), "2024-12", "2024-Q4")],
)
def test_month_and_quarter_keys(empty_warehouse, day, month, quarter):
    assert _one(empty_warehouse, month_key(_d(day))) == month
    assert _one(empty_warehouse, quarter_key(_d(day))) == quarter


@pytest.mark.parametrize(
    ("first", "second", "days"),
    [(date(2025, 1, 1), date(2025, 1, 1), 0), (date(2024, 2, 28), date(2024, 3, 1), 2),
     (date(2021, 1, 1), date(2026, 1, 1), 1826), (date(2025, 5, 1), date(2025, 4, 1), -30)],
)
def test_days_between(empty_warehouse, first, second, days):
    assert _one(empty_warehouse, days_between(_d(first), _d(second))) == days


@pytest.mark.parametrize("keys", [[], ["code-2"], [f"code-{i}" for i in range(0, 6000, 3)]])
def test_keys_in_finds_exactly_the_keys_given(empty_warehouse, keys):
    """Counted against Python's own membership test over every row."""
    codes = [f"code-{i}" for i in range(6000)]
    t = _codes_table()
    with empty_warehouse.connect() as conn, conn.begin() as tx:
        t.create(conn)
        conn.execute(t.insert(), [{"code": c} for c in codes])
        found = set(conn.execute(select(t.c.code).where(keys_in(t.c.code, keys))).scalars())
        tx.rollback()
    assert found == {c for c in codes if c in set(keys)}


def _codes_table() -> Table:
    return Table("keys_in_codes", MetaData(), Column("code", String(20), primary_key=True))


def test_keys_in_lets_sqlite_look_the_keys_up_in_an_index():
    """Rendered "... IN (...) = 1" (a boolean column's way on SQLite), the condition kept
    SQLite off the key's index: each lookup of a load's keys read the whole table."""
    t = _codes_table()
    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        t.create(conn)
        stmt = select(t.c.code).where(keys_in(t.c.code, ["code-1", "code-2"]))
        sql = str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))
        plan = [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
    assert any(step.startswith("SEARCH") for step in plan), plan
