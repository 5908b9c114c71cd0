"""The demo generator as a load: deterministic, all or nothing, and leaving the warehouse
as the schema describes it (indexes, statistics, journal, foreign keys)."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from sqlalchemy import func, inspect, select, text

from tests.conftest import DEMO_KEY, new_warehouse_url
from warehouse import demo, vocab
from warehouse.demo import INDEXED_AT_END, generate
from warehouse.demo.sink import Sink
from warehouse.demo.stages import Stage
from warehouse.engine import get_engine
from warehouse.meta import get_meta
from warehouse.migrate import init_warehouse
from warehouse.schema import (
    MAINTAINED_TABLES,
    PROGRAMME_TABLES,
    cases,
    ingest_batches,
    services,
    warehouse_meta,
)

SMALL = dict(cases=60, seed=1, until=date(2023, 6, 30), pseudonym_key=DEMO_KEY)


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _indexes(engine) -> dict[str, set[str]]:
    """Secondary indexes per table (PostgreSQL also lists those behind unique constraints)."""
    insp = inspect(engine)
    return {
        t.name: {
            ix["name"] for ix in insp.get_indexes(t.name) if "duplicates_constraint" not in ix
        }
        for t in INDEXED_AT_END
    }


def _schema_indexes() -> dict[str, set[str]]:
    return {t.name: {ix.name for ix in t.indexes} for t in INDEXED_AT_END}


def test_stage_columns_are_the_progression_stages_in_order():
    assert [s.code for s in Stage] == list(vocab.PROGRESSION_STAGES)
    assert [s.name.lower() for s in Stage] == list(vocab.PROGRESSION_STAGES)


def _snapshot(engine) -> dict[str, list]:
    out = {}
    with engine.connect() as conn:
        for table in (*PROGRAMME_TABLES, *MAINTAINED_TABLES, ingest_batches, warehouse_meta):
            pk = list(table.primary_key.columns) or list(table.c)
            out[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*pk))]
    return out


def _fresh_sqlite(tmp_path, name):
    engine = get_engine("sqlite:///" + str(tmp_path / f"{name}.db"))
    init_warehouse(engine)
    return engine


def test_same_seed_same_warehouse_other_seed_other_warehouse(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "CHUNK_CASES", 120)  # several chunks, each with its own stream
    run = dict(cases=300, until=date(2025, 3, 31), pseudonym_key=DEMO_KEY)
    a, b, c = (_fresh_sqlite(tmp_path, n) for n in "abc")
    generate(a, seed=11, **run)
    generate(b, seed=11, **run)
    generate(c, seed=12, **run)
    snap_a, snap_b, snap_c = _snapshot(a), _snapshot(b), _snapshot(c)
    for name in snap_a:
        assert snap_a[name] == snap_b[name], name
    assert snap_a["cases"] != snap_c["cases"]
    assert snap_a["case_events"] != snap_c["case_events"]
    # The keys are a function of the source ids and the key alone, not of the seed.
    assert {r[0] for r in snap_a["cases"]} == {r[0] for r in snap_c["cases"]}
    for e in (a, b, c):
        e.dispose()


def test_the_fast_write_path_stores_what_sqlalchemy_would(tmp_path, monkeypatch):
    """Tuples straight to the driver (dates and booleans converted by the generator) give
    the very rows SQLAlchemy's own insert, with its type processing, gives."""
    fast, ordinary = _fresh_sqlite(tmp_path, "fast"), _fresh_sqlite(tmp_path, "ordinary")
    generate(fast, **SMALL)
    monkeypatch.setattr(demo, "Sink", lambda conn, cal: Sink(conn, cal, direct=False))
    generate(ordinary, **SMALL)
    with fast.connect() as a, ordinary.connect() as b:
        for table in (*PROGRAMME_TABLES, *MAINTAINED_TABLES):
            # quote(): the stored value as an SQL literal, so 1 and '1' or two date
            # spellings differ, as SQLAlchemy's result processing would hide.
            stored = select(*[func.quote(c) for c in table.c]).order_by(*table.primary_key)
            assert a.execute(stored).all() == b.execute(stored).all(), table.name
    for e in (fast, ordinary):
        e.dispose()


def test_refuses_a_warehouse_that_holds_programme_data(empty_warehouse):
    generate(empty_warehouse, cases=40, seed=1, until=date(2023, 1, 31), pseudonym_key=DEMO_KEY)
    before = _snapshot(empty_warehouse)
    with pytest.raises(ValueError, match="already holds programme data"):
        generate(empty_warehouse, cases=40, seed=2, until=date(2023, 1, 31), pseudonym_key=DEMO_KEY)
    assert _snapshot(empty_warehouse) == before


