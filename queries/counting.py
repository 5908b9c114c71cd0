"""Counting helpers shared by the statements of several pages."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, case, func, literal, select, union_all
from sqlalchemy.sql import ColumnElement


def count_if(condition: ColumnElement) -> ColumnElement:
    """How many rows meet ``condition``: 0 over no rows (a sum would be null)."""
    return func.count(case((condition, 1)))


def as_rows(wide: Select, key: str, value: str, names: Sequence[str]) -> Select:
    """The one-row ``wide`` select (a column per name) as rows ``(key, value)``, in the
    order of ``names``. ``wide`` runs once (a common table expression used by every row,
    which both dialects materialise), so one pass over the data gives a whole table
    whose rows ``queries.run.fetch`` can then treat as rows."""
    counts = wide.cte(f"{key}_counts")
    order = f"{key}_order"
    rows = union_all(*[
        select(literal(name).label(key), counts.c[name].label(value),
               literal(i).label(order))
        for i, name in enumerate(names)
    ]).subquery(f"{key}_rows")
    return select(rows.c[key], rows.c[value]).order_by(rows.c[order])
