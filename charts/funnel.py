"""The funnel page's two charts that are not plain bars: time between stages (median and 75th
percentile), and a breakdown's nested bars (reported, of them charged, of them convicted)."""

from __future__ import annotations

import altair as alt
import polars as pl

from charts.bars import LABEL_ROOM, NOTE_ROW_HEIGHT, height_for, labels, ticks
from charts.frames import pandas
from charts.theme import BLUE, GREEN, SKY, themed

MEDIAN_COLOUR, SPREAD_COLOUR = BLUE, SKY
DURATION_LABEL_ROOM = 0.6  # its labels are the longest of the page


def durations(df: pl.DataFrame) -> alt.LayerChart:
    """Per interval (``category``): a bar to the median, a thinner one on to the 75th
    percentile, and the label ('median 44 days · 75% within 63 days · 393 cases')."""
    order = df["category"].to_list()
    top = max([v for v in df["p75_days"].to_list() if v is not None], default=0)
    domain = [0, top / (1 - DURATION_LABEL_ROOM) if top else 1]
    scale = alt.Scale(domain=domain)
    y = alt.Y("category:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=260, labelFontSize=13, ticks=False, domain=False))
    base = alt.Chart(pandas(df)).encode(y=y, tooltip=[
        alt.Tooltip("category:N", title="Between"),
        alt.Tooltip("label:N", title="Days")])
    spread = base.mark_bar(height={"band": 0.3}, color=SPREAD_COLOUR).encode(
        x=alt.X("median_days:Q", scale=scale, title="Days",
                axis=alt.Axis(format=",d", values=ticks(top))),
        x2="p75_days:Q")
    median = base.mark_bar(height={"band": 0.7}, color=MEDIAN_COLOUR).encode(
        x=alt.X("median_days:Q", scale=scale))
    ends = base.transform_calculate(end="datum.p75_days === null ? 0 : datum.p75_days")
    text = labels(ends, alt.X("end:Q", scale=scale), note="note")
    return themed(alt.layer(spread, median, *text),
                  height=height_for(len(order), NOTE_ROW_HEIGHT))


NESTED = {"Reported": SKY, "Charged": BLUE, "Convicted": GREEN}


def nested(df: pl.DataFrame, *, category_title: str) -> alt.LayerChart:
    """One row per ``category``: the reported cases as a long pale bar, the charged ones
    over it and the convicted over those (each is part of the one before), and the
    label ('365 · 141 charged · 1 convicted'). Stays readable with 47 counties: one row each.
    """
    order = df["category"].to_list()
    top = df["Reported"].max() or 0
    scale = alt.Scale(domain=[0, top / (1 - LABEL_ROOM) if top else 1])
    long = df.unpivot(index=["category", "label"], on=list(NESTED),
                      variable_name="measure", value_name="cases")
    y = alt.Y("category:N", sort=order, title=None,  # the tab above names the dimension
              axis=alt.Axis(labelLimit=260, labelFontSize=13, ticks=False, domain=False))
    base = alt.Chart(pandas(long)).encode(y=y)
    bars = base.mark_bar(height={"band": 0.7}).encode(
        x=alt.X("cases:Q", scale=scale, stack=None, title="Cases",
                axis=alt.Axis(format=",d", values=ticks(top))),
        color=alt.Color("measure:N", title=None,
                        scale=alt.Scale(domain=list(NESTED), range=list(NESTED.values())),
                        sort=list(NESTED)),
        tooltip=[alt.Tooltip("category:N", title=category_title),
                 alt.Tooltip("measure:N", title="Cases"),
                 alt.Tooltip("cases:Q", title="Number", format=",d")],
    )  # drawn in the frame's order, Reported first, so each part sits over its whole
    reported = long.filter(pl.col("measure") == "Reported")
    text = labels(alt.Chart(pandas(reported)).encode(y=y), alt.X("cases:Q", scale=scale))
    return themed(alt.layer(bars, *text), height=height_for(len(order)))
