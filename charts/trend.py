"""Monthly trend lines, one per county."""

from __future__ import annotations

import altair as alt
import polars as pl

from charts.theme import themed


def monthly_by_county(df: pl.DataFrame, *, value: str, value_title: str) -> alt.Chart:
    """Lines over ``month`` ('YYYY-MM'), coloured by ``county``; nulls (withheld) break the line."""
    data = df.with_columns(pl.col("month").str.to_date("%Y-%m").alias("month_start"))
    base = alt.Chart(data.to_pandas())
    lines = base.mark_line(point=alt.OverlayMarkDef(size=40), strokeWidth=2.5).encode(
        x=alt.X("month_start:T", title="Month reported",
                axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount="month")),
        y=alt.Y(f"{value}:Q", title=value_title, axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("county:N", title="County"),
        tooltip=[
            alt.Tooltip("county:N", title="County"),
            alt.Tooltip("month_start:T", title="Month", format="%b %Y"),
            alt.Tooltip(f"{value}:Q", title=value_title, format=",d"),
        ],
    )
    return themed(lines)
