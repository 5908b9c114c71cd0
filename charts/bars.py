"""Horizontal bars with their labels written beside them: the funnel, exits, stages, buckets,
reasons, measures and services all read as one ranked or ordered list of bars."""

from __future__ import annotations

import math

import altair as alt
import polars as pl

from charts.frames import pandas
from charts.theme import BLUE, themed

ROW_HEIGHT = 34  # pixels per bar, label included, so long lists stay readable
NOTE_ROW_HEIGHT = 46  # a bar whose label has a second line
LABEL_ROOM = 0.45  # the share of the width kept right of the longest bar for its label
LABEL_COLOUR, NOTE_COLOUR = "#222222", "#555555"


def height_for(rows: int, row_height: int = ROW_HEIGHT) -> int:
    return max(120, rows * row_height + 50)


def labels(base: alt.Chart, x: alt.X, *, label: str = "label", note: str | None = None,
           ) -> list[alt.Chart]:
    """Text at the end of each bar (``x``): ``label``, and under it, smaller and grey, the
    ``note`` when there is one."""
    if note is None:
        return [base.mark_text(align="left", dx=5, fontSize=13, color=LABEL_COLOUR)
                .encode(x=x, text=f"{label}:N")]
    return [
        base.mark_text(align="left", dx=5, dy=-8, fontSize=13, color=LABEL_COLOUR)
        .encode(x=x, text=f"{label}:N"),
        base.mark_text(align="left", dx=5, dy=8, fontSize=11.5, color=NOTE_COLOUR)
        .encode(x=x, text=f"{note}:N"),
    ]


def ticks(top: float, *, whole: bool = True) -> list[float]:
    """Round tick values from 0 to ``top`` (at most about five), so the axis stops where the
    bars stop and the room for labels carries no gridlines."""
    if not top or top <= 0:
        return [0]
    raw = top / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if whole:
        step = max(1, round(step))
    return [i * step for i in range(int(top // step) + 1)]


def hbars(df: pl.DataFrame, *, value: str, value_title: str, value_format: str = ",d",
          colour: str = BLUE, colour_by: str | None = None, colours: dict[str, str] | None = None,
          colour_title: str = "", legend: bool = True, label: str = "label",
          note: str | None = None, category_title: str = "",
          label_room: float = LABEL_ROOM) -> alt.LayerChart:
    """One bar per row of ``df`` (``category``, ``value``, ``label``) in the frame's order,
    each labelled at its end (and with a grey ``note`` under the label, if given). A null
    value draws no bar (a withheld or empty figure), and its label says why. ``colour_by``
    colours the bars by a column, ``colours`` mapping its values to colours, in order."""
    order = df["category"].to_list()
    top = df[value].max() or 0
    domain_max = (top / (1 - label_room)) if top else 1
    y = alt.Y("category:N", sort=order, title=category_title or None,
              axis=alt.Axis(labelLimit=380, labelFontSize=13, ticks=False, domain=False))
    x = alt.X(f"{value}:Q", title=value_title, scale=alt.Scale(domain=[0, domain_max]),
              axis=alt.Axis(format=value_format, grid=True,
                            values=ticks(top, whole=value_format == ",d")))
    base = alt.Chart(pandas(df)).encode(
        y=y, tooltip=[alt.Tooltip("category:N", title=category_title or "Row"),
                      alt.Tooltip(f"{label}:N", title=value_title)])
    if colour_by:
        colour_enc = alt.Color(f"{colour_by}:N", title=colour_title or None,
                               scale=alt.Scale(domain=list(colours), range=list(colours.values())),
                               legend=alt.Legend() if legend else None)
        bars = base.mark_bar(height={"band": 0.7}).encode(x=x, color=colour_enc)
    else:
        bars = base.mark_bar(height={"band": 0.7}, color=colour).encode(x=x)
    at_end = alt.X("label_at:Q", scale=alt.Scale(domain=[0, domain_max]))
    ends = base.transform_calculate(
        label_at=f"datum['{value}'] === null ? 0 : datum['{value}']")
    rows = NOTE_ROW_HEIGHT if note else ROW_HEIGHT
    return themed(alt.layer(bars, *labels(ends, at_end, label=label, note=note)),
                  height=height_for(len(order), rows))
