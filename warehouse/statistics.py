"""Planner statistics after a load: the one place the demo generator and ingest ask for them.

Without statistics SQLite's planner guesses, and picks a row-by-row index over the covering
index a count needs (or never skip-scans the county column); PostgreSQL's autovacuum gets
to a freshly loaded table only later. Both are refreshed in the load's own transaction, so
the first reader after a load gets the plans the benchmarks measured.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Engine, Table

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
