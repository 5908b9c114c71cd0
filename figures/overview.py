"""The overview's figures (contract: page ``overview``, tables ``headline`` and ``trend``)."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine

from core.scope import Filters, Scope
from metrics.disclosure import flag_column
from metrics.overview import complete_periods, trend_grain
from queries.overview import headline_counts, reported_trend
from queries.status import first_report_on

TABLES = ("headline", "trend")


def comparable(engine: Engine, filters: Filters) -> bool:
    """A period is compared with the same dates one year earlier only when that earlier
    period starts on or after the first report in the warehouse."""
    first = first_report_on(engine)
    return first is not None and filters.year_earlier().start >= first


def headline(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """measure, current, previous (+ their ``_withheld`` reasons)."""
    current = headline_counts(engine, scope, filters)
    if comparable(engine, filters):
        previous = headline_counts(engine, scope, filters.year_earlier())
    else:
        previous = current.with_columns(pl.lit(None, dtype=pl.Int64).alias("current"),
                                        pl.lit(None, dtype=pl.String).alias("current_withheld"))
    previous = previous.rename({"current": "previous",
                                "current_withheld": flag_column("previous")})
    return current.join(previous, on="measure", how="left", maintain_order="left").select(
        "measure", "current", "previous", flag_column("current"), flag_column("previous"))


def trend(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """period, county_code, county, cases (+ cases_withheld): every period of the range."""
    grain = trend_grain(scope)
    return complete_periods(reported_trend(engine, scope, filters, grain),
                            filters.start, filters.end, grain)


def tables(engine: Engine, scope: Scope, filters: Filters) -> dict[str, pl.DataFrame]:
    return {"headline": headline(engine, scope, filters), "trend": trend(engine, scope, filters)}