def test_a_failed_run_leaves_the_warehouse_untouched(empty_warehouse):
    indexes_before = _indexes(empty_warehouse)

    def fail_late(stage, done, total):  # the last call: everything written, flag included
        if stage == "finishing" and done == total:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        generate(
            empty_warehouse,
            cases=60,
            seed=1,
            until=date(2023, 6, 30),
            pseudonym_key=DEMO_KEY,
            progress=fail_late,
        )
    for table in (*PROGRAMME_TABLES, *MAINTAINED_TABLES, ingest_batches):
        assert count(empty_warehouse, table) == 0, table.name
    with empty_warehouse.connect() as conn:
        assert get_meta(conn, "demo") is None
    # The secondary indexes dropped for the load are all back (DDL rolled back with it).
    assert _indexes(empty_warehouse) == indexes_before == _schema_indexes()
    # ... and it can be generated into afterwards.
    generate(empty_warehouse, cases=60, seed=1, until=date(2023, 6, 30), pseudonym_key=DEMO_KEY)
    assert count(empty_warehouse, cases) == 60


def test_progress_is_reported_to_the_end(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "CHUNK_CASES", 100)
    calls = []
    engine = _fresh_sqlite(tmp_path, "p")
    generate(
        engine,
        cases=250,
        seed=5,
        until=date(2022, 3, 31),
        pseudonym_key=DEMO_KEY,
        progress=lambda stage, done, total: calls.append((stage, done, total)),
    )
    engine.dispose()
    case_calls = [c for c in calls if c[0] == "cases"]
    assert [d for _, d, _ in case_calls] == [0, 100, 200, 250]
    assert all(0 <= d <= t for _, d, t in calls)
    assert calls[-1][1] == calls[-1][2]


@pytest.mark.parametrize(
    "bad",
    [dict(cases=0), dict(seed=-1), dict(until=date(2020, 12, 31)), dict(pseudonym_key="")],
)
def test_rejects_bad_arguments(tmp_path, bad):
    engine = _fresh_sqlite(tmp_path, "bad")
    args = dict(cases=10, seed=1, until=date(2022, 1, 1), pseudonym_key=DEMO_KEY) | bad
    with pytest.raises(ValueError):
        generate(engine, **args)
    assert count(engine, cases) == 0
    engine.dispose()


# --- what the load leaves behind ------------------------------------------------------------------


def test_indexes_are_rebuilt_and_statistics_gathered(empty_warehouse):
    generate(empty_warehouse, **SMALL)
    assert _indexes(empty_warehouse) == _schema_indexes()
    with empty_warehouse.connect() as conn:
        if conn.dialect.name == "sqlite":
            analyzed = conn.execute(text("SELECT DISTINCT tbl FROM sqlite_stat1")).scalars()
        else:  # rows in pg_stats exist only once ANALYZE has run
            analyzed = conn.execute(
                text("SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = 'public'")
            ).scalars()
        assert {"cases", "case_events", "hearings", "services"} <= set(analyzed)


@pytest.mark.postgres
def test_postgresql_tables_are_vacuumed_for_index_only_reads(pg_databases, tmp_path_factory,
                                                             request):
    """Every page of the fact and summary tables is marked all-visible once the build has
    committed, by the build's own VACUUM (not autovacuum's, which comes later or never)."""
    url = new_warehouse_url("postgresql", tmp_path_factory, request)
    engine = get_engine(url)
    init_warehouse(engine)
    generate(engine, **SMALL)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT s.relname, s.last_vacuum IS NOT NULL, c.relallvisible, c.relpages "
            "FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid "
            "WHERE s.relname IN ('cases', 'case_events', 'hearings', 'services', "
            "'case_milestones', 'service_days', 'hearing_days')")).all()
    engine.dispose()
    assert len(rows) == 7
    for name, vacuumed, visible, pages in rows:
        assert vacuumed and visible == pages, name


def test_sqlite_is_left_in_wal_mode_with_foreign_keys_on(tmp_path):
    engine = _fresh_sqlite(tmp_path, "w")
    generate(engine, **SMALL)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
    engine.dispose()


def test_a_reader_holding_the_file_open_gets_the_same_warehouse(tmp_path):
    """With another connection open SQLite cannot leave the WAL: the load runs in it."""
    alone, watched = _fresh_sqlite(tmp_path, "alone"), _fresh_sqlite(tmp_path, "watched")
    reader = sqlite3.connect(tmp_path / "watched.db")
    try:
        assert reader.execute("SELECT count(*) FROM cases").fetchone() == (0,)
        generate(watched, **SMALL)
        assert reader.execute("SELECT count(*) FROM cases").fetchone() == (SMALL["cases"],)
    finally:
        reader.close()
    generate(alone, **SMALL)
    assert _snapshot(watched) == _snapshot(alone)
    for e in (alone, watched):
        e.dispose()


def test_a_generated_row_pointing_at_nothing_fails_the_whole_run(empty_warehouse, monkeypatch):
    insert = Sink.insert

    def one_dangling_service(self, table, columns, batch_id):
        if table is services:
            columns = {**columns, "case_key": ["f" * 64, *columns["case_key"][1:]]}
        return insert(self, table, columns, batch_id)

    monkeypatch.setattr(Sink, "insert", one_dangling_service)
    with pytest.raises(RuntimeError, match="point at nothing|services rows break the schema"):
        generate(empty_warehouse, **SMALL)
    for table in (cases, services, ingest_batches):
        assert count(empty_warehouse, table) == 0, table.name
