"""The prosecution funnel's figures (contract: page ``funnel``), one builder per table."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine

from core.scope import Filters, Scope
from metrics.funnel import with_shares
from metrics.tables import withhold_with
from queries import funnel as q


def funnel(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    return with_shares(q.funnel(engine, scope, filters))


def durations(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    return withhold_with(q.durations(engine, scope, filters), "cases",
                         ("median_days", "p75_days"))


def pending(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    return withhold_with(q.pending(engine, scope, filters), "cases", ("median_days_waiting",))


BUILDERS = {
    "funnel": funnel,
    "exits": q.exits,
    "durations": durations,
    "pending": pending,
    "activity": q.activity,
    "breakdown": q.breakdown,
}
TABLES = tuple(BUILDERS)


def tables(engine: Engine, scope: Scope, filters: Filters) -> dict[str, pl.DataFrame]:
    return {name: build(engine, scope, filters) for name, build in BUILDERS.items()}
