"""Disclosure control: withhold small counts for readers who see summaries only.

Primary suppression withholds every count from 1 to ``threshold - 1``. Zeros are
shown: a true zero discloses nobody. When the cells of a table add up to a total the
page also shows (``additive``), a single withheld cell could be recovered by
subtraction, so the smallest other non-zero cell is withheld too (secondary
suppression), and says so in its own words. (Complementary suppression across the
rows, columns and totals of a whole release comes with the monitor summary.)

Each count column ``x`` travels with ``x_withheld``: None when shown, ``SMALL`` when
the count itself is small, ``PROTECTS`` when it hides to protect another cell. The
words for both come from here and nowhere else.
"""

from __future__ import annotations

import polars as pl

SMALL = "small"
PROTECTS = "protects"


def flag_column(column: str) -> str:
    return f"{column}_withheld"


def small_range(threshold: int) -> str:
    """'1–10' for the threshold 11."""
    return f"1–{threshold - 1}"


def withheld_words(reason: str | None, threshold: int) -> str:
    """Short enough for a figure card or a table cell."""
    if reason == PROTECTS:
        return "withheld (protects a small count)"
    return f"withheld ({small_range(threshold)})"


def rule_words(threshold: int) -> str:
    """The sentence a page shows wherever figures may be withheld."""
    return (
        f"Counts of {small_range(threshold)} are withheld to protect survivors; a count "
        "withheld only so that a small one cannot be worked out from a total says so."
    )


def suppress(df: pl.DataFrame, column: str, threshold: int, *,
             additive: bool = True) -> pl.DataFrame:
    """``column`` with withheld counts set to null, plus its ``_withheld`` reasons."""
    flag = flag_column(column)
    if threshold <= 0:
        return df.with_columns(pl.lit(None, dtype=pl.String).alias(flag))
    small = pl.col(column).is_between(1, threshold - 1).fill_null(False)
    out = df.with_columns(
        pl.when(small).then(pl.lit(SMALL)).otherwise(pl.lit(None, dtype=pl.String)).alias(flag)
    )
    if additive and out[flag].is_not_null().sum() == 1 and out.height > 1:
        candidates = out.with_row_index("_row").filter(
            pl.col(flag).is_null() & (pl.col(column) > 0))
        if candidates.height:
            row = candidates.sort(column, "_row").item(0, "_row")
            out = out.with_row_index("_row").with_columns(
                pl.when(pl.col("_row") == row).then(pl.lit(PROTECTS))
                .otherwise(pl.col(flag)).alias(flag)
            ).drop("_row")
    return out.with_columns(
        pl.when(pl.col(flag).is_not_null()).then(None).otherwise(pl.col(column)).alias(column)
    )
