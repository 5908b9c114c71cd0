"""Charts of the indicators and summary pages: each indicator against its target, an
indicator's quarters against their targets, and the figures of a summary section."""

from __future__ import annotations

import altair as alt
import polars as pl

from charts.bars import hbars
from charts.frames import pandas
from charts.theme import BLUE, GREEN, GREY, ORANGE, VERMILLION, configured
from metrics.each import each, select, with_columns
from metrics.indicators import STATUS_WORDS, value_words
from metrics.overview import period_words
from metrics.words import percent
from warehouse.indicators import BY_CODE

STATUS_COLOURS = {STATUS_WORDS["on_track"]: GREEN, STATUS_WORDS["at_risk"]: ORANGE,
                  STATUS_WORDS["off_track"]: VERMILLION}


def against_targets(table: pl.DataFrame) -> alt.LayerChart:
    """One bar per indicator with a target and an actual: its percentage of target, coloured
    by status, labelled '88% · At risk'. Indicators without either are left out (the table
    under the chart lists them)."""
    rows = table.filter(pl.col("pct_of_target").is_not_null())
    df = select(
        rows,
        each(lambda c: BY_CODE[c].name, "indicator_code", skip_nulls=True).alias("category"),
        "pct_of_target",
        pl.col("status").replace_strict(STATUS_WORDS, return_dtype=pl.String).alias("status"),
    )
    df = with_columns(df, each(lambda pct, status: f"{percent(pct)} · {status}",
                               "pct_of_target", "status").alias("label"))
    return hbars(df, value="pct_of_target", value_title="Actual as a share of the target",
                 value_format=".0%", colour_by="status", colours=STATUS_COLOURS,
                 colour_title="Status")


def trend(rows: pl.DataFrame, code: str, end) -> alt.LayerChart:
    """One indicator per quarter (line and points) and its targets (grey ticks)."""
    df = with_columns(
        rows,
        each(lambda k: period_words(k, end), "period", skip_nulls=True).alias("quarter"),
        each(lambda v: value_words(code, v), "actual").alias("actual_words"),
        each(lambda v: value_words(code, v) if v is not None else "no target", "target")
        .alias("target_words"))
    order = df["quarter"].to_list()
    fmt = ".0%" if BY_CODE[code].kind == "share" else ",.0f"
    base = alt.Chart(pandas(df)).encode(
        x=alt.X("quarter:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
        tooltip=[alt.Tooltip("quarter:N", title="Quarter"),
                 alt.Tooltip("actual_words:N", title="Actual"),
                 alt.Tooltip("target_words:N", title="Target")])
    y = alt.Y("actual:Q", title=BY_CODE[code].unit.capitalize(), axis=alt.Axis(format=fmt))
    line = base.mark_line(point=True, color=BLUE).encode(y=y)
    target = base.mark_tick(color=GREY, thickness=3, size=28).encode(y="target:Q")
    return configured(alt.layer(line, target).properties(height=220, width="container"))


def figures_bars(rows: pl.DataFrame, value: str, title: str,
                 kind: str = "count") -> alt.LayerChart:
    """Figures as labelled bars (``category``, ``value``, ``label``): a summary section, or
    an indicator's drill-down (``kind`` of the indicator: its axis reads as it does)."""
    fmt = {"share": ".0%", "median": ",.0f"}.get(kind, ",d")
    return hbars(rows, value=value, value_title=title, value_format=fmt)
