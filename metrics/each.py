"""Columns worked out by a Python function, value by value, in the calling thread.

Never ``map_elements`` (nor ``map_batches``) in the server. Polars runs that function on its
own thread pool, where it must take the GIL; polars 2.1 can meanwhile hold the GIL in
another session's script thread while that thread waits for the same pool (a ``group_by``
iterated, a ``select``, ``to_pandas``), and then no thread of the server moves again and it
ignores SIGTERM (bench/results/load-2026-11-28-protocol-20-hang.md: 20 sessions, every one
stuck within a minute). Here polars evaluates only its own expressions; the Python function
runs in the page's thread over plain Python values, and the result goes back as a Series.

``Each`` stands where an expression would in ``select`` and ``with_columns`` below; anything
else is passed to polars as it is. The column is computed on the frame being selected from,
so a frame sorted or filtered first gets its own rows' values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import polars as pl


@dataclass(frozen=True)
class Each:
    """``fn`` called with the values of ``inputs`` (column names or expressions) row by
    row; with ``rows`` it is called once per row with the whole row as a dict. A row with an
    empty input gives an empty value without calling ``fn`` when ``skip_nulls``."""

    fn: Callable
    inputs: tuple = ()
    dtype: pl.DataType | type = pl.String
    skip_nulls: bool = False
    rows: bool = False
    name: str | None = None

    def alias(self, name: str) -> Each:
        return replace(self, name=name)

    def series(self, df: pl.DataFrame) -> pl.Series:
        if self.rows:
            values = [self.fn(row) for row in df.iter_rows(named=True)]
        else:
            given = df.select([(pl.col(i) if isinstance(i, str) else i).alias(f"_{n}")
                               for n, i in enumerate(self.inputs)])
            columns = [given.to_series(n).to_list() for n in range(len(self.inputs))]
            values = [None if self.skip_nulls and None in args else self.fn(*args)
                      for args in zip(*columns, strict=True)]
        return pl.Series(self._name(), values, dtype=self.dtype)

    def _name(self) -> str:
        if self.name is not None:
            return self.name
        first = self.inputs[0] if self.inputs else ""
        return first if isinstance(first, str) else first.meta.output_name()


def each(fn: Callable, *inputs, dtype=pl.String, skip_nulls: bool = False) -> Each:
    """A column of ``fn(value, ...)`` over ``inputs`` (``map_elements`` without the pool)."""
    return Each(fn, tuple(inputs), dtype, skip_nulls)


def each_row(fn: Callable, dtype=pl.String) -> Each:
    """A column of ``fn(row)``, ``row`` a dict of the frame's columns (what
    ``pl.struct(pl.all()).map_elements`` gave)."""
    return Each(fn, (), dtype, rows=True)


def _resolved(df: pl.DataFrame, items) -> list:
    flat = [i for item in items for i in (item if isinstance(item, list | tuple) else [item])]
    return [item.series(df) if isinstance(item, Each) else item for item in flat]


def select(df: pl.DataFrame, *items) -> pl.DataFrame:
    """``df.select(*items)``, each ``Each`` computed on ``df`` first."""
    return df.select(_resolved(df, items))


def with_columns(df: pl.DataFrame, *items) -> pl.DataFrame:
    """``df.with_columns(*items)``, each ``Each`` computed on ``df`` first."""
    return df.with_columns(_resolved(df, items))
