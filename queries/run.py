"""Running a built statement: the one way a count leaves queries/.

``fetch`` applies disclosure control on the way out of the database, so a page, an
export or a figure cannot forget it: a scope that calls for suppression never
receives a small count in the first place.
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
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    df = pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")
    for column in counts:
        df = suppress(df, column, scope.suppress_below, additive=additive)
    return df
