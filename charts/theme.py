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
    return configured(chart.properties(height=height, width="container"))


def configured(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The theme without a size: for faceted and concatenated charts, whose panels size
    themselves."""
    return (
        chart.configure(font=FONT)
        .configure_axis(labelFontSize=13, titleFontSize=14, gridColor="#e6e6e6")
        .configure_legend(labelFontSize=13, titleFontSize=14, orient="bottom")
        .configure_range(category=list(PALETTE))
        .configure_view(strokeWidth=0)
    )


# Maps and heatmaps: ColorBrewer's YlGnBu (Cynthia Brewer, colorbrewer2.org, where it is
# marked colour-blind safe), light to dark. A true zero takes the scheme's lightest step and
# "no data" a neutral grey, so the two never look alike.
SEQUENTIAL = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
ZERO_FILL = "#ffffcc"
NO_DATA_FILL = "#bdbdbd"
OUTLINE = "#5a5a5a"


def sequential(n: int) -> list[str]:
    """``n`` steps of SEQUENTIAL, spread from light to dark (one step: the middle)."""
    if n <= 0:
        return []
    if n == 1:
        return [SEQUENTIAL[len(SEQUENTIAL) // 2]]
    last = len(SEQUENTIAL) - 1
    return [SEQUENTIAL[round(i * last / (n - 1))] for i in range(n)]


def rgba(colour: str, alpha: int = 255) -> list[int]:
    """'#0072B2' -> [0, 114, 178, alpha] (deck.gl's colour format)."""
    return [int(colour[i:i + 2], 16) for i in (1, 3, 5)] + [alpha]
