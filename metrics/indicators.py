"""Indicators against targets: the percentage of target, the status and their words.

The status thresholds are defined here and nowhere else; the indicators and summary pages
state them with ``status_rule_words``.

- pct_of_target = actual ÷ target (a fraction: 1.0 is the target met exactly); empty
  without a target, with a target of 0, or without an actual.
- For an indicator where more is progress: on track at 90% of target or more, at risk
  from 75% up to 90%, off track below 75%.
- Where less is progress (days to a step, old open cases): the target is a ceiling; on
  track up to 110% of it, at risk above 110% up to 125%, off track above 125%.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date

import polars as pl

from core.periods import parse_period, quarter_code, quarter_of
from metrics.disclosure import flag_column, withheld_words
from metrics.each import each, select, with_columns
from metrics.tables import ratio
from metrics.words import days, percent, word
from warehouse.indicators import BY_CODE, COUNT, DOWN, MEDIAN, SHARE

ON_TRACK, AT_RISK, OFF_TRACK = "on_track", "at_risk", "off_track"
STATUSES = (ON_TRACK, AT_RISK, OFF_TRACK)
# direction -> (on track from, at risk from): bounds on pct_of_target.
THRESHOLDS = {"up": (0.90, 0.75), DOWN: (1.10, 1.25)}
STATUS_WORDS = {ON_TRACK: "On track", AT_RISK: "At risk", OFF_TRACK: "Off track"}


def status(pct: float | None, direction: str) -> str | None:
    """The status of an actual at ``pct`` of its target; None without a percentage."""
    if pct is None:
        return None
    on, risk = THRESHOLDS[direction]
    if direction == DOWN:
        return ON_TRACK if pct <= on else AT_RISK if pct <= risk else OFF_TRACK
    return ON_TRACK if pct >= on else AT_RISK if pct >= risk else OFF_TRACK


def status_rule_words() -> str:
    up_on, up_risk = THRESHOLDS["up"]
    down_on, down_risk = THRESHOLDS[DOWN]
    return (f"Status: on track at {up_on:.0%} of target or more, at risk from {up_risk:.0%}, "
            f"off track below {up_risk:.0%}. Where less is better (days, old open cases) the "
            f"target is a ceiling: on track up to {down_on:.0%} of it, at risk up to "
            f"{down_risk:.0%}, off track above.")


def quarters_of(period: str) -> list[str]:
    """'2025' -> its four quarter codes; '2025-Q3' -> itself."""
    if "Q" in period:
        return [period]
    return [f"{period}-Q{q}" for q in range(1, 5)]


def period_code(start: date, end: date) -> str | None:
    """'2025-Q3' or '2025' when [start, end] is a calendar quarter or year (either may be cut
    short at the as-of date: a period still running); else None. A year cut short within its
    first quarter reads as that quarter."""
    q = quarter_of(start)
    first, last = parse_period(quarter_code(q))
    if start == first and end <= last:
        return quarter_code(q)
    if start == date(start.year, 1, 1) and end <= date(start.year, 12, 31):
        return str(start.year)
    return None


Targets = Mapping[tuple[str, str, str], float]  # (code, period, county scope) -> target


def target_index(rows: pl.DataFrame) -> Targets:
    """The targets table's rows (indicator_code, period, county_scope, target) by key: a
    page looks up every indicator in every period and scope, a few hundred times."""
    return {(code, period, scope): target for code, period, scope, target in
            rows.select("indicator_code", "period", "county_scope", "target").iter_rows()}


def target_for(targets: Targets, code: str, period: str, scope: str) -> float | None:
    """The target of ``code`` for ``period`` and county ``scope`` ('ALL' or a county code):
    the row set for exactly that period; for a year without one, the sum of its four
    quarters' targets when the indicator's targets add up (a count per quarter) and all
    four are set; else none."""
    exact = targets.get((code, period, scope))
    if exact is not None:
        return float(exact)
    if "Q" in period or not BY_CODE[code].targets_add:
        return None
    parts = [targets.get((code, q, scope)) for q in quarters_of(period)]
    return None if None in parts else float(sum(parts))


def against_targets(df: pl.DataFrame) -> pl.DataFrame:
    """``df`` (indicator_code, actual, target, ...) with pct_of_target and status, each
    withheld (empty) where the actual is: a percentage of a known target would tell it."""
    pct = ratio(pl.col("actual"), pl.col("target"))
    out = df.with_columns(pct.alias("pct_of_target"))
    return with_columns(out, each(lambda pct, code: status(pct, BY_CODE[code].direction),
                                  "pct_of_target", "indicator_code").alias("status"))


# --- what a reader sees ----------------------------------------------------------------

def value_words(code: str, value: float | None, reason: str | None = None,
                threshold: int = 0) -> str:
    """An indicator's value as a page writes it: '1,234', '86%', '41 days'; the withheld
    words when withheld; '–' when there is none (no denominator, no case)."""
    if reason:
        return withheld_words(reason, threshold)
    if value is None:
        return "–"
    kind = BY_CODE[code].kind
    if kind == SHARE:
        return percent(value)
    if kind == MEDIAN:
        return days(value)
    return f"{value:,.0f}"


def target_words(code: str, target: float | None) -> str:
    if target is None:
        return "no target"
    return value_words(code, target)


def _row_words(row: dict, threshold: int) -> dict:
    code = row["indicator_code"]
    why = row.get(flag_column("actual"))
    return {
        "Code": code,
        "Indicator": BY_CODE[code].name,
        "Actual": value_words(code, row["actual"], why, threshold),
        "Target": target_words(code, row["target"]),
        "% of target": (withheld_words(why, threshold) if why
                        else percent(row["pct_of_target"])),
        "Status": (withheld_words(why, threshold) if why
                   else STATUS_WORDS.get(row["status"], "–")),
    }


def indicators_table(df: pl.DataFrame, threshold: int = 0) -> pl.DataFrame:
    """The indicators (or the summary's headline) as a reader's table, in the rows' order."""
    rows = [_row_words(r, threshold) for r in df.iter_rows(named=True)]
    return pl.DataFrame(rows, schema={c: pl.String for c in (
        "Code", "Indicator", "Actual", "Target", "% of target", "Status")})


def definition_words(code: str) -> list[tuple[str, str]]:
    """(heading, text) pairs that define an indicator on a page."""
    i = BY_CODE[code]
    out = [("Counts" if i.kind == COUNT else "Numerator" if i.kind == SHARE else "Over",
            i.numerator)]
    if i.denominator:
        out.append(("Denominator", i.denominator))
    out += [("Unit", i.unit),
            ("Progress is", "a higher value" if i.direction == "up" else "a lower value"),
            ("Broken down by", ", ".join(word(d) for d in i.disaggregations))]
    if i.standard:
        out.append(("Standard", "a State Department standard indicator"))
    return out


def trend_lists(trend: pl.DataFrame) -> dict[str, list[float]]:
    """Each indicator's actuals over the trend's quarters, oldest first, for a sparkline. A
    quarter without a value (no case to take a median of) is left out: the table's sparkline
    cell draws nothing but the list as text when any point is missing (NaN or null)."""
    return {code: [v for v in rows.sort("period")["actual"] if v is not None and not math.isnan(v)]
            for (code,), rows in trend.group_by("indicator_code", maintain_order=True)}


def county_rows(table: pl.DataFrame, code: str, names: dict[str, str]) -> pl.DataFrame:
    """One indicator's row for each county scope, as a reader's table."""
    rows = table.filter(pl.col("indicator_code") == code)
    words = indicators_table(rows).drop("Code", "Indicator")
    where = [("All counties" if s == "ALL" else names.get(s, s)) for s in rows["county_scope"]]
    return words.insert_column(0, pl.Series("Counties", where, dtype=pl.String))


def breakdown_rows(parts: pl.DataFrame, code: str, dimension: str) -> pl.DataFrame:
    """(category, value, label) bars and their reader's table for one indicator's split."""
    rows = parts.filter((pl.col("indicator_code") == code) & (pl.col("dimension") == dimension))
    kind = BY_CODE[code].kind
    base = "Denominator" if kind == SHARE else "Cases" if kind == MEDIAN else None
    out = select(rows, each(word, "value").alias("category"), "actual",
                 each(lambda v: value_words(code, v), "actual").alias("label"), "base")
    table = out.select(pl.col("category").alias(word(dimension)),
                       pl.col("label").alias(BY_CODE[code].unit.capitalize()),
                       *([pl.col("base").alias(base)] if base else []))
    return out, table
