"""Planner statistics after a load: the one place the demo generator and ingest ask for them.

Without statistics SQLite's planner guesses, and picks a row-by-row index over the covering
index a count needs (or never skip-scans the county column); PostgreSQL's autovacuum gets
to a freshly loaded table only later. Both are refreshed in the load's own transaction, so
the first reader after a load gets the plans the benchmarks measured.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, Table, func, select

# Rows SQLite reads per index to estimate its statistics (``PRAGMA analysis_limit``): the
# estimates are as good for the planner, and ANALYZE takes the same time at any size.
SQLITE_ROWS_PER_INDEX = 2000


def analyze(conn: Connection, tables: Iterable[Table] | None = None) -> None:
    """Refresh the planner statistics of ``tables`` (every table when None): a load passes
    the tables it wrote and the maintained tables. PostgreSQL samples a bounded number of
    rows per table by itself."""
    names = [None] if tables is None else sorted({t.name for t in tables})
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        conn.exec_driver_sql(f"PRAGMA analysis_limit={SQLITE_ROWS_PER_INDEX}")
    for name in names:
        conn.exec_driver_sql("ANALYZE" if name is None
                             else f"ANALYZE {conn.dialect.identifier_preparer.quote(name)}")
    if sqlite:
        conn.exec_driver_sql("PRAGMA analysis_limit=0")


def vacuum_after_bulk_load(engine: Engine) -> None:
    """PostgreSQL, once a bulk load (the demo build) has committed: VACUUM (ANALYZE) sets
    every page's bit in the visibility map, without which the covering indexes are not read
    index-only (each row is checked in the table as well) until autovacuum gets to the new
    tables, minutes later at a million cases. It cannot run inside a transaction, hence
    its own connection. SQLite has no visibility map: nothing to do."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM (ANALYZE)")


@contextmanager
def index_lookups(conn: Connection) -> Iterator[None]:
    """PostgreSQL, for the rest of the block: no sequential scan where an index can serve,
    for statements that look up the rows of a chunk of case keys (an incremental load's
    refresh of the maintained tables). A case's hearings, events and services sit side by
    side in their tables, so PostgreSQL's sample sees few different case keys: it reckons
    65 hearings a case at a million cases (there are about 6) and scans all six million
    hearings for 5,000 keys (0.65 s a lookup; with the index 0.2). Raising the statistics
    target did not cure it. Restored on leaving the block; the setting is the
    transaction's own (``set_config(..., true)``), so no other reader sees it. SQLite:
    nothing to do."""
    if conn.dialect.name != "postgresql":
        yield
        return
    was = conn.execute(select(func.current_setting("enable_seqscan"))).scalar_one()
    conn.execute(select(func.set_config("enable_seqscan", "off", True)))
    try:
        yield
    finally:
        conn.execute(select(func.set_config("enable_seqscan", was, True)))
