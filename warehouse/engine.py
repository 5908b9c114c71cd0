"""Engines, created lazily (never at import time) and shared per URL."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

SQLITE_MMAP_BYTES = 256 * 1024 * 1024
SQLITE_CACHE_KIB = 16 * 1024  # per connection
# A page holds one connection while its figures are computed (queries.run.one_read), so the
# pool must lend as many as there are pages being computed at once, or a reader waits for
# another's page and fails after ``pool_timeout``. Under the 20-session load test
# (bench/load.py) the server held up to 12 at once, against SQLAlchemy's default of 15
# (5 kept + 10 more). 40 leaves room for twice those sessions; the connections beyond the
# 5 kept are closed when returned, and PostgreSQL allows 100 by default.
POOL = {"pool_size": 5, "max_overflow": 35}

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def get_engine(url: str) -> Engine:
    """The shared engine for ``url`` (one connection pool per warehouse per process)."""
    with _lock:
        if url not in _engines:
            _engines[url] = _create(url)
        return _engines[url]


def forget_engine(url: str) -> None:
    """Close the pool for ``url``, e.g. before its SQLite file is moved or deleted."""
    with _lock:
        engine = _engines.pop(url, None)
    if engine is not None:
        engine.dispose()


def _create(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path in ("", ":memory:"):  # one connection per thread: no pool to size
            engine = create_engine(url)
        else:
            _private_file(Path(path))
            engine = create_engine(url, **POOL)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **POOL)


def _private_file(path: Path) -> None:
    """Create the SQLite file readable by its owner only (0600, in a 0700 folder if we make
    it) before SQLite opens it: SQLite gives its -wal and -shm files the same mode."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # Foreign keys are off by default in SQLite; the contract's links must hold there too.
    cur.execute("PRAGMA foreign_keys=ON")
    # WAL lets the dashboard read while a load or the demo generator writes.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    # Reads go through a memory map of the file (no copy into SQLite's own cache; the pages
    # are the operating system's, shared by every connection) and sorts stay in memory:
    # the page counts read summaries and covering indexes, tens of megabytes at 1M cases.
    cur.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


def warehouse_exists(url: str) -> bool:
    """True when the URL points at a SQLite file that is there, or at any server URL."""
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        return path == ":memory:" or Path(path).exists()
    return True
