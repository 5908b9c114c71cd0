"""Shaping the prosecution funnel's figures: shares, conversions and what a reader sees."""

from __future__ import annotations

import polars as pl

from metrics.tables import ratio, with_value


def with_shares(funnel: pl.DataFrame) -> pl.DataFrame:
    """stage, cases, share_of_reported (cases ÷ the first row's), conversion (cases ÷ the
    previous row's; empty on the first row), each empty when its denominator is 0."""
    reported = funnel["cases"][0] if funnel.height else None
    return with_value(funnel, "_reported", reported).with_columns(
        ratio(pl.col("cases"), pl.col("_reported")).alias("share_of_reported"),
        ratio(pl.col("cases"), pl.col("cases").shift(1)).alias("conversion"),
    ).select("stage", "cases", "share_of_reported", "conversion",
             *[c for c in funnel.columns if c.endswith("_withheld")])
