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

from datetime import date

import polars as pl

from core.periods import parse_period, quarter_code, quarter_of
from metrics.tables import ratio
from warehouse.indicators import BY_CODE, DOWN

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


def target_for(targets: pl.DataFrame, code: str, period: str, scope: str) -> float | None:
    """The target of ``code`` for ``period`` and county ``scope`` ('ALL' or a county code):
    the row set for exactly that period; for a year without one, the sum of its four
    quarters' targets when the indicator's targets add up (a count per quarter) and all
    four are set; else none."""
    rows = targets.filter((pl.col("indicator_code") == code) & (pl.col("county_scope") == scope))
    exact = rows.filter(pl.col("period") == period)["target"]
    if exact.len():
        return float(exact.item())
    if "Q" in period or not BY_CODE[code].targets_add:
        return None
    parts = rows.filter(pl.col("period").is_in(quarters_of(period)))["target"]
    return float(parts.sum()) if parts.len() == 4 else None


def against_targets(df: pl.DataFrame) -> pl.DataFrame:
    """``df`` (indicator_code, actual, target, ...) with pct_of_target and status, each
    withheld (empty) where the actual is: a percentage of a known target would tell it."""
    pct = ratio(pl.col("actual"), pl.col("target"))
    out = df.with_columns(pct.alias("pct_of_target"))
    return out.with_columns(
        pl.struct("pct_of_target", "indicator_code").map_elements(
            lambda r: status(r["pct_of_target"], BY_CODE[r["indicator_code"]].direction),
            return_dtype=pl.String).alias("status"))
