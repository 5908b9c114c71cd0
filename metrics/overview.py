"""Shaping the overview's numbers: changes against the previous period, a full monthly grid."""

from __future__ import annotations

from datetime import date

import polars as pl


def with_change(headline: pl.DataFrame) -> pl.DataFrame:
    """Adds ``change`` (current - previous) and ``change_pct``; null where either is withheld."""
    return headline.with_columns(
        (pl.col("current") - pl.col("previous")).alias("change"),
        pl.when(pl.col("previous") > 0)
        .then((pl.col("current") - pl.col("previous")) / pl.col("previous") * 100)
        .otherwise(None)
        .alias("change_pct"),
    )


def months_between(start: date, end: date) -> list[str]:
    out, (y, m) = [], (start.year, start.month)
    while (y, m) <= (end.year, end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def complete_months(trend: pl.DataFrame, start: date, end: date) -> pl.DataFrame:
    """Every month x county of the period, with 0 where nothing was reported.

    Counties appear when they have at least one case (or withheld cell) in the
    period; a month with no report is a real zero and is shown as one.
    """
    flag = "cases_suppressed"
    present = trend.select("county_code", "county").unique()
    grid = pl.DataFrame({"month": months_between(start, end)}).join(present, how="cross")
    out = grid.join(trend, on=["month", "county_code", "county"], how="left")
    return out.with_columns(
        pl.when(pl.col(flag).fill_null(False)).then(None)
        .otherwise(pl.col("cases").fill_null(0)).alias("cases"),
        pl.col(flag).fill_null(False),
    ).sort("month", "county")


def trend_table(trend: pl.DataFrame) -> pl.DataFrame:
    """The trend as a reader's table: month in words, county name, count or 'suppressed'."""
    from metrics.disclosure import SUPPRESSED_LABEL

    return trend.sort("month", "county").select(
        pl.col("month").map_elements(_month_words, return_dtype=pl.String).alias("Month"),
        pl.col("county").alias("County"),
        pl.when(pl.col("cases_suppressed")).then(pl.lit(SUPPRESSED_LABEL))
        .otherwise(pl.col("cases").cast(pl.String)).alias("Cases reported"),
    )


def _month_words(key: str) -> str:
    from metrics.format import month

    return month(key)
