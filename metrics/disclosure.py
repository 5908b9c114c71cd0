"""Disclosure control: withhold small counts for roles that see summaries only.

Primary suppression withholds every count from 1 to ``threshold - 1``. Zeros are
shown: a true zero discloses nobody. Because the page also publishes the total
over the cells of a table, a single withheld cell could be recovered by
subtraction; secondary suppression then withholds the next smallest cell too.
(Per-row and per-column margins, and the programme's full complementary
suppression rules, come with the monitor summary; see the roadmap.)
"""

from __future__ import annotations

import polars as pl

SUPPRESSED_LABEL = "suppressed (1–10)"


def suppress(df: pl.DataFrame, column: str, threshold: int) -> pl.DataFrame:
    """``column`` with small counts set to null, plus ``<column>_suppressed`` flags."""
    flag = f"{column}_suppressed"
    if threshold <= 0:
        return df.with_columns(pl.lit(False).alias(flag))
    primary = pl.col(column).is_between(1, threshold - 1)
    out = df.with_columns(primary.fill_null(False).alias(flag))
    if out[flag].sum() == 1 and out.height > 1:
        # Withhold the smallest remaining non-zero cell so the total does not give the first away.
        candidates = out.with_row_index("_row").filter(~pl.col(flag) & (pl.col(column) > 0))
        if candidates.height:
            row = candidates.sort(column).item(0, "_row")
            out = out.with_row_index("_row").with_columns(
                (pl.col(flag) | (pl.col("_row") == row)).alias(flag)
            ).drop("_row")
    return out.with_columns(
        pl.when(pl.col(flag)).then(None).otherwise(pl.col(column)).alias(column)
    )


def suppress_value(value: int | None, threshold: int) -> int | None:
    """One headline count: None when it must be withheld."""
    if value is None or threshold <= 0:
        return value
    return None if 1 <= value < threshold else value
