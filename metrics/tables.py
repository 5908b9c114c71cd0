"""Completing a figure's table: every row the contract lists, in its order, zeros included."""

from __future__ import annotations

import polars as pl

from metrics.disclosure import flag_column, withheld_words


def complete(df: pl.DataFrame, key: str, keys: list[str], *,
             zeros: tuple[str, ...] = ()) -> pl.DataFrame:
    """``df`` with one row per value of ``keys``, in that order. A row the database did
    not return counts 0 in each ``zeros`` column (and leaves every other column empty);
    a returned row whose key is not listed is an error, never silently dropped."""
    stray = sorted(set(df[key].to_list()) - set(keys), key=str)
    if stray:
        raise ValueError(f"{key} values outside the table's rows: {stray[:5]}")
    grid = pl.DataFrame({key: keys}, schema={key: df.schema[key]})
    out = grid.join(df, on=key, how="left", maintain_order="left")
    fills = []
    for column in zeros:
        flag = flag_column(column)
        withheld = pl.col(flag).is_not_null() if flag in out.columns else pl.lit(False)
        fills.append(pl.when(withheld).then(None).otherwise(pl.col(column).fill_null(0))
                     .alias(column))
    return out.with_columns(fills) if fills else out


def ratio(numerator: pl.Expr, denominator: pl.Expr) -> pl.Expr:
    """numerator ÷ denominator as a float; empty (null) when the denominator is 0 or either
    side is empty (withheld), never 0. Both must be columns of the frame, never a single
    value (see ``with_value``)."""
    return (pl.when(denominator.is_null() | numerator.is_null() | (denominator == 0))
            .then(None).otherwise(numerator / denominator)).cast(pl.Float64)


def withhold_with(df: pl.DataFrame, count: str, columns: tuple[str, ...]) -> pl.DataFrame:
    """Where ``count`` is withheld, ``columns`` (a median, a rate) are withheld too, for the
    same reason: a figure over a withheld count would tell what it hides."""
    flag = flag_column(count)
    if flag not in df.columns:
        return df
    return df.with_columns(
        *[pl.when(pl.col(flag).is_not_null()).then(None).otherwise(pl.col(c)).alias(c)
          for c in columns],
        *[pl.col(flag).alias(flag_column(c)) for c in columns],
    )


def with_value(df: pl.DataFrame, name: str, value: int | None) -> pl.DataFrame:
    """``df`` with a column ``name`` holding ``value`` on every row.

    A ratio's denominator must be such a column, not a literal or an aggregate: polars
    divides by a single value by multiplying with its reciprocal, which is not the
    correctly rounded quotient (3 ÷ 5 comes out 0.6000000000000001, not 0.6, the value the
    database, a spreadsheet or a hand count gives)."""
    return df.with_columns(pl.Series(name, [value] * df.height, dtype=pl.Int64))


def shown(df: pl.DataFrame, column: str, threshold: int) -> pl.Expr:
    """A count column as a reader's table shows it: numbers (sortable, right-aligned), or,
    when any cell is withheld, text with the withheld words in those cells."""
    flag = flag_column(column)
    if flag not in df.columns or df[flag].is_null().all():
        return pl.col(column)
    return pl.when(pl.col(flag).is_not_null()).then(
        pl.col(flag).map_elements(lambda r: withheld_words(r, threshold), return_dtype=pl.String)
    ).otherwise(pl.col(column).cast(pl.String))


def text(column: str, how) -> pl.Expr:
    """``column`` turned into words by ``how`` (a code's label, a percentage, days)."""
    return pl.col(column).map_elements(how, return_dtype=pl.String, skip_nulls=False)
