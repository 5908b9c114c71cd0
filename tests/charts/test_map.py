"""The map's deck: offline by default, only the counties it is given, tooltips from text,
zero and no data in different colours, polygons or circles."""

import json

import polars as pl
import pytest

from charts.map import colours, deck, legend
from charts.theme import NO_DATA_FILL, ZERO_FILL, rgba
from metrics.map import NO_DATA, ZERO
from tests.boundary_fixture import collection
from warehouse.reference import county_rows

CENTRES = {r["code"]: (r["latitude"], r["longitude"]) for r in county_rows()}
SHAPES = {f["properties"]["county_code"]: f["geometry"] for f in collection()["features"]}


def _rows(*rows):
    return pl.DataFrame(list(rows), schema={"county_code": pl.String, "county": pl.String,
                                            "value": pl.Float64, "klass": pl.Int64,
                                            "words": pl.String}, orient="row")


TABLE = _rows(("001", "Mombasa", 76.0, 2, "76"), ("002", "Kwale", 0.0, ZERO, "0"),
              ("003", "Kilifi", None, NO_DATA, "no data"), ("005", "Lamu", 3.0, 1, "3"))


def _spec(d):
    return json.loads(d.to_json())


@pytest.mark.parametrize("shapes", [None, SHAPES], ids=["circles", "polygons"])
def test_no_basemap_and_no_url_unless_configured(shapes):
    spec = _spec(deck(TABLE, 2, measure="Cases reported", centres=CENTRES, shapes=shapes))
    # pydeck's placeholder: Streamlit draws no basemap (a missing style would fetch Carto's).
    assert spec["mapStyle"] == "__MAP_STYLE__"
    assert "mapProvider" not in spec
    text = json.dumps(spec)
    assert "http" not in text and "mapbox" not in text and "carto" not in text


def test_a_configured_provider_gets_its_style():
    spec = _spec(deck(TABLE, 2, measure="x", centres=CENTRES, provider="carto", style="light"))
    assert spec["mapProvider"] == "carto" and "cartocdn" in spec["mapStyle"]


def test_circles_carry_county_value_words_and_colour():
    spec = _spec(deck(TABLE, 2, measure="Cases reported", centres=CENTRES))
    layer = next(layer for layer in spec["layers"] if layer["id"] == "counties")
    assert layer["@@type"] == "ScatterplotLayer" and layer["radiusUnits"] == "meters"
    by_county = {o["county"]: o for o in layer["data"]}
    assert set(by_county) == {"Mombasa", "Kwale", "Kilifi", "Lamu"}
    assert by_county["Kwale"]["fill"][:3] == rgba(ZERO_FILL)[:3]
    assert by_county["Kilifi"]["fill"][:3] == rgba(NO_DATA_FILL)[:3]
    assert by_county["Kwale"]["fill"] != by_county["Kilifi"]["fill"]
    assert by_county["Mombasa"]["radius"] > by_county["Lamu"]["radius"]
    assert by_county["Mombasa"]["measure"] == "Cases reported"
    assert spec["views"][0]["@@type"] == "MapView"


def test_polygons_are_the_given_shapes_only():
    spec = _spec(deck(TABLE, 2, measure="m", centres=CENTRES, shapes=SHAPES))
    layer = next(layer for layer in spec["layers"] if layer["id"] == "counties")
    assert layer["@@type"] == "GeoJsonLayer"
    features = layer["data"]["features"]
    assert [f["properties"]["county"] for f in features] == ["Mombasa", "Kwale", "Kilifi", "Lamu"]
    assert features[0]["geometry"] == SHAPES["001"]
    assert layer["getFillColor"] == "@@=properties.fill"


def test_the_tooltip_is_plain_text_from_each_county():
    d = deck(TABLE, 2, measure="m", centres=CENTRES)
    assert d._tooltip["text"] == "{county}\n{measure}: {words}"
    assert "html" not in d._tooltip


def test_a_single_county_frames_itself():
    one = _spec(deck(TABLE.head(2).tail(1), 0, measure="m", centres=CENTRES))
    view = one["initialViewState"]
    lat, lon = CENTRES["002"]
    assert view["latitude"] == pytest.approx(lat, abs=0.01)
    assert view["longitude"] == pytest.approx(lon, abs=0.01)
    everyone = _spec(deck(TABLE, 2, measure="m", centres=CENTRES))["initialViewState"]
    assert view["zoom"] > everyone["zoom"]


def test_classes_use_distinct_colours_and_the_legend_lists_them_all():
    fill = colours(5)
    assert len(set(fill.values())) == 7
    assert fill[ZERO] == ZERO_FILL and fill[NO_DATA] == NO_DATA_FILL
    spec = legend(["1–4", "5–9"], title="Cases").to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert [r["label"] for r in rows] == ["No data", "0", "1–4", "5–9"]
    assert rows[0]["colour"] != rows[1]["colour"]
