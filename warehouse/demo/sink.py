"""Writing the generated rows fast, all inside the generator's one transaction.

- Rows go to the database as plain tuples of values the driver takes as they are (dates
  already in the form SQLAlchemy would store them): SQLite gets ``executemany`` in
  slices, PostgreSQL (psycopg) gets ``COPY``. Building one dict per row and letting
  SQLAlchemy process every value cost more than the database's own work. Any other
  driver gets that ordinary way.
- Secondary indexes are dropped when the load starts and built once, by sorting, at the
  end: maintaining them row by row in random order is what made a large load rewrite the
  same pages over and over. DDL is transactional on both dialects, so a failed load
  leaves them exactly as they were.
- SQLite only: when nothing else has the file open, a rollback journal instead of the
  WAL for the load. A new database's pages have no old content to journal, so each page
  is written about once instead of once to the WAL and again at the checkpoint; the load
  stays one atomic transaction. The WAL is back on afterwards.
- SQLite only: a 32 MiB page cache. Appending needs little, and it also sizes the runs
  CREATE INDEX sorts in memory: at a million cases that sorted in half the CPU time of
  128-256 MiB (cache-friendly runs, merged from short-lived temp files).
- SQLite only: foreign keys are checked once for the whole load at its end (``PRAGMA
  foreign_key_check``, which fails the transaction if any row points at nothing) instead
  of row by row, which cost more than the inserts themselves.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence

import numpy as np
import psycopg
from psycopg import sql as pgsql
from sqlalchemy import Connection, Date, Engine, Index, Table
from sqlalchemy.exc import OperationalError

from warehouse.demo.common import Calendar

INSERT_SLICE = 20_000  # rows per executemany call (SQLite)
# Fixed statements (PRAGMA values cannot be bound parameters).
SQLITE_LOAD_CACHE = "PRAGMA cache_size = -32768"  # KiB
SQLITE_LOAD_JOURNAL = "PRAGMA journal_mode = DELETE"
SQLITE_WAL = "PRAGMA journal_mode = WAL"
SQLITE_LINKS_AT_END = "PRAGMA foreign_keys = OFF"


class Sink:
    """Inserts generated columns into warehouse tables through one connection."""

    def __init__(self, conn: Connection, cal: Calendar, *, direct: bool = True):
        """``direct=False``: every row through SQLAlchemy's ordinary insert (slow)."""
        self.conn = conn
        self._copy = direct and conn.dialect.driver == "psycopg"
        self._tuples = direct and conn.dialect.paramstyle == "qmark"  # sqlite3
        to_db = Date().dialect_impl(conn.dialect).bind_processor(conn.dialect)
        if self._tuples and to_db is not None:
            self._dates = np.array([to_db(d) for d in cal.dates], dtype=object)
        else:
            self._dates = np.array(cal.dates, dtype=object)
        self._statements: dict[tuple[str, tuple[str, ...]], tuple[str, list[str]]] = {}

    def dates(self, days: np.ndarray) -> list:
        """Day numbers (see Calendar) as the values this database stores dates as."""
        return self._dates[days].tolist()

    def flags(self, mask: np.ndarray) -> list:
        """Booleans as the driver binds them fastest: SQLite stores True as the integer 1
        either way, but binds a bool (not exactly an int) through a slow adapter lookup."""
        return mask.astype(np.int64).tolist() if self._tuples else mask.tolist()

    def insert(self, table: Table, columns: Mapping[str, Sequence], batch_id: int) -> int:
        """Write one row per position of the equally long ``columns``; returns the count."""
        n = len(next(iter(columns.values())))
        named = {**columns, "batch_id": itertools.repeat(batch_id, n)}
        if self._copy:
            self._copy_rows(table, list(named), zip(*named.values(), strict=True))
        elif self._tuples:
            self._executemany(table, named)
        else:
            self._execute(table, named)
        return n

    def _execute(self, table: Table, named: Mapping[str, Iterable]) -> None:
        names, rows = list(named), zip(*named.values(), strict=True)
        while part := list(itertools.islice(rows, INSERT_SLICE)):
            self.conn.execute(table.insert(), [dict(zip(names, r, strict=True)) for r in part])

    def _executemany(self, table: Table, named: Mapping[str, Iterable]) -> None:
        statement, order = self._statement(table, tuple(named))
        rows = zip(*(named[name] for name in order), strict=True)
        while part := list(itertools.islice(rows, INSERT_SLICE)):
            self.conn.exec_driver_sql(statement, part)

    def _statement(self, table: Table, names: tuple[str, ...]) -> tuple[str, list[str]]:
        key = (table.name, names)
        if key not in self._statements:
            compiled = table.insert().compile(dialect=self.conn.dialect, column_keys=list(names))
            order = list(compiled.positiontup)
            if sorted(order) != sorted(names):  # a column with a default nobody filled in
                raise ValueError(f"{table.name}: give values for {sorted(set(order) - set(names))}")
            self._statements[key] = (str(compiled), order)
        return self._statements[key]

    def _copy_rows(self, table: Table, names: list[str], rows: Iterable[tuple]) -> None:
        query = pgsql.SQL("COPY {} ({}) FROM STDIN").format(
            pgsql.Identifier(table.name), pgsql.SQL(", ").join(map(pgsql.Identifier, names))
        )
        cursor = self.conn.connection.driver_connection.cursor()
        try:
            with cursor, cursor.copy(query) as copy:
                for row in rows:
                    copy.write_row(row)
        except psycopg.errors.IntegrityError as exc:  # a bug in the generator, said plainly
            raise RuntimeError(f"generated {table.name} rows break the schema: {exc}") from exc


