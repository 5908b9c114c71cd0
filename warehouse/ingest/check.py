"""Checking one sheet: every rule of its template, and the rows that pass, ready to load."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from warehouse.ingest.context import CASE_SCHEMA, Context
from warehouse.ingest.parse import parse
from warehouse.ingest.rules import case_rules, duplicates, empty_flags, row_rules
from warehouse.ingest.sheet import Sheet
from warehouse.ingest.templates import TEMPLATES, Template


@dataclass
class Checked:
    sheet: Sheet
    template: Template
    rows: pl.DataFrame  # the rows that pass, in the warehouse's columns
    flags: pl.DataFrame  # _line, rule, column: every rule a rejected row broke
    rows_read: int
    rows_rejected: int


def warehouse_columns(template: Template) -> list[str]:
    out = []
    for col in template.kept:
        if col.kind == "measures":
            out += [f"measure_{m}" for m in col.values]
        else:
            out.append(col.store)
    if template.on_cases:
        out.append("county_code")  # the case's county, carried on its rows
    return out


def check(sheet: Sheet, ctx: Context) -> Checked:
    template = TEMPLATES[sheet.template]
    text, values, flags = parse(sheet.frame, template, ctx)
    flags = pl.concat([empty_flags(), flags, *row_rules(template, text, values),
                       duplicates(template, values)])
    known = (ctx.cases_for(values["case_key"]) if template.on_cases
             else pl.DataFrame(schema=CASE_SCHEMA))
    flags = pl.concat([flags, *case_rules(template, values, flags, known, ctx)]).unique()
    rejected = flags["_row"].unique()
    passed = values.filter(~pl.col("_row").is_in(rejected.implode()))
    if template.on_cases:
        passed = passed.join(known.select("case_key", "county_code"), on="case_key",
                             how="left")
    lines = values.select("_row", "_line")
    return Checked(
        sheet=sheet,
        template=template,
        rows=passed.select(warehouse_columns(template)),
        flags=flags.join(lines, on="_row").select("_line", "rule", "column").sort("_line"),
        rows_read=values.height,
        rows_rejected=rejected.len(),
    )
