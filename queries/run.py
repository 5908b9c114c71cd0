"""Running a built statement: the one way a count leaves queries/.

``fetch`` applies disclosure control on the way out of the database, so a page, an
export or a figure cannot forget it. A summaries-only reader gets nothing from it at all:
everything such a reader sees comes from the protected release (``queries.release``),
which alone reads unprotected counts, through ``fetch_unprotected``, and protects them
before they leave.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

import polars as pl
from sqlalchemy import Connection, Engine, Select

from core.scope import Scope
from metrics.disclosure import suppress

T = TypeVar("T")


def fetch(
    engine: Engine,
    stmt: Select,
    scope: Scope,
    *,
    schema: dict[str, pl.DataType],
    counts: tuple[str, ...] = (),
    additive: bool = True,
) -> pl.DataFrame:
    """Rows of ``stmt`` as a DataFrame; each column in ``counts`` suppressed for ``scope``.

    ``additive``: the rows of each count column add up to a total the reader also sees
    (a trend, a breakdown), so one withheld cell must not be left alone to be recovered.
    """
    if scope.aggregate_only:
        raise ReleaseOnly(
            "summaries-only readers receive the protected release only (queries.release)")
    return protect(_rows(engine, stmt, schema), scope, counts, additive=additive)


def protect(df: pl.DataFrame, scope: Scope, counts: tuple[str, ...], *,
            additive: bool = True) -> pl.DataFrame:
    """Each column in ``counts`` of ``df`` suppressed for ``scope``: what ``fetch`` does to
    its rows, for a statement fetched once that holds several tables (each protected on
    its own)."""
    for column in counts:
        df = suppress(df, column, scope.suppress_below, additive=additive)
    return df


class ReleaseOnly(PermissionError):
    """A summaries-only reader's figures were asked for outside the protected release."""


def fetch_unprotected(engine: Engine, stmt: Select, *,
                      schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Raw counts for ``queries.release`` alone, which protects them before they leave
    (tests/test_layers.py checks that nothing else calls this)."""
    return _rows(engine, stmt, schema)


@dataclass
class _Read:
    """The read of one page in this thread (``one_read``)."""

    engine: Engine
    conn: Connection
    # What several of the page's figures derive alike from the same snapshot (``per_read``).
    derived: dict[Hashable, Any] = field(default_factory=dict)


_current: ContextVar[_Read | None] = ContextVar("haki_one_read", default=None)


def _held(engine: Engine) -> _Read | None:
    read = _current.get()
    return read if read is not None and read.engine is engine else None


@contextmanager
def one_read(engine: Engine) -> Iterator[Connection]:
    """Every statement run inside (by ``fetch`` and the other readers here, in this thread)
    goes through one connection and one transaction: a page's figures then come from one
    snapshot on PostgreSQL (REPEATABLE READ, read only), so a load committed while the page
    is computed shows in all of its figures or in none; and a page of a hundred statements
    pays one pool checkout, liveness ping and BEGIN/ROLLBACK instead of a hundred. Nested
    calls share the outer one."""
    held = _held(engine)
    if held is not None:
        yield held.conn
        return
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        token = _current.set(_Read(engine, conn))
        try:
            yield conn
        finally:
            _current.reset(token)


@contextmanager
def connected(engine: Engine) -> Iterator[Connection]:
    """The page's connection inside ``one_read``, else one of the pool's for this read."""
    held = _held(engine)
    if held is not None:
        yield held.conn
        return
    with engine.connect() as conn:
        yield conn


def per_read(engine: Engine, key: Hashable, derive: Callable[[], T]) -> T:
    """``derive()`` once per ``one_read`` for ``key`` (which must hold everything the value
    depends on besides the data: the reader's scope and filters), e.g. where the funnel's
    five figures read their cohort from; outside one, every time."""
    held = _held(engine)
    if held is None:
        return derive()
    if key not in held.derived:
        held.derived[key] = derive()
    return held.derived[key]


def _rows(engine: Engine, stmt: Select, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    with connected(engine) as conn:
        rows = conn.execute(stmt).all()
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")
