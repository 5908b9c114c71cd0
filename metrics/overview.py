"""Shaping the overview's figures: the full period grid of the trend, and the tables a reader
sees (labels, words for periods, withheld cells in words)."""

from __future__ import annotations

from datetime import date

import polars as pl

from core.periods import key_end, key_start, key_words, period_keys
from core.scope import Scope
from metrics import format as fmt
from metrics.disclosure import flag_column, withheld_words
from metrics.each import each, select, with_columns
from metrics.tables import shown

GRAIN_WORDS = {"month": "Month", "quarter": "Quarter"}
TO_DATE = "to date"


def trend_grain(scope: Scope) -> str:
    """Summaries-only readers get quarters: monthly counts per county are mostly small
    enough to be withheld, which would leave a chart of gaps."""
    return "quarter" if scope.aggregate_only else "month"


def complete_periods(trend: pl.DataFrame, start: date, end: date, grain: str) -> pl.DataFrame:
    """Every period x county, with 0 where nothing was reported.

    Counties appear when they have at least one case (or withheld cell) in the range;
    a period with no report is a real zero and is shown as one.
    """
    flag = flag_column("cases")
    keys = period_keys(start, end, grain)
    stray = sorted(set(trend["period"]) - set(keys))
    if stray:
        # Rows the grid would silently drop, withheld cells included: never let that pass.
        raise ValueError(f"trend periods outside {start}..{end} at {grain} grain: {stray[:3]}")
    present = trend.select("county_code", "county").unique()
    grid = pl.DataFrame({"period": keys}).join(present, how="cross")
    out = grid.join(trend, on=["period", "county_code", "county"], how="left")
    return out.with_columns(
        pl.when(pl.col(flag).is_not_null()).then(None)
        .otherwise(pl.col("cases").fill_null(0)).alias("cases"),
    ).sort("period", "county").select("period", "county_code", "county", "cases", flag)


def for_chart(trend: pl.DataFrame, end: date) -> pl.DataFrame:
    """The trend with each period's first day and whether it is still running on ``end``
    (drawn as unfinished, 'to date')."""
    return with_columns(
        trend,
        each(key_start, "period", dtype=pl.Date, skip_nulls=True).alias("period_start"),
        each(lambda k: key_end(k) > end, "period", dtype=pl.Boolean, skip_nulls=True)
        .alias("to_date"),
    )


def period_words(key: str, end: date) -> str:
    """'Q4 2026' or, for a period still running on ``end``, 'Q4 2026 (to date)'."""
    words = key_words(key)
    return f"{words} ({TO_DATE})" if key_end(key) > end else words


def trend_table(trend: pl.DataFrame, grain: str, end: date, threshold: int) -> pl.DataFrame:
    """The trend as a reader's table: period in words, county name, count or the withheld
    words. Counts stay numbers (sortable, right-aligned) unless a cell is withheld."""
    ordered = trend.sort("period", "county")
    return select(
        ordered,
        each(lambda k: period_words(k, end), "period", skip_nulls=True)
        .alias(GRAIN_WORDS[grain]),
        pl.col("county").alias("County"),
        shown(ordered, "cases", threshold).alias("Cases reported"),
    )


def headline_cards(headline: pl.DataFrame, words: dict[str, tuple[str, str]], threshold: int,
                   earlier: str) -> list[dict]:
    """Figure cards from the ``headline`` table. ``words``: measure -> (label, counting rule);
    ``earlier``: the comparison period in words."""
    cards = []
    for row in headline.iter_rows(named=True):
        label, rule = words[row["measure"]]
        withheld_now = row[flag_column("current")]
        withheld_then = row[flag_column("previous")]
        if withheld_then:
            then = f"The same dates one year earlier ({earlier}): " \
                   f"{withheld_words(withheld_then, threshold)}."
        elif row["previous"] is None:
            then = ("No comparison: the same dates one year earlier fall before the data "
                    "begins.")
        else:
            then = f"The same dates one year earlier ({earlier}): {row['previous']:,}."
        now = f" This figure is {withheld_words(withheld_now, threshold)}." if withheld_now else ""
        cards.append({
            "label": label,
            "value": "Withheld" if withheld_now else f"{row['current']:,}",
            "delta": fmt.change(row["current"], row["previous"]),
            "delta_description": "on a year earlier",
            "help": f"{rule}{now} {then}",
        })
    return cards
