"""Trend lines over months or quarters, one per county, the running period drawn unfinished."""

from __future__ import annotations

import math

import altair as alt
import polars as pl

from charts.frames import pandas
from charts.theme import county_scale, themed

# Title, label format, time unit and months per period. Dates are read and drawn in
# UTC so that a reader in Nairobi and one in Washington see the same month.
AXIS = {
    "month": ("Month reported", "%b %Y", "utcyearmonth", 1),
    "quarter": ("Quarter reported", "Q%q %Y", "utcyearquarter", 3),
}
MAX_TICKS = 12


def by_county(df: pl.DataFrame, *, value: str, value_title: str, grain: str) -> alt.LayerChart:
    """Lines over ``period_start`` coloured by ``county``; withheld (null) values break the
    line. A period still running (``to_date``) is joined by a dashed segment and drawn as a
    hollow point labelled 'to date', so a partial count never reads as a collapse."""
    title, fmt, unit, months = AXIS[grain]
    periods = df["period_start"].n_unique()
    step = months * max(1, math.ceil(periods / MAX_TICKS))
    data = df.select("period_start", "county_code", "county", value, "to_date").with_columns(
        pl.when(pl.col("to_date")).then(pl.lit("to date")).otherwise(pl.lit("complete"))
        .alias("status"))
    x = alt.X(
        f"{unit}(period_start):T",
        title=title,
        scale=alt.Scale(type="utc"),
        axis=alt.Axis(format=fmt, labelAngle=0, labelOverlap=True, grid=False,
                      tickCount={"interval": "month", "step": step}),
    )
    y = alt.Y(f"{value}:Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1))
    color = alt.Color("county:N", title="County",
                      scale=county_scale(list(zip(data["county_code"], data["county"],
                                                  strict=True))))
    tooltip = [
        alt.Tooltip("county:N", title="County"),
        alt.Tooltip(f"{unit}(period_start):T", title=title, format=fmt),
        alt.Tooltip(f"{value}:Q", title=value_title, format=",d"),
        alt.Tooltip("status:N", title="Period"),
    ]
    complete = data.filter(~pl.col("to_date"))
    # The last complete period and the running one, so the dashed segment joins the line.
    last_complete = complete["period_start"].max()
    tail = data.filter(pl.col("to_date") | (pl.col("period_start") == last_complete))
    base = alt.Chart(pandas(complete)).encode(x=x, y=y, color=color, tooltip=tooltip)
    layers = [base.mark_line(strokeWidth=2.5), base.mark_point(size=50, filled=True)]
    if data["to_date"].any():
        running = alt.Chart(pandas(tail)).encode(x=x, y=y, color=color, tooltip=tooltip)
        layers += [
            running.mark_line(strokeWidth=2, strokeDash=[5, 4]),
            running.transform_filter(alt.datum.status == "to date").mark_point(
                size=70, filled=False, strokeWidth=2),
        ]
        # One label above the highest running point, whatever the number of counties.
        label = data.filter(pl.col("to_date")).sort(value, descending=True, nulls_last=True)
        layers.append(alt.Chart(pandas(label.head(1))).mark_text(
            dy=-14, fontSize=12, color="#444444").encode(x=x, y=y, text=alt.value("to date")))
    return themed(alt.layer(*layers))
