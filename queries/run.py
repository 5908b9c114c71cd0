"""Running a built statement: the one way a count leaves queries/.

``fetch`` applies disclosure control on the way out of the database, so a page, an
export or a figure cannot forget it. A summaries-only reader gets nothing from it at all:
everything such a reader sees comes from the protected release (``queries.release``),
which alone reads unprotected counts, through ``fetch_unprotected``, and protects them
before they leave.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine, Select

from core.scope import Scope
from metrics.disclosure import suppress


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


def _rows(engine: Engine, stmt: Select, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")
