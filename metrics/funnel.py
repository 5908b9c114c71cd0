"""Shaping the prosecution funnel's figures: shares, conversions and what a reader sees."""

from __future__ import annotations

import polars as pl

from metrics.each import each, each_row, select
from metrics.tables import ratio, shown, text, with_value
from metrics.words import days, percent, word
from warehouse import vocab


def with_shares(funnel: pl.DataFrame) -> pl.DataFrame:
    """stage, cases, share_of_reported (cases ÷ the first row's), conversion (cases ÷ the
    previous row's; empty on the first row), each empty when its denominator is 0."""
    reported = funnel["cases"][0] if funnel.height else None
    return with_value(funnel, "_reported", reported).with_columns(
        ratio(pl.col("cases"), pl.col("_reported")).alias("share_of_reported"),
        ratio(pl.col("cases"), pl.col("cases").shift(1)).alias("conversion"),
    ).select("stage", "cases", "share_of_reported", "conversion",
             *[c for c in funnel.columns if c.endswith("_withheld")])


# --- what a reader sees: labelled tables (shown under each chart, and their CSV) ---------

def funnel_table(funnel: pl.DataFrame, threshold: int) -> pl.DataFrame:
    return select(funnel,
        text("stage", word).alias("Stage"),
        shown(funnel, "cases", threshold).alias("Cases"),
        text("share_of_reported", percent).alias("Share of reported"),
        text("conversion", percent).alias("Of the stage before"),
    )


def funnel_bars(funnel: pl.DataFrame) -> pl.DataFrame:
    """The funnel chart's rows: stage words, cases, the count as the bar's label and its
    shares as a note ('82% of reported · 82% of the stage before')."""
    def note(row) -> str:
        if row["cases"] is None or row["conversion"] is None:
            return ""
        return (f"{percent(row['share_of_reported'])} of reported · "
                f"{percent(row['conversion'])} of the stage before")

    return select(funnel,
        text("stage", word).alias("category"), "cases",
        text("cases", _count).alias("label"),
        each_row(note).alias("note"),
    )


def _count(n: int | None) -> str:
    return "withheld" if n is None else f"{n:,}"


def exits_table(exits: pl.DataFrame, reported: int | None, threshold: int) -> pl.DataFrame:
    """Outcome, cases and their share of the cases reported (the cohort)."""
    shares = with_value(exits, "_reported", reported).with_columns(
        ratio(pl.col("cases"), pl.col("_reported")).alias("share"))
    return select(shares,
        text("exit", word).alias("Outcome"),
        shown(exits, "cases", threshold).alias("Cases"),
        text("share", percent).alias("Share of reported"),
    )


def exits_bars(exits: pl.DataFrame, reported: int | None) -> pl.DataFrame:
    shares = with_value(exits, "_reported", reported).with_columns(
        ratio(pl.col("cases"), pl.col("_reported")).alias("share"))
    return select(shares,
        text("exit", word).alias("category"), "cases",
        each(lambda cases, share: "withheld" if cases is None
             else f"{cases:,} · {percent(share)}", "cases", "share").alias("label"),
    )


def durations_table(durations: pl.DataFrame, threshold: int) -> pl.DataFrame:
    return select(durations,
        text("interval", word).alias("Between"),
        shown(durations, "cases", threshold).alias("Cases that reached both"),
        text("median_days", days).alias("Median"),
        text("p75_days", days).alias("75th percentile"),
    )


def pending_table(pending: pl.DataFrame, threshold: int) -> pl.DataFrame:
    return select(pending,
        text("current_stage", word).alias("Current stage"),
        shown(pending, "cases", threshold).alias("Cases still open"),
        text("median_days_waiting", days).alias("Median time at this stage"),
    )


def activity_table(activity: pl.DataFrame, threshold: int) -> pl.DataFrame:
    return select(activity,
        text("stage", word).alias("Stage"),
        shown(activity, "events", threshold).alias("Events in the period"),
    )


BREAKDOWN_MEASURES = {"reported": "Reported", "charged": "Charged", "convicted": "Convicted"}


