"""Shaping the overview's numbers: changes against the previous period, a full period grid."""

from __future__ import annotations

from datetime import date

import polars as pl

from metrics.disclosure import SUPPRESSED_LABEL
from metrics.periods import key_start, key_words, period_keys
from queries.scope import Scope

GRAIN_WORDS = {"month": "Month", "quarter": "Quarter"}


def with_change(headline: pl.DataFrame) -> pl.DataFrame:
    """Adds ``change`` (current - previous) and ``change_pct``; null where either is withheld."""
    return headline.with_columns(
        (pl.col("current") - pl.col("previous")).alias("change"),
        pl.when(pl.col("previous") > 0)
        .then((pl.col("current") - pl.col("previous")) / pl.col("previous") * 100)
        .otherwise(None)
        .alias("change_pct"),
    )


def trend_grain(scope: Scope) -> str:
    """Summaries-only readers get quarters: monthly counts per county are mostly small
    enough to be withheld, which would leave a chart of gaps."""
    return "quarter" if scope.aggregate_only else "month"


def complete_periods(trend: pl.DataFrame, start: date, end: date, grain: str) -> pl.DataFrame:
    """Every period x county, with 0 where nothing was reported, and ``period_start`` dates.

    Counties appear when they have at least one case (or withheld cell) in the
    range; a period with no report is a real zero and is shown as one.
    """
    flag = "cases_suppressed"
    keys = period_keys(start, end, grain)
    stray = sorted(set(trend["period"]) - set(keys))
    if stray:
        # Rows the grid would silently drop, withheld cells included: never let that pass.
        raise ValueError(f"trend periods outside {start}..{end} at {grain} grain: {stray[:3]}")
    present = trend.select("county_code", "county").unique()
    grid = pl.DataFrame({"period": keys}).join(present, how="cross")
    out = grid.join(trend, on=["period", "county_code", "county"], how="left")
    return out.with_columns(
        pl.when(pl.col(flag).fill_null(False)).then(None)
        .otherwise(pl.col("cases").fill_null(0)).alias("cases"),
        pl.col(flag).fill_null(False),
        pl.col("period").map_elements(key_start, return_dtype=pl.Date).alias("period_start"),
    ).sort("period", "county")


def trend_table(trend: pl.DataFrame, grain: str) -> pl.DataFrame:
    """The trend as a reader's table: period in words, county name, count or 'suppressed'.

    Counts stay numbers (sortable, right-aligned) unless a cell is withheld."""
    count = pl.col("cases")
    if trend["cases_suppressed"].any():
        count = pl.when(pl.col("cases_suppressed")).then(pl.lit(SUPPRESSED_LABEL)).otherwise(
            pl.col("cases").cast(pl.String))
    return trend.sort("period", "county").select(
        pl.col("period").map_elements(key_words, return_dtype=pl.String)
        .alias(GRAIN_WORDS[grain]),
        pl.col("county").alias("County"),
        count.alias("Cases reported"),
    )
