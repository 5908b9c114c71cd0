"""The training page's figures (contract: page ``training``, tables ``trained``, ``coverage``
and ``learning``), and the quarterly series against targets that the page also shows."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine

from core.periods import period_keys
from core.scope import Filters, Scope, effective_counties
from metrics import training as shape
from queries import training as q

TABLES = ("trained", "coverage", "learning")


def coverage(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """People trained (``delivery = training``, since the data begins, up to the period's
    end) against each county and cadre's latest headcount on or before the period's end."""
    return shape.coverage(*q.coverage_parts(engine, scope, filters))


def quarterly(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """quarter, people, target, cumulative_people, cumulative_target: see
    ``metrics.training.quarterly`` for the rule. Not in the figures contract."""
    quarters = period_keys(filters.start, filters.end, "quarter")
    return shape.quarterly(q.quarterly_people(engine, scope, filters),
                           q.quarterly_targets(engine, scope, filters, quarters), quarters,
                           effective_counties(scope, filters))


def tables(engine: Engine, scope: Scope, filters: Filters) -> dict[str, pl.DataFrame]:
    return {"trained": q.trained(engine, scope, filters),
            "coverage": coverage(engine, scope, filters),
            "learning": q.learning(engine, scope, filters)}


def extra_tables(engine: Engine, scope: Scope, filters: Filters,
                 given: dict[str, pl.DataFrame] | None = None) -> dict[str, pl.DataFrame]:
    return {"quarterly": quarterly(engine, scope, filters)}
