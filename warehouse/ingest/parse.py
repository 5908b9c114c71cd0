"""Column rules: each column's text parsed to the value the warehouse keeps, vectorized.

Every kind of column turns the cell texts of a whole column into typed values and a
list of (rule, flag) pairs, each flag true on the rows that break the rule. Nothing
here looks at more than one row at a time; ``warehouse.ingest.rules`` does that.
An empty cell is null; a required column's empty cell breaks ``required``.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from warehouse.ingest.context import Context, norm_name_expr
from warehouse.ingest.templates import MAX_ID_CHARS, Column, Template

# The reader puts this in place of an XLSX cell that holds a formula (a NUL byte cannot
# come from a CSV, which the reader refuses as binary, nor from XLSX text).
FORMULA = "\x00formula"

WHOLE = r"^[+-]?\d+(\.0+)?$"
DECIMAL = r"^[+-]?(\d+(\.\d*)?|\.\d+)$"


def enum_expr(text: pl.Expr) -> pl.Expr:
    """Enumerations match case-insensitively; spaces and hyphens count as ``_``."""
    return text.str.to_lowercase().str.replace_all(r"[ \-]", "_")


def _date(c: pl.Expr, col: Column, ctx: Context):
    value = (
        pl.when(c.str.contains(r"^\d{4}-\d{2}-\d{2}$"))
        .then(c.str.to_date("%Y-%m-%d", strict=False))
        .when(c.str.contains(r"^\d{1,2}/\d{1,2}/\d{4}$"))
        .then(c.str.to_date("%d/%m/%Y", strict=False))
    )
    flags = [("not_a_date", c.is_not_null() & value.is_null())]
    if col.earliest or col.not_future:
        earliest = col.earliest or dt.date.min
        latest = ctx.today if col.not_future else dt.date.max
        flags.append(("date_out_of_range", (value < earliest) | (value > latest)))
    return {col.store: value}, flags


def _enum(c, col, ctx):
    n = enum_expr(c)
    value = pl.when(n.is_in(col.values)).then(n)
    return {col.store: value}, [("not_in_list", c.is_not_null() & value.is_null())]


def _yes_no(c, col, ctx):
    n = enum_expr(c)
    value = pl.when(n == "yes").then(True).when(n == "no").then(False)
    return {col.store: value}, [("not_in_list", c.is_not_null() & value.is_null())]


def _whole(c: pl.Expr) -> pl.Expr:
    return pl.when(c.str.contains(WHOLE)).then(
        c.str.replace(r"\.0+$", "").str.replace(r"^\+", "").cast(pl.Int64, strict=False))


def _number(c: pl.Expr) -> pl.Expr:
    return pl.when(c.str.contains(DECIMAL)).then(c.cast(pl.Float64, strict=False))


def _age(c, col, ctx):
    years = _whole(c)
    band = (
        pl.when(years.is_between(0, 11)).then(pl.lit("0-11"))
        .when(years.is_between(12, 14)).then(pl.lit("12-14"))
        .when(years.is_between(15, 17)).then(pl.lit("15-17"))
    )
    return {col.store: band}, [("not_an_age", c.is_not_null() & band.is_null())]


def _count(c, col, ctx):
    n = _whole(c)
    return {col.store: pl.when(n >= 0).then(n)}, [
        ("not_a_whole_number", c.is_not_null() & n.is_null()),
        ("negative", n < 0),
    ]


def _score(c, col, ctx):
    x = _number(c)
    return {col.store: pl.when(x.is_between(0, 100)).then(x)}, [
        ("not_a_number", c.is_not_null() & x.is_null()),
        ("score_out_of_range", ~x.is_between(0, 100)),
    ]


def _amount(c, col, ctx):
    x = _number(c)
    return {col.store: pl.when(x >= 0).then(x)}, [
        ("not_a_number", c.is_not_null() & x.is_null()),
        ("negative", x < 0),
    ]


def _county_code(c: pl.Expr, ctx: Context) -> pl.Expr:
    return norm_name_expr(c).replace_strict(ctx.reference.county_codes, default=None,
                                            return_dtype=pl.String)


def _county(c, col, ctx):
    code = _county_code(c, ctx)
    return {col.store: code}, [("unknown_county", c.is_not_null() & code.is_null())]


def _county_or_all(c, col, ctx):
    code = pl.when(c.str.to_uppercase() == "ALL").then(pl.lit("ALL")).otherwise(
        _county_code(c, ctx))
    return {col.store: code}, [("unknown_county", c.is_not_null() & code.is_null())]


def _sub_county(c, col, ctx):
    county = _county_code(pl.col("county"), ctx)
    sid = (county + "|" + norm_name_expr(c)).replace_strict(
        ctx.reference.sub_county_ids, default=None, return_dtype=pl.Int64)
    # A row whose county is unknown breaks that rule; its sub-county is not judged twice.
    return {col.store: sid}, [
        ("unknown_sub_county", c.is_not_null() & county.is_not_null() & sid.is_null())]


def _court_station(c, col, ctx):
    cid = norm_name_expr(c).replace_strict(ctx.reference.court_ids, default=None,
                                           return_dtype=pl.Int64)
    return {col.store: cid}, [("unknown_court_station", c.is_not_null() & cid.is_null())]


def _measures(c, col, ctx):
    items = c.str.split(";").list.eval(enum_expr(pl.element().str.strip_chars())).list.eval(
        pl.element().filter(pl.element() != ""))
    unknown = items.list.eval(~pl.element().is_in(col.values)).list.any()
    values = {f"measure_{m}": items.list.contains(m).fill_null(False) for m in col.values}
    return values, [("not_in_list", unknown.fill_null(False))]


def _period(c, col, ctx):
    up = c.str.to_uppercase().str.replace_all(r"\s", "")
    value = pl.when(up.str.contains(r"^\d{4}(-Q[1-4])?$")).then(up)
    return {col.store: value}, [("bad_period", c.is_not_null() & value.is_null())]


def _indicator(c, col, ctx):
    n = enum_expr(c).str.to_uppercase()
    value = pl.when(n.is_in(col.values)).then(n)
    return {col.store: value}, [("unknown_indicator", c.is_not_null() & value.is_null())]


def _source_id(c, col, ctx):
    # Hashed after this step (see parse); here only its length is judged.
    return {col.store: pl.when(c.str.len_chars() <= MAX_ID_CHARS).then(c)}, [
        ("too_long", c.str.len_chars() > MAX_ID_CHARS)]


KINDS = {
    "id": _source_id, "date": _date, "enum": _enum, "yes_no": _yes_no, "age": _age,
    "count": _count, "score": _score, "amount": _amount, "county": _county,
    "county_or_all": _county_or_all, "sub_county": _sub_county,
    "court_station": _court_station, "measures": _measures, "period": _period,
    "indicator": _indicator,
}


def clean_text(frame: pl.DataFrame, template: Template) -> pl.DataFrame:
    """Each kept column stripped; empty cells and formula cells null. Formula cells are
    flagged separately (``formula_flags``)."""
    out = []
    for col in template.kept:
        t = pl.col(col.name).str.strip_chars()
        out.append(pl.when((t != "") & (t != FORMULA)).then(t).alias(col.name))
    return frame.select("_row", "_line", "_extra", *out)


def parse(frame: pl.DataFrame, template: Template, ctx: Context):
    """(text, values, flags): the cleaned text, the typed values (warehouse column names),
    and a long frame of (_row, rule, column) for every broken column rule."""
    text = clean_text(frame, template)
    exprs, flags = [pl.col("_row"), pl.col("_line")], []
    for col in template.kept:
        values, col_flags = KINDS[col.kind](pl.col(col.name), col, ctx)
        exprs += [v.alias(k) for k, v in values.items()]
        flags += [(rule, col.name, f.fill_null(False)) for rule, f in col_flags]
    flag_frame = text.select("_row", *[f.alias(str(i)) for i, (_, _, f) in enumerate(flags)])
    long = [_long(flag_frame, str(i), rule, name) for i, (rule, name, _) in enumerate(flags)]
    # Judged on the raw cells: an empty required cell, a formula, fields beyond the header.
    raw = {"extra": ("extra_fields", "", pl.col("_extra"))}
    for col in template.kept:
        cell = pl.col(col.name).str.strip_chars()
        raw[f"formula|{col.name}"] = ("formula", col.name, cell == FORMULA)
        if col.required:
            raw[f"required|{col.name}"] = ("required", col.name, cell.is_null() | (cell == ""))
    raw_flags = frame.select("_row", *[f.fill_null(False).alias(k) for k, (_, _, f) in raw.items()])
    long += [_long(raw_flags, k, rule, name) for k, (rule, name, _) in raw.items()]
    values = text.select(exprs)
    for col in template.kept:
        if col.kind == "id":
            values = values.with_columns(
                ctx.keys.hash_series(col.namespace, values[col.store]).alias(col.store))
    return text, values, pl.concat(long)


def _long(frame: pl.DataFrame, flag: str, rule: str, column: str) -> pl.DataFrame:
    return frame.filter(pl.col(flag)).select(
        "_row", pl.lit(rule).alias("rule"), pl.lit(column).alias("column"))


FLAG_SCHEMA = {"_row": pl.Int64, "rule": pl.String, "column": pl.String}