@contextlib.contextmanager
def bulk_transaction(engine: Engine) -> Iterator[Connection]:
    """One connection in one transaction for the whole load; SQLite tuned for it."""
    with engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            with conn.begin():
                yield conn
            return
        journal = _use_load_journal(conn)
        try:
            _pragma(conn, SQLITE_LOAD_CACHE)
            _pragma(conn, SQLITE_LINKS_AT_END)
            with conn.begin():
                yield conn
                _check_links(conn)
        finally:
            if journal:
                _pragma(conn, SQLITE_WAL)
            # Hand back a fresh connection next time (load cache, foreign keys off).
            conn.invalidate()


def _check_links(conn: Connection) -> None:
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        tables = sorted({row[0] for row in broken})
        raise RuntimeError(
            f"{len(broken)} generated rows point at nothing (in {', '.join(tables)}); "
            "nothing was written"
        )


def _pragma(conn: Connection, statement: str):
    # Outside any SQLite transaction (journal_mode cannot change inside one); commit ends
    # the transaction SQLAlchemy began on its side, so the load can begin its own.
    result = conn.exec_driver_sql(statement)
    value = result.scalar() if result.returns_rows else None
    conn.commit()
    return value


def _use_load_journal(conn: Connection) -> bool:
    """Leave the WAL for the load if no other connection has the file open (SQLite refuses
    otherwise, and then the load simply runs in WAL mode). True if the mode changed."""
    if _pragma(conn, "PRAGMA journal_mode") != "wal":
        return False
    try:
        mode = _pragma(conn, SQLITE_LOAD_JOURNAL)
    except OperationalError:  # "database is locked": a reader is there
        conn.rollback()
        return False
    return mode != "wal"


def require_transaction(conn: Connection) -> None:
    """DDL must run inside the load's transaction: Python's sqlite3 only opens one on the
    first INSERT/UPDATE/DELETE and would otherwise commit a DROP INDEX at once."""
    if conn.dialect.name == "sqlite" and not conn.connection.driver_connection.in_transaction:
        raise RuntimeError("write a row before changing indexes, so the change can roll back")


def drop_indexes(conn: Connection, tables: Iterable[Table]) -> list[Index]:
    """Drop the tables' secondary indexes (not primary keys or unique constraints)."""
    require_transaction(conn)
    dropped = sorted((ix for t in tables for ix in t.indexes), key=lambda ix: ix.name)
    for index in dropped:
        index.drop(conn)
    return dropped


def create_indexes(conn: Connection, indexes: Iterable[Index]) -> None:
    for index in indexes:
        index.create(conn)
