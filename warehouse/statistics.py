"""Planner statistics after a load: the one place the demo generator and ingest ask for them.

Without statistics SQLite's planner guesses, and picks a row-by-row index over the covering
index a count needs (or never skip-scans the county column); PostgreSQL's autovacuum gets
to a freshly loaded table only later. Both are refreshed in the load's own transaction, so
the first reader after a load gets the plans the benchmarks measured.
"""

from __future__ import annotations

from sqlalchemy import Connection

# Rows SQLite reads per index to estimate its statistics (``PRAGMA analysis_limit``): the
# estimates are as good for the planner, and ANALYZE takes the same time at any size.
SQLITE_ROWS_PER_INDEX = 2000


def analyze(conn: Connection) -> None:
    """Refresh the planner statistics of every table (PostgreSQL samples a bounded number
    of rows per table by itself)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA analysis_limit={SQLITE_ROWS_PER_INDEX}")
        conn.exec_driver_sql("ANALYZE")
        conn.exec_driver_sql("PRAGMA analysis_limit=0")
    else:
        conn.exec_driver_sql("ANALYZE")
