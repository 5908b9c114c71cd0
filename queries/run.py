"""Running a built statement: the one way queries/ turns a select() into a DataFrame.

Counts pass through disclosure control here, on the way out of the database, so a
page cannot forget it: a scope that calls for suppression never receives a small
count in the first place.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine, Select

from metrics.disclosure import suppress
from queries.scope import Scope


def fetch(
    engine: Engine,
    stmt: Select,
    scope: Scope,
    *,
    schema: dict[str, pl.DataType],
    counts: tuple[str, ...] = (),
) -> pl.DataFrame:
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    df = pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")
    for column in counts:
        df = suppress(df, column, scope.suppress_below)
    return df


def fetch_value(engine: Engine, stmt: Select) -> int:
    with engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one() or 0)
