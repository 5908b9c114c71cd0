"""Trend lines over months or quarters, one per county."""

from __future__ import annotations

import altair as alt
import polars as pl

from charts.theme import themed

# Title, label format and tick spacing per grain (quarters: one tick per quarter, not per month).
AXIS = {
    "month": ("Month reported", "%b %Y", None),
    "quarter": ("Quarter reported", "Q%q %Y", {"interval": "month", "step": 3}),
}


def by_county(df: pl.DataFrame, *, value: str, value_title: str, grain: str) -> alt.Chart:
    """Lines over ``period_start``, coloured by ``county``; withheld (null) values break the line."""
    title, fmt, ticks = AXIS[grain]
    axis = alt.Axis(format=fmt, labelAngle=0, labelOverlap=True)
    if ticks:
        axis = alt.Axis(format=fmt, labelAngle=0, labelOverlap=True, tickCount=ticks)
    lines = alt.Chart(df.select("period_start", "county", value).to_pandas()).mark_line(
        point=alt.OverlayMarkDef(size=50), strokeWidth=2.5
    ).encode(
        x=alt.X("period_start:T", title=title, axis=axis),
        y=alt.Y(f"{value}:Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("county:N", title="County"),
        tooltip=[
            alt.Tooltip("county:N", title="County"),
            alt.Tooltip("period_start:T", title=title, format=fmt),
            alt.Tooltip(f"{value}:Q", title=value_title, format=",d"),
        ],
    )
    return themed(lines)
