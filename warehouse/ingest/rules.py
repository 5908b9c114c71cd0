"""Rules over more than one cell: a row's columns together, a file's rows together, and
a row against the cases it refers to (in this upload or already in the warehouse).

Each rule returns a frame of (_row, rule, column): the rows that break it.
"""

from __future__ import annotations

import polars as pl

from warehouse.ingest.context import Context
from warehouse.ingest.parse import FLAG_SCHEMA
from warehouse.ingest.stages import stage_flags
from warehouse.ingest.templates import MAX_ID_CHARS, Template
from warehouse.standing import reached_from

# What each rule means, in the words a report uses. Keys are the rule names that
# reports, ingest_batches.rejections_by_rule and the audit log count by.
RULES = {
    "required": "a required value is empty",
    "formula": "the cell holds a formula, not a value (copy the column and paste values)",
    "extra_fields": "the row has more fields than the header (a comma in a value that is "
                    "not quoted?)",
    "too_long": f"longer than {MAX_ID_CHARS} characters",
    "not_a_date": "not a date written YYYY-MM-DD or DD/MM/YYYY",
    "date_out_of_range": "a date outside the allowed range (reported_on: 2015-01-01 to "
                         "today; occurred_on: not after today)",
    "not_in_list": "not one of the values the template lists",
    "unknown_county": "not a county name or code (001-047)",
    "unknown_sub_county": "not a sub-county of the row's county",
    "unknown_court_station": "not a court station on the reference list",
    "not_an_age": "not a whole number of years from 0 to 17",
    "not_a_whole_number": "not a whole number",
    "negative": "below zero",
    "not_a_number": "not a number",
    "score_out_of_range": "not between 0 and 100",
    "bad_period": "not a period written YYYY-Qn or YYYY",
    "unknown_indicator": "not an indicator code the dashboard defines",
    "reason_missing": "adjourned, but no adjournment_reason",
    "reason_not_adjourned": "an adjournment_reason for a hearing that proceeded",
    "no_participants": "participants_female and participants_male are both 0",
    "duplicate": "more than one row of this file has the same key",
    "unknown_case": "no such case in this upload or in the warehouse",
    "before_reported": "earlier than the case's reported_on",
    "after_case_events": "reported_on is later than a step already recorded for the case",
    "case_not_charged": "the case has not reached 'charged'",
    "stage_order": "dated earlier than a step that comes before it",
    "verdict_without_judgment": "convicted or acquitted without a judgment on the same day "
                                "or earlier",
    "exit_with_judgment": "withdrawn or closed_no_further_action for a case with a judgment",
    "after_case_ended": "dated after the case was withdrawn or closed",
    "second_terminal_stage": "the case already has another terminal stage",
}


def _flag(rows: pl.DataFrame, rule: str, column: str) -> pl.DataFrame:
    return rows.select(
        pl.col("_row").cast(pl.Int64), pl.lit(rule).alias("rule"), pl.lit(column).alias("column"))


def row_rules(template: Template, text: pl.DataFrame, values: pl.DataFrame) -> list:
    """Rules between the columns of one row."""
    if template.name == "hearings":
        given = text["adjournment_reason"].is_not_null()
        status = values["status"]
        return [
            _flag(values.filter((status == "adjourned") & ~given), "reason_missing",
                  "adjournment_reason"),
            _flag(values.filter((status == "proceeded") & given), "reason_not_adjourned",
                  "adjournment_reason"),
        ]
    if template.name == "outreach":
        none = (pl.col("participants_female") == 0) & (pl.col("participants_male") == 0)
        return [_flag(values.filter(none), "no_participants",
                      "participants_female, participants_male")]
    return []


def duplicates(template: Template, values: pl.DataFrame) -> pl.DataFrame:
    """Every row whose key another row of the file shares: which version is right cannot
    be known, so none of them is loaded."""
    key = list(template.key)
    names = ", ".join(c.name for c in template.kept if c.store in key)
    rows = values.drop_nulls(key).filter(pl.len().over(key) > 1)
    return _flag(rows, "duplicate", names)


def case_rules(template: Template, values: pl.DataFrame, flags: pl.DataFrame,
               known: pl.DataFrame, ctx: Context) -> list:
    """Rows against their case: it exists, its dates, how far it got, its steps."""
    if not template.on_cases and template.name != "cases":
        return []
    keyed = values.filter(pl.col("case_key").is_not_null())
    if template.name == "cases":
        first = ctx.events_for(keyed["case_key"]).group_by("case_key").agg(
            pl.col("occurred_on").min().alias("_first"))
        late = keyed.join(first, on="case_key").filter(pl.col("reported_on") > pl.col("_first"))
        return [_flag(late, "after_case_events", "reported_on")]
    v = keyed.join(known.rename({"reported_on": "_reported", "county_code": "_county"}),
                   on="case_key", how="left")
    found = v.filter(pl.col("_county").is_not_null())
    out = [_flag(v.filter(pl.col("_county").is_null()), "unknown_case", "source_case_id")]
    if template.name == "case_events":
        out.append(_flag(found.filter(pl.col("occurred_on") < pl.col("_reported")),
                         "before_reported", "occurred_on"))
        clean = found.join(pl.concat([flags.select("_row"), *[f.select("_row") for f in out]]),
                           on="_row", how="anti")
        stored = ctx.events_for(clean["case_key"])
        out.append(stage_flags(clean, stored))
    if template.name == "hearings":
        charged = ctx.events_for(found["case_key"]).filter(
            pl.col("stage").is_in(reached_from("charged")))["case_key"].unique()
        out.append(_flag(found.filter(~pl.col("case_key").is_in(charged.implode())),
                         "case_not_charged", "source_case_id"))
    return out


def empty_flags() -> pl.DataFrame:
    return pl.DataFrame(schema=FLAG_SCHEMA)
