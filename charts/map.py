"""The county map (pydeck) and its legend (Altair).

Polygons when county shapes are given (a GeoJsonLayer choropleth), otherwise circles at
the county centres whose area follows the value. Only the counties in the table are
drawn, so a map never carries a county its reader may not see. No basemap unless a
provider is configured: ``map_provider=None`` keeps the map offline (Streamlit would
otherwise fetch a Carto basemap for a deck without a style).
"""

from __future__ import annotations

import math

import altair as alt
import polars as pl
import pydeck as pdk

from charts.frames import pandas
from charts.theme import FONT, NO_DATA_FILL, OUTLINE, ZERO_FILL, rgba, sequential
from metrics.map import NO_DATA, ZERO

MAX_RADIUS_M = 45_000  # the largest circle, for the largest value
MIN_RADIUS_M = 5_000  # zero, no data and the smallest values stay visible
METRES_PER_DEGREE = 111_320  # of latitude
TOOLTIP = {
    "text": "{county}\n{measure}: {words}",
    "style": {"backgroundColor": "#1F2933", "color": "#FFFFFF", "fontFamily": FONT,
              "fontSize": "14px"},
}


def colours(n_classes: int) -> dict[int, str]:
    """Class number -> fill colour: no data, zero, then the positive classes."""
    steps = sequential(n_classes)
    return {NO_DATA: NO_DATA_FILL, ZERO: ZERO_FILL, **{i + 1: c for i, c in enumerate(steps)}}


def _rings(geometry: dict):
    polygons = ([geometry["coordinates"]] if geometry["type"] == "Polygon"
                else geometry["coordinates"])
    for polygon in polygons:
        yield from polygon


def view(points: list[tuple[float, float]], *, pad: float = 0.3) -> pdk.ViewState:
    """A view framing ``points`` (longitude, latitude) in a map about 900 x 540 pixels (the
    world is 512 pixels wide at zoom 0)."""
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    west, east, south, north = min(lons) - pad, max(lons) + pad, min(lats) - pad, max(lats) + pad
    span_x, span_y = max(east - west, 0.5), max(north - south, 0.5)
    zoom = min(math.log2(900 * 360 / (512 * span_x)), math.log2(540 * 360 / (512 * span_y)))
    return pdk.ViewState(longitude=(west + east) / 2, latitude=(south + north) / 2,
                         zoom=round(min(zoom - 0.2, 9.0), 2), min_zoom=4, max_zoom=11)


def _objects(classified: pl.DataFrame, n_classes: int, measure: str) -> list[dict]:
    fill = colours(n_classes)
    return [{**row, "measure": measure, "fill": rgba(fill[row["klass"]], 230)}
            for row in classified.iter_rows(named=True)]


def polygons_layer(objects: list[dict], shapes: dict[str, dict]) -> pdk.Layer:
    features = [{"type": "Feature", "geometry": shapes[o["county_code"]],
                 "properties": {k: o[k] for k in ("county_code", "county", "measure", "words",
                                                  "fill")}}
                for o in objects]
    return pdk.Layer(
        "GeoJsonLayer", {"type": "FeatureCollection", "features": features}, id="counties",
        pickable=True, auto_highlight=True, stroked=True, filled=True,
        get_fill_color="properties.fill", get_line_color=rgba(OUTLINE),
        line_width_min_pixels=1)


def circles_layer(objects: list[dict]) -> pdk.Layer:
    return pdk.Layer(
        "ScatterplotLayer", objects, id="counties", pickable=True, auto_highlight=True,
        stroked=True, filled=True, get_position="[lon, lat]", get_radius="radius",
        radius_units='"meters"', radius_min_pixels=3, get_fill_color="fill",
        get_line_color=rgba(OUTLINE), line_width_min_pixels=1)


def _placed(objects: list[dict], centres: dict[str, tuple[float, float]]) -> list[dict]:
    """Each county at its centre, with the radius of its circle (area follows the value)
    and where its name goes: just above the circle."""
    top = max((o["value"] for o in objects if o["value"]), default=0) or 1
    out = []
    for o in objects:
        lat, lon = centres[o["county_code"]]
        radius = max(MIN_RADIUS_M, MAX_RADIUS_M * math.sqrt(max((o["value"] or 0) / top, 0)))
        out.append({**o, "lon": lon, "lat": lat, "radius": radius,
                    "label_lat": lat + radius / METRES_PER_DEGREE})
    return out


def labels_layer(objects: list[dict]) -> pdk.Layer:
    """County names where there is something to see (a positive value)."""
    rows = [{"county": o["county"], "lon": o["lon"], "lat": o["label_lat"]}
            for o in objects if o["klass"] > ZERO]
    return pdk.Layer(
        "TextLayer", rows, id="names", get_position="[lon, lat]", get_text="county",
        get_size=13, get_color=[31, 41, 51, 255], get_alignment_baseline="\"bottom\"",
        get_pixel_offset=[0, -3], background=True,
        get_background_color=[255, 255, 255, 210], font_family=f'"{FONT}"')


def deck(classified: pl.DataFrame, n_classes: int, *, measure: str,
         centres: dict[str, tuple[float, float]], shapes: dict[str, dict] | None = None,
         provider: str | None = None, style: str = "light") -> pdk.Deck:
    """The map of one measure. ``classified``: county_code, county, value, klass, words
    (``metrics.map.classified``); ``centres``: county code -> (latitude, longitude)."""
    objects = _placed(_objects(classified, n_classes, measure), centres)
    if shapes is not None:
        layer = polygons_layer(objects, shapes)
        points = [tuple(p) for o in objects for ring in _rings(shapes[o["county_code"]])
                  for p in ring]
        for o in objects:  # names at the county centre
            o["label_lat"] = o["lat"]
    else:
        layer = circles_layer(objects)
        points = [(o["lon"], o["lat"]) for o in objects]
    layers = [layer, labels_layer(objects)]
    state = view(points or [(39.5, -3.5)])
    if provider is None:
        # No map_style argument: pydeck then writes its placeholder, which Streamlit reads as
        # "no basemap". (map_style=None would make Streamlit fetch a Carto basemap.)
        return pdk.Deck(layers=layers, initial_view_state=state, map_provider=None,
                        tooltip=TOOLTIP)
    return pdk.Deck(layers=layers, initial_view_state=state, map_provider=provider,
                    map_style=style, tooltip=TOOLTIP)


def legend(labels: list[str], *, title: str) -> alt.Chart:
    """Swatches: no data, zero, then the classes (``labels`` from metrics.map.class_labels)."""
    fill = colours(len(labels))
    words = ["No data", "0", *labels]
    keys = [NO_DATA, ZERO, *range(1, len(labels) + 1)]
    data = pl.DataFrame({"label": words, "colour": [fill[k] for k in keys], "row": ""})
    swatches = alt.Chart(pandas(data)).mark_rect(stroke=OUTLINE, strokeWidth=1).encode(
        x=alt.X("label:N", sort=words, title=None,
                axis=alt.Axis(labelAngle=0, ticks=False, domain=False, labelFontSize=13,
                              labelLimit=160, labelPadding=6)),
        y=alt.Y("row:N", axis=None),
        color=alt.Color("colour:N", scale=None, legend=None),
        tooltip=[alt.Tooltip("label:N", title=title)])
    return (swatches.properties(height=alt.Step(26), width="container",
                                title=alt.Title(title, anchor="start", fontSize=14))
            .configure(font=FONT).configure_view(strokeWidth=0))
