"""One look for every chart: readable type, the Okabe-Ito colour-blind-safe palette, and
one colour per county that stays the same in every chart and every selection.

Applied per chart (``themed``) rather than as a global Altair theme, so a chart
looks the same in the app, in a test and in an export.
"""

from __future__ import annotations

import altair as alt

# Okabe & Ito (2008), distinguishable under the common colour-vision deficiencies.
BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION, YELLOW, BLACK = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
PALETTE = (BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION, YELLOW, BLACK)
GREY = "#8C8C8C"
FONT = "Source Sans Pro, Arial, sans-serif"

# The programme's counties keep the strongest colours; every other county gets one of the
# rest by its code, so Lamu is the same colour whether it is shown with one county or ten.
_FIXED = {"001": BLUE, "002": ORANGE, "003": GREEN, "other": GREY}
_REST = (PURPLE, SKY, VERMILLION, BLACK)


def county_colour(code: str) -> str:
    if code in _FIXED:
        return _FIXED[code]
    return _REST[int(code) % len(_REST)] if code.isdigit() else GREY


def county_scale(codes_and_names: list[tuple[str, str]]) -> alt.Scale:
    """A colour scale over county names whose colours follow the county codes."""
    pairs = sorted(set(codes_and_names), key=lambda p: p[1])
    return alt.Scale(domain=[n for _, n in pairs], range=[county_colour(c) for c, _ in pairs])


def themed(chart: alt.TopLevelMixin, *, height: int = 320) -> alt.TopLevelMixin:
    return (
        chart.properties(height=height, width="container")
        .configure(font=FONT)
        .configure_axis(labelFontSize=13, titleFontSize=14, gridColor="#e6e6e6")
        .configure_legend(labelFontSize=13, titleFontSize=14, orient="bottom")
        .configure_range(category=list(PALETTE))
        .configure_view(strokeWidth=0)
    )
