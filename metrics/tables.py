"""Figures as tables: completing a figure's rows (every row the contract lists, zeros
included), ratios and withholding that follow their counts, and a reader's table (words for
codes, titled columns, withheld cells in words).

A page's table under a chart is built with ``readable`` from a figures table and a list of
(column, title, kind): the CSV download holds exactly that table. Counts stay numbers
(sortable, right-aligned) unless a cell of the column is withheld.
"""

from __future__ import annotations

import polars as pl

from metrics.disclosure import PROTECTS, flag_column, withheld_words
from metrics.each import Each, each, select
from warehouse.vocab import label


def complete(df: pl.DataFrame, key: str, keys: list[str], *,
             zeros: tuple[str, ...] = ()) -> pl.DataFrame:
    """``df`` with one row per value of ``keys``, in that order. A row the database did
    not return counts 0 in each ``zeros`` column (and leaves every other column empty);
    a returned row whose key is not listed is an error, never silently dropped."""
    stray = sorted(set(df[key].to_list()) - set(keys), key=str)
    if stray:
        raise ValueError(f"{key} values outside the table's rows: {stray[:5]}")
    # In Python, not a polars join: these tables have a few dozen rows, and a page
    # completes hundreds of them, where polars' fixed cost per call is what shows.
    rows = {row[key]: row for row in df.iter_rows(named=True)}
    missing: dict = {}
    columns = {c: [rows.get(k, missing).get(c) for k in keys] for c in df.columns}
    columns[key] = list(keys)
    for column in zeros:
        flags = columns.get(flag_column(column), [None] * len(keys))
        columns[column] = [None if flag is not None else (0 if n is None else n)
                           for n, flag in zip(columns[column], flags, strict=True)]
    return pl.DataFrame(columns, schema=df.schema)


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


def shown(df: pl.DataFrame, column: str, threshold: int) -> pl.Expr | Each:
    """A count column as a reader's table shows it: numbers (sortable, right-aligned), or,
    when any cell is withheld, text with the withheld words in those cells."""
    flag = flag_column(column)
    if flag not in df.columns or df[flag].is_null().all():
        return pl.col(column)
    return _withheld_or(flag, pl.col(column).cast(pl.String), threshold)


def _withheld_or(flag: str, value: pl.Expr, threshold: int) -> Each:
    """The withheld words where ``flag`` is set, ``value`` (text) elsewhere."""
    return each(lambda reason, value: value if reason is None
                else withheld_words(reason, threshold), flag, value).alias(flag)


def text(column: str, how) -> Each:
    """``column`` turned into words by ``how`` (a code's label, a percentage, days)."""
    return each(how, column)


# kind -> how a value reads
LABEL, TEXT, COUNT, PERCENT, DECIMAL, DATE = "label", "text", "count", "percent", "decimal", "date"


def words(column: str) -> Each:
    """A code column in words ('boda_boda_riders' -> 'Boda boda riders'; null -> 'Not
    recorded')."""
    return each(label, column)


def _value(df: pl.DataFrame, column: str, kind: str, threshold: int) -> pl.Expr | Each:
    if kind == LABEL:
        return words(column)
    if kind == PERCENT:
        value = (pl.col(column) * 100).round(1)
    elif kind == DECIMAL:
        value = pl.col(column).round(2)
    else:
        return shown(df, column, threshold)
    flag = flag_column(column)
    if flag in df.columns and df[flag].is_not_null().any():
        return _withheld_or(flag, value.cast(pl.String), threshold)
    return value


def readable(df: pl.DataFrame, spec: list[tuple[str, str, str]],
             threshold: int = 0) -> pl.DataFrame:
    """``df`` as a reader sees it: one column per (column, title, kind) of ``spec``."""
    return select(df, [_value(df, column, kind, threshold).alias(title)
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
