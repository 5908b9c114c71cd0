"""The prosecution funnel's figures (contract: page ``funnel``)."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine

from core.scope import Filters, Scope
from metrics.funnel import with_shares
from metrics.tables import withhold_with
from queries import funnel as q

TABLES = ("funnel", "exits", "durations", "pending", "activity", "breakdown")


def tables(engine: Engine, scope: Scope, filters: Filters) -> dict[str, pl.DataFrame]:
    return {
        "funnel": with_shares(q.funnel(engine, scope, filters)),
        "exits": q.exits(engine, scope, filters),
        "durations": withhold_with(q.durations(engine, scope, filters), "cases",
                                   ("median_days", "p75_days")),
        "pending": withhold_with(q.pending(engine, scope, filters), "cases",
                                 ("median_days_waiting",)),
        "activity": q.activity(engine, scope, filters),
        "breakdown": q.breakdown(engine, scope, filters),
    }
