"""The county map's figures: rates from the counts, and the classes a map colours them by.

Counts come from ``queries.map``. Rates are computed here so that a withheld count can
never be worked back out of its rate: a rate is withheld whenever its count is.
Classes: counties with no value (a rate with no denominator, a withheld count) are "no
data"; a true zero has its own class; the positive values are split into up to five
classes at quantiles, so each class holds about as many counties.
"""

from __future__ import annotations

import math

import polars as pl

from metrics.disclosure import flag_column, withheld_words

PER = 100_000
CLASSES = 5
NO_DATA, ZERO = -1, 0  # class numbers; the positive classes are 1..CLASSES

COLUMNS = ("county_code", "county", "population_2019", "cases_reported", "cases_per_100k",
           "charged", "convicted", "conviction_rate", "people_trained",
           "outreach_participants", "hotline_reports")
COUNTS = ("cases_reported", "charged", "convicted", "people_trained", "outreach_participants",
          "hotline_reports")
RATES = ("cases_per_100k", "conviction_rate")


def with_rates(counts: pl.DataFrame) -> pl.DataFrame:
    """The contract's ``counties`` table (+ ``_withheld`` reasons) from the raw counts.

    cases_per_100k = cases_reported × 100,000 ÷ population_2019; conviction_rate =
    convicted ÷ decided (convicted + acquitted + withdrawn), empty when nothing was decided.
    """
    cases_flag, conv_flag, dec_flag = (flag_column(c) for c in
                                       ("cases_reported", "convicted", "decided"))
    out = counts.with_columns(
        (pl.col("cases_reported") * PER / pl.col("population_2019")).alias("cases_per_100k"),
        pl.col(cases_flag).alias(flag_column("cases_per_100k")),
        pl.when(pl.col("decided") > 0).then(pl.col("convicted") / pl.col("decided"))
        .otherwise(None).alias("conviction_rate"),
        pl.coalesce(conv_flag, dec_flag).alias(flag_column("conviction_rate")),
    ).with_columns(
        pl.when(pl.col(flag_column("conviction_rate")).is_not_null()).then(None)
        .otherwise(pl.col("conviction_rate")).alias("conviction_rate"))
    flags = [flag_column(c) for c in COUNTS + RATES]
    return out.select(*COLUMNS, *flags)


def class_breaks(values, classes: int = CLASSES) -> list[float]:
    """Upper bounds of the positive classes: each distinct value its own class when there
    are few, else quantile bounds (nearest rank) over the positive values."""
    positive = sorted(v for v in values if v is not None and v > 0)
    distinct = sorted(set(positive))
    if len(distinct) <= classes:
        return distinct
    bounds = {positive[math.ceil(i * len(positive) / classes) - 1]
              for i in range(1, classes + 1)}
    return sorted(bounds)


def class_of(value, breaks: list[float]) -> int:
    if value is None:
        return NO_DATA
    if value <= 0:
        return ZERO
    for i, bound in enumerate(breaks):
        if value <= bound:
            return i + 1
    return len(breaks)


def value_words(value, kind: str) -> str:
    """The exact value, as a tooltip shows it: '1,234', '12.35 per 100,000', '45.5%'."""
    if kind == "per_100k":
        return f"{value:,.2f} per 100,000"
    if kind == "share":
        return f"{value * 100:.1f}%"
    return f"{int(value):,}"


def short_words(value, kind: str) -> str:
    """A class bound in the legend: '1,234', '12.3', '45%'."""
    if kind == "per_100k":
        return f"{value:,.1f}"
    if kind == "share":
        return f"{value * 100:.0f}%"
    return f"{int(value):,}"


def class_labels(breaks: list[float], kind: str) -> list[str]:
    """Legend words for classes 1..len(breaks): '1–4', '5–12' for counts (whole numbers),
    'up to 2.1', '2.1–5.3' (above the first, up to the second) otherwise."""
    labels, previous = [], None
    for bound in breaks:
        top = short_words(bound, kind)
        if kind == "count":
            low = 1 if previous is None else int(previous) + 1
            labels.append(top if low == bound else f"{low:,}–{top}")
        else:
            labels.append(f"up to {top}" if previous is None
                          else f"{short_words(previous, kind)}–{top}")
        previous = bound
    return labels


def no_value_words(reason: str | None, threshold: int, kind: str) -> str:
    if reason:
        return withheld_words(reason, threshold)
    return "no decisions in the period" if kind == "share" else "no data"


def classified(table: pl.DataFrame, measure: str, kind: str,
               threshold: int = 0) -> tuple[pl.DataFrame, list[float]]:
    """county_code, county, value, klass, words for one measure; and the class bounds."""
    values = table[measure].to_list()
    breaks = class_breaks(values)
    reasons = table[flag_column(measure)].to_list()
    rows = []
    for code, county, value, reason in zip(table["county_code"], table["county"], values,
                                           reasons, strict=True):
        rows.append({
            "county_code": code, "county": county, "value": value,
            "klass": class_of(value, breaks),
            "words": (no_value_words(reason, threshold, kind) if value is None
                      else value_words(value, kind)),
        })
    schema = {"county_code": pl.String, "county": pl.String, "value": pl.Float64,
              "klass": pl.Int64, "words": pl.String}
    return pl.DataFrame(rows, schema=schema, orient="row"), breaks
