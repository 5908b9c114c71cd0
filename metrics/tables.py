"""Figures as a reader's table: words for codes, titled columns, withheld cells in words.

Each page's table under a chart is built here from a figures table and a list of
(column, title, kind): the CSV download holds exactly that table. Counts stay numbers
(sortable, right-aligned) unless a cell of the column is withheld.
"""

from __future__ import annotations

import polars as pl

from metrics.disclosure import PROTECTS, flag_column, withheld_words
from warehouse.vocab import label

# kind -> how a value reads
LABEL, TEXT, COUNT, PERCENT, DECIMAL, DATE = "label", "text", "count", "percent", "decimal", "date"


def words(column: str) -> pl.Expr:
    """A code column in words ('boda_boda_riders' -> 'Boda boda riders'; null -> 'Not
    recorded')."""
    return (pl.col(column).map_elements(label, return_dtype=pl.String, skip_nulls=True)
            .fill_null(label(None)))


def _value(df: pl.DataFrame, column: str, kind: str, threshold: int) -> pl.Expr:
    if kind == LABEL:
        return words(column)
    if kind == PERCENT:
        value = (pl.col(column) * 100).round(1)
    elif kind == DECIMAL:
        value = pl.col(column).round(2)
    else:
        value = pl.col(column)
    flag = flag_column(column)
    if flag in df.columns and df[flag].is_not_null().any():
        return pl.when(pl.col(flag).is_not_null()).then(
            pl.col(flag).map_elements(lambda r: withheld_words(r, threshold),
                                      return_dtype=pl.String)
        ).otherwise(value.cast(pl.String))
    return value


def readable(df: pl.DataFrame, spec: list[tuple[str, str, str]],
             threshold: int = 0) -> pl.DataFrame:
    """``df`` as a reader sees it: one column per (column, title, kind) of ``spec``."""
    return df.select([_value(df, column, kind, threshold).alias(title)
                      for column, title, kind in spec])


def with_names(df: pl.DataFrame, names: dict[str, str], column: str = "county_code",
               to: str = "county") -> pl.DataFrame:
    """Adds the county's name next to its code."""
    return df.with_columns(pl.col(column).replace_strict(names, default=pl.col(column),
                                                         return_dtype=pl.String).alias(to))


def summed(df: pl.DataFrame, keys: list[str], counts: list[str]) -> pl.DataFrame:
    """Totals of ``counts`` by ``keys``. A total with a withheld part is withheld too
    (it could give the part away), with the reason that it protects another count."""
    aggs = []
    for column in counts:
        flag = flag_column(column)
        hidden = pl.col(flag).is_not_null().any() if flag in df.columns else pl.lit(False)
        aggs += [pl.col(column).sum().alias(column), hidden.alias(flag)]
    out = df.group_by(keys, maintain_order=True).agg(aggs)
    return out.with_columns(
        *[pl.when(pl.col(flag_column(c))).then(None).otherwise(pl.col(c)).alias(c)
          for c in counts],
        *[pl.when(pl.col(flag_column(c))).then(pl.lit(PROTECTS)).otherwise(None)
          .alias(flag_column(c)) for c in counts],
    ).sort(keys)
