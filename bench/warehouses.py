"""Demo warehouses for the page harness: built once, then reused.

A warehouse is keyed by its size, the demo seed, the schema revision and the backend, so a
new migration builds a new one. It is built under a temporary name and renamed when the
build has finished, so an interrupted build is never mistaken for a finished one: a SQLite
file ``bench/results/haki-bench-<size>-s<seed>-<rev>.db`` (ignored by git), or on
PostgreSQL a database ``haki_bench_<size>_s<seed>_<rev>`` on the server of ``--pg-url``.
The build runs in a process of its own (``bench.worker build``), so its memory is not
counted against the pages.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.scenarios import SEED
from warehouse.config import normalize_url
from warehouse.migrate import head_revision

ROOT = Path(__file__).resolve().parents[1]


def parse_size(word: str) -> int:
    """'10k' -> 10,000; '1m' -> 1,000,000; '300' -> 300."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([km]?)", word.strip().lower())
    if not m:
        raise ValueError(f"size {word!r}: write a number of cases such as 300, 10k, 100k or 1m")
    n = round(float(m.group(1)) * {"": 1, "k": 1_000, "m": 1_000_000}[m.group(2)])
    if n < 1:
        raise ValueError(f"size {word!r}: at least one case")
    return n


def key(cases: int) -> str:
    rev = re.sub(r"[^a-z0-9]", "", head_revision().lower())
    return f"haki_bench_{cases}_s{SEED}_{rev}"


def _build(url: str, cases: int) -> None:
    subprocess.run([sys.executable, "-m", "bench.worker", "build", "--cases", str(cases)],
                   cwd=ROOT, check=True, env=worker_env(url))


def worker_env(url: str) -> dict[str, str]:
    """The worker's environment: the warehouse URL goes there, never on a command line."""
    return os.environ | {"HAKI_BENCH_WAREHOUSE": url}


def sqlite(out_dir: Path, cases: int) -> tuple[str, dict]:
    """The URL of the SQLite warehouse of that size, built if missing, and how it came."""
    final = out_dir / (key(cases).replace("_", "-") + ".db")
    if final.exists():
        return "sqlite:///" + str(final), {"built": False}
    partial = final.with_name(final.name + ".partial")
    for stale in partial.parent.glob(partial.name + "*"):
        stale.unlink()
    started = time.perf_counter()
    _build("sqlite:///" + str(partial), cases)
    partial.rename(final)
    return "sqlite:///" + str(final), {"built": True,
                                       "build_s": round(time.perf_counter() - started, 1)}


def _admin(pg_url: str):
    return create_engine(normalize_url(pg_url), isolation_level="AUTOCOMMIT")


def _exists(conn, name: str) -> bool:
    return conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                        {"n": name}).first() is not None


def _database_url(pg_url: str, name: str) -> str:
    return make_url(normalize_url(pg_url)).set(database=name).render_as_string(
        hide_password=False)


def postgresql(pg_url: str, cases: int) -> tuple[str, dict]:
    """The URL of the PostgreSQL database of that size on ``pg_url``'s server, built if
    missing (the user must be allowed to create databases)."""
    name = key(cases)
    partial = name + "_partial"
    admin = _admin(pg_url)
    try:
        with admin.connect() as conn:
            if _exists(conn, name):
                return _database_url(pg_url, name), {"built": False}
            # Names are made here from digits and letters only, never from input.
            conn.execute(text(f'DROP DATABASE IF EXISTS "{partial}" WITH (FORCE)'))  # noqa: S608
            conn.execute(text(f'CREATE DATABASE "{partial}"'))  # noqa: S608
        started = time.perf_counter()
        _build(_database_url(pg_url, partial), cases)
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{partial}" RENAME TO "{name}"'))  # noqa: S608
    finally:
        admin.dispose()
    return _database_url(pg_url, name), {"built": True,
                                         "build_s": round(time.perf_counter() - started, 1)}


def server_version(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                return "SQLite " + conn.execute(text("SELECT sqlite_version()")).scalar_one()
            return conn.execute(text("SHOW server_version")).scalar_one().join(
                ("PostgreSQL ", ""))
    finally:
        engine.dispose()
