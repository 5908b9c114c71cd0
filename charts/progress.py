"""The progress page's charts over months: the pending caseload at each month's end, and the
adjournment rate of each month's hearings. Months are categories in calendar order
(``month_label``: 'Jan 2026'), so every bar is whole and a label never sits on an axis."""

from __future__ import annotations

import altair as alt
import polars as pl

from charts.frames import pandas
from charts.theme import BLUE, SKY, VERMILLION, themed

MAX_LABELLED = 18  # more months than this and the counts over the bars would crowd


def _months(df: pl.DataFrame, title: str) -> alt.X:
    return alt.X("month_label:O", sort=df["month_label"].to_list(), title=title,
                 axis=alt.Axis(labelAngle=0, labelOverlap="greedy", ticks=False))


def pending_by_month(df: pl.DataFrame) -> alt.LayerChart:
    """Bars of the cases open at each month's end (``month_label``, ``pending``,
    ``month_words``, ``to_date``); a month still under way is drawn pale."""
    base = alt.Chart(pandas(df)).encode(
        x=_months(df, "Month's end"),
        tooltip=[alt.Tooltip("month_words:N", title="Month"),
                 alt.Tooltip("pending:Q", title="Cases open", format=",d")])
    bars = base.mark_bar(width={"band": 0.75}).encode(
        y=alt.Y("pending:Q", title="Cases open", axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("status:N", title=None,
                        scale=alt.Scale(domain=["month's end", "to date"], range=[BLUE, SKY]),
                        legend=alt.Legend() if df["to_date"].any() else None))
    layers = [bars.transform_calculate(
        status="datum.to_date ? 'to date' : \"month's end\"")]
    if df.height <= MAX_LABELLED:
        layers.append(base.mark_text(dy=-8, fontSize=11.5, color="#222222").encode(
            y="pending:Q", text=alt.Text("pending:Q", format=",d")))
    return themed(alt.layer(*layers))


def adjournment_rate(df: pl.DataFrame) -> alt.LayerChart:
    """The share of each month's hearings that were adjourned (``adjournment_rate``), as a
    line with points; a month without hearings is a gap."""
    base = alt.Chart(pandas(df)).encode(
        x=_months(df, "Month"),
        y=alt.Y("adjournment_rate:Q", title="Hearings adjourned",
                scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%")),
        tooltip=[alt.Tooltip("month_words:N", title="Month"),
                 alt.Tooltip("rate_words:N", title="Adjourned"),
                 alt.Tooltip("hearings:Q", title="Hearings", format=",d"),
                 alt.Tooltip("adjourned:Q", title="Adjourned hearings", format=",d")])
    return themed(alt.layer(base.mark_line(color=VERMILLION, strokeWidth=2.5),
                            base.mark_point(color=VERMILLION, filled=True, size=50)))
