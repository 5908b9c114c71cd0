"""Small dialect-aware SQL constructs, so no query needs SQLite- or PostgreSQL-only SQL."""

from __future__ import annotations

from sqlalchemy import Date, Integer, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class month_key(FunctionElement):
    """'YYYY-MM' of a date column."""

    type = String()
    inherit_cache = True
    name = "month_key"


@compiles(month_key)
def _month_key_default(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


@compiles(month_key, "sqlite")
def _month_key_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


class days_between(FunctionElement):
    """Whole days from the first date to the second (second - first)."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_default(element, compiler, **kw):
    first, second = list(element.clauses)
    return f"({compiler.process(second, **kw)} - {compiler.process(first, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    first, second = list(element.clauses)
    return f"CAST(julianday({compiler.process(second, **kw)}) - julianday({compiler.process(first, **kw)}) AS INTEGER)"


class quarter_key(FunctionElement):
    """'YYYY-Qn' of a date column."""

    type = String()
    inherit_cache = True
    name = "quarter_key"


@compiles(quarter_key)
def _quarter_key_default(element, compiler, **kw):
    return "to_char(" + compiler.process(element.clauses, **kw) + ", 'YYYY-\"Q\"Q')"


@compiles(quarter_key, "sqlite")
def _quarter_key_sqlite(element, compiler, **kw):
    col = compiler.process(element.clauses, **kw)
    return f"(strftime('%Y', {col}) || '-Q' || ((CAST(strftime('%m', {col}) AS INTEGER) + 2) / 3))"


class latest_of(FunctionElement):
    """The latest of several dates, none of them null (``greatest`` on PostgreSQL; SQLite's
    scalar ``max`` of several arguments)."""

    type = Date()
    inherit_cache = True
    name = "latest_of"


@compiles(latest_of)
def _latest_of_default(element, compiler, **kw):
    return f"greatest({compiler.process(element.clauses, **kw)})"


@compiles(latest_of, "sqlite")
def _latest_of_sqlite(element, compiler, **kw):
    return f"max({compiler.process(element.clauses, **kw)})"
