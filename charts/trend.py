"""Trend lines over months or quarters, one per county."""

from __future__ import annotations

import math

import altair as alt
import polars as pl

from charts.theme import themed

# Title, label format, time unit and months per period. Dates are read and drawn in
# UTC so that a reader in Nairobi and one in Washington see the same month.
AXIS = {
    "month": ("Month reported", "%b %Y", "utcyearmonth", 1),
    "quarter": ("Quarter reported", "Q%q %Y", "utcyearquarter", 3),
}
MAX_TICKS = 12


def by_county(df: pl.DataFrame, *, value: str, value_title: str, grain: str) -> alt.Chart:
    """Lines over ``period_start``, coloured by ``county``; withheld (null) values break the line."""
    title, fmt, unit, months = AXIS[grain]
    periods = df["period_start"].n_unique()
    step = months * max(1, math.ceil(periods / MAX_TICKS))
    x = alt.X(
        f"{unit}(period_start):T",
        title=title,
        scale=alt.Scale(type="utc"),
        axis=alt.Axis(format=fmt, labelAngle=0, labelOverlap=True, grid=False,
                      tickCount={"interval": "month", "step": step}),
    )
    lines = alt.Chart(df.select("period_start", "county", value).to_pandas()).mark_line(
        point=alt.OverlayMarkDef(size=50), strokeWidth=2.5
    ).encode(
        x=x,
        y=alt.Y(f"{value}:Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("county:N", title="County"),
        tooltip=[
            alt.Tooltip("county:N", title="County"),
            alt.Tooltip(f"{unit}(period_start):T", title=title, format=fmt),
            alt.Tooltip(f"{value}:Q", title=value_title, format=",d"),
        ],
    )
    return themed(lines)
