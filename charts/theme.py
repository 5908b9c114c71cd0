"""One look for every chart: readable type and the Okabe-Ito colour-blind-safe palette.

Applied per chart (``themed``) rather than as a global Altair theme, so a chart
looks the same in the app, in a test and in an export.
"""

from __future__ import annotations

import altair as alt

# Okabe & Ito (2008), distinguishable under the common colour-vision deficiencies.
PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow (last: weak on white)
    "#000000",
)
FONT = "Source Sans Pro, Arial, sans-serif"


def themed(chart: alt.TopLevelMixin, *, height: int = 320) -> alt.TopLevelMixin:
    return (
        chart.properties(height=height, width="container")
        .configure(font=FONT)
        .configure_axis(labelFontSize=13, titleFontSize=14, gridColor="#e6e6e6")
        .configure_legend(labelFontSize=13, titleFontSize=14, orient="bottom")
        .configure_range(category=list(PALETTE))
        .configure_view(strokeWidth=0)
    )