def breakdown_table(breakdown: pl.DataFrame, dimension: str, names: dict[str, str],
                    threshold: int) -> pl.DataFrame:
    """One dimension's rows (counties by name, other codes in words), with the shares of
    the reported cases that were charged and convicted (empty when none was reported)."""
    rows = _dimension_rows(breakdown, dimension)
    how = (lambda c: names.get(c, c)) if dimension == "county" else word
    return select(rows,
        text("value", how).alias(word(dimension)),
        *[shown(rows, c, threshold).alias(title) for c, title in BREAKDOWN_MEASURES.items()],
        each(percent, ratio(pl.col("charged"), pl.col("reported")))
        .alias("Charged, % of reported"),
        each(percent, ratio(pl.col("convicted"), pl.col("reported")))
        .alias("Convicted, % of reported"),
    )


def durations_bars(durations: pl.DataFrame) -> pl.DataFrame:
    """Per interval: median and 75th percentile, the median as the label ('median 41 days')
    and a note with the 75th percentile and the cases ('3 in 4 within 58 days · 337
    cases')."""
    def label(r) -> str:
        if r["cases"] is None:
            return "withheld"
        if not r["cases"]:
            return "no case has reached both yet"
        return f"median {days(r['median_days'])}"

    def note(r) -> str:
        if not r["cases"]:
            return ""
        return f"3 in 4 within {days(r['p75_days'])} · {cases_words(r['cases'])}"

    return select(durations,
        text("interval", word).alias("category"), "median_days", "p75_days",
        each_row(label).alias("label"),
        each_row(note).alias("note"))


def pending_bars(pending: pl.DataFrame) -> pl.DataFrame:
    """Per current stage: the open cases, labelled with their number and a note with the
    median time since they reached it."""
    def note(r) -> str:
        if not r["cases"]:
            return ""
        return f"median wait {days(r['median_days_waiting'])}"

    return select(pending,
        text("current_stage", word).alias("category"), "cases",
        text("cases", _count).alias("label"),
        each_row(note).alias("note"))


def activity_bars(activity: pl.DataFrame) -> pl.DataFrame:
    progression = pl.col("stage").is_in(list(vocab.PROGRESSION_STAGES))
    return select(activity,
        text("stage", word).alias("category"), "events",
        pl.when(progression).then(pl.lit(STEP)).otherwise(pl.lit(OUTCOME)).alias("kind"),
        text("events", _count).alias("label"))


STEP, OUTCOME = "Step towards judgment", "Outcome"


def breakdown_bars(breakdown: pl.DataFrame, dimension: str,
                   names: dict[str, str]) -> pl.DataFrame:
    """category, Reported, Charged, Convicted, label ('365 · 141 charged · 1 convicted')."""
    rows = _dimension_rows(breakdown, dimension)
    how = (lambda c: names.get(c, c)) if dimension == "county" else word

    def label(r) -> str:
        if r["reported"] is None:
            return "withheld"
        charged = "withheld" if r["charged"] is None else f"{r['charged']:,}"
        convicted = "withheld" if r["convicted"] is None else f"{r['convicted']:,}"
        return f"{r['reported']:,} · {charged} charged · {convicted} convicted"

    return select(rows,
        text("value", how).alias("category"),
        *[pl.col(c).alias(title) for c, title in BREAKDOWN_MEASURES.items()],
        each_row(label).alias("label"))


def cases_words(n: int | None) -> str:
    """'1 case', '1,065 cases', 'a withheld number of cases'."""
    if n is None:
        return "a withheld number of cases"
    return f"{n:,} case" if n == 1 else f"{n:,} cases"


def _dimension_rows(breakdown: pl.DataFrame, dimension: str) -> pl.DataFrame:
    """One dimension's rows: coded attributes in their own order, counties by the number of
    cases reported (most first), so the counties that matter lead a list of up to 47."""
    rows = breakdown.filter(pl.col("dimension") == dimension)
    if dimension != "county":
        return rows
    return rows.sort("reported", "value", descending=[True, False], nulls_last=True)
