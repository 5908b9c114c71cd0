"""Shaping the case progress page's figures: rates, shares and what a reader sees."""

from __future__ import annotations

import polars as pl

from metrics.tables import ratio, with_value

TESTIFIED = "testified"  # the row of the testimony query holding the shares' denominator


def _flags(df: pl.DataFrame) -> list[str]:
    return [c for c in df.columns if c.endswith("_withheld")]


def with_rate(df: pl.DataFrame) -> pl.DataFrame:
    """The hearings table with adjournment_rate = adjourned ÷ hearings (empty when there
    were no hearings, or either count is withheld), before the reason columns."""
    rate = ratio(pl.col("adjourned"), pl.col("hearings")).alias("adjournment_rate")
    keep = [c for c in df.columns if not c.endswith("_withheld")]
    return df.with_columns(rate).select(*keep, "adjournment_rate", *_flags(df))


def testimony_shares(counts: pl.DataFrame) -> pl.DataFrame:
    """measure, hearings, share: hearings ÷ the hearings where the survivor testified (the
    ``testified`` row, which is dropped)."""
    testified = counts.filter(pl.col("measure") == TESTIFIED)["hearings"]
    if testified.len() != 1:
        raise ValueError("the testimony counts need exactly one 'testified' row")
    out = with_value(counts.filter(pl.col("measure") != TESTIFIED), "_testified",
                     testified.item())
    return out.with_columns(ratio(pl.col("hearings"), pl.col("_testified"))
                            .alias("share")).select("measure", "hearings", "share",
                                                    *_flags(counts))
