"""Shaping the case progress page's figures: rates, shares and what a reader sees."""

from __future__ import annotations

from datetime import date

import polars as pl

from core.periods import key_end, key_words
from metrics import format as fmt
from metrics.each import Each, each, each_row, select, with_columns
from metrics.overview import period_words
from metrics.tables import ratio, shown, text, with_value
from metrics.words import percent, word

TESTIFIED = "testified"  # the row of the testimony query holding the shares' denominator


def _flags(df: pl.DataFrame) -> list[str]:
    return [c for c in df.columns if c.endswith("_withheld")]


def with_rate(df: pl.DataFrame) -> pl.DataFrame:
    """The hearings table with adjournment_rate = adjourned ÷ hearings (empty when there
    were no hearings, or either count is withheld), before the reason columns."""
    rate = ratio(pl.col("adjourned"), pl.col("hearings")).alias("adjournment_rate")
    keep = [c for c in df.columns if not c.endswith("_withheld")]
    return df.with_columns(rate).select(*keep, "adjournment_rate", *_flags(df))


def testimony_shares(counts: pl.DataFrame) -> pl.DataFrame:
    """measure, hearings, share: hearings ÷ the hearings where the survivor testified (the
    ``testified`` row, which is dropped)."""
    testified = counts.filter(pl.col("measure") == TESTIFIED)["hearings"]
    if testified.len() != 1:
        raise ValueError("the testimony counts need exactly one 'testified' row")
    out = with_value(counts.filter(pl.col("measure") != TESTIFIED), "_testified",
                     testified.item())
    return out.with_columns(ratio(pl.col("hearings"), pl.col("_testified"))
                            .alias("share")).select("measure", "hearings", "share",
                                                    *_flags(counts))


# --- what a reader sees ----------------------------------------------------------------

def _count_label(column: str, *, share: str | None = None, of: str | None = None):
    def label(r) -> str:
        if r[column] is None:
            return "withheld"
        text = f"{r[column]:,}"
        if share is not None:
            text = f"{percent(r[share])} · {text}" + (f" {of}" if of else "")
        return text
    return label


def _month_columns(end: date) -> list[Each]:
    """A month's short label ('Nov 2026'), its words ('Nov 2026 (to date)') and whether it
    was still under way on ``end``."""
    return [text("month", key_words).alias("month_label"),
            text("month", lambda k: period_words(k, end)).alias("month_words"),
            each(lambda k: key_end(k) > end, "month", dtype=pl.Boolean, skip_nulls=True)
            .alias("to_date")]


def pending_months(pending: pl.DataFrame, end: date) -> pl.DataFrame:
    """The pending chart's rows: month labels, count, and whether the month was still under
    way (its count taken on the period's end, 'to date')."""
    return with_columns(pending, _month_columns(end))


def pending_months_table(pending: pl.DataFrame, end: date, threshold: int) -> pl.DataFrame:
    return select(pending,
        text("month", lambda k: period_words(k, end)).alias("Month"),
        text("month", lambda k: fmt.day(min(key_end(k), end))).alias("Counted on"),
        shown(pending, "pending", threshold).alias("Cases open"),
    )


def bucket_bars(ages: pl.DataFrame) -> pl.DataFrame:
    return select(ages, text("bucket", word).alias("category"), "cases",
                  each_row(_count_label("cases")).alias("label"))


def bucket_table(ages: pl.DataFrame, threshold: int) -> pl.DataFrame:
    return select(ages, text("bucket", word).alias("Time since report"),
                  shown(ages, "cases", threshold).alias("Cases open"))


def adjournment_months(adjournments: pl.DataFrame, end: date) -> pl.DataFrame:
    return with_columns(adjournments, *_month_columns(end),
                        text("adjournment_rate", percent).alias("rate_words"))


def adjournments_table(adjournments: pl.DataFrame, first: str, first_words, threshold: int,
                       ) -> pl.DataFrame:
    """Month or court station (``first``, in words by ``first_words`` if given), hearings,
    adjourned and the rate as a percentage."""
    name = text(first, first_words) if first_words else pl.col(first)
    return select(adjournments,
        name.alias("Month" if first == "month" else "Court station"),
        shown(adjournments, "hearings", threshold).alias("Hearings"),
        shown(adjournments, "adjourned", threshold).alias("Adjourned"),
        text("adjournment_rate", percent).alias("Adjournment rate"),
    )


def station_bars(stations: pl.DataFrame) -> pl.DataFrame:
    """Court stations, highest adjournment rate first, labelled '53% · of 1,418 hearings'."""
    def label(r) -> str:
        if r["adjournment_rate"] is None:
            return "withheld" if r["hearings"] is None else "no hearing"
        return f"{percent(r['adjournment_rate'])} of {r['hearings']:,} hearings"

    ordered = stations.sort("adjournment_rate", "court_station", descending=[True, False],
                            nulls_last=True)
    return select(ordered, pl.col("court_station").alias("category"), "adjournment_rate",
                  each_row(label).alias("label"))


def reason_bars(reasons: pl.DataFrame) -> pl.DataFrame:
    """Reasons, most frequent first, labelled with the count and its share of adjournments."""
    total = None if reasons["hearings"].null_count() else reasons["hearings"].sum()
    shares = with_value(reasons, "_total", total).with_columns(
        ratio(pl.col("hearings"), pl.col("_total")).alias("share"))
    ordered = shares.sort("hearings", descending=True, nulls_last=True, maintain_order=True)
    return select(ordered, text("reason", word).alias("category"), "hearings",
                  each_row(_count_label("hearings", share="share")).alias("label"))


def reasons_table(reasons: pl.DataFrame, threshold: int) -> pl.DataFrame:
    return select(reasons, text("reason", word).alias("Reason"),
                  shown(reasons, "hearings", threshold).alias("Adjourned hearings"))


def testimony_bars(testimony: pl.DataFrame) -> pl.DataFrame:
    return select(testimony,
        text("measure", word).alias("category"), "share",
        each_row(_count_label("hearings", share="share", of="hearings")).alias("label"))


def testimony_table(testimony: pl.DataFrame, threshold: int) -> pl.DataFrame:
    return select(testimony,
        text("measure", word).alias("Protective measure"),
        shown(testimony, "hearings", threshold).alias("Hearings"),
        text("share", percent).alias("Share of hearings with testimony"),
    )


def service_bars(services: pl.DataFrame) -> pl.DataFrame:
    ordered = services.sort("survivors", descending=True, nulls_last=True,
                            maintain_order=True)
    return select(ordered, text("service", word).alias("category"), "survivors",
                  each_row(_count_label("survivors")).alias("label"))


def services_table(services: pl.DataFrame, threshold: int) -> pl.DataFrame:
    return select(services, text("service", word).alias("Service"),
                  shown(services, "survivors", threshold).alias("Survivors"))
