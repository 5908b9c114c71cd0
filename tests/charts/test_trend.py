from datetime import date

import polars as pl
import pytest

from charts.theme import PALETTE, county_colour
from charts.trend import by_county


def _trend(n_periods: int, running: bool = False) -> pl.DataFrame:
    rows = []
    for i in range(n_periods):
        start = date(2021 + i // 12, i % 12 + 1, 1)
        last = running and i == n_periods - 1
        rows += [(start, "003", "Kilifi", 30 + i, last),
                 (start, "002", "Kwale", None, last)]  # Kwale withheld
    return pl.DataFrame(rows, schema={"period_start": pl.Date, "county_code": pl.String,
                                      "county": pl.String, "cases": pl.Int64,
                                      "to_date": pl.Boolean}, orient="row")


def _layers(spec):
    return spec["layer"]


@pytest.mark.parametrize(("grain", "periods", "step"), [("month", 12, 1), ("month", 71, 6),
                                                        ("quarter", 8, 3)])
def test_spec_reads_in_words_in_utc_with_the_shared_palette(grain, periods, step):
    spec = by_county(_trend(periods), value="cases", value_title="Cases reported",
                     grain=grain).to_dict()
    line = _layers(spec)[0]
    x = line["encoding"]["x"]
    assert x["title"] == f"{grain.capitalize()} reported"
    assert x["timeUnit"].startswith("utc") and x["scale"]["type"] == "utc"
    assert x["axis"]["tickCount"] == {"interval": "month", "step": step}  # at most ~12 labels
    assert line["encoding"]["color"]["title"] == "County"
    assert spec["config"]["range"]["category"] == list(PALETTE)
    values = [v for d in spec["datasets"].values() for v in d]
    assert {v["county"] for v in values} == {"Kilifi", "Kwale"}
    assert any(v["cases"] is None for v in values)  # withheld stays a gap, never a zero


def test_each_county_keeps_its_colour_whatever_else_is_shown():
    alone = by_county(_trend(3).filter(pl.col("county") == "Kwale"), value="cases",
                      value_title="C", grain="month").to_dict()
    both = by_county(_trend(3), value="cases", value_title="C", grain="month").to_dict()

    def colours(spec):
        scale = _layers(spec)[0]["encoding"]["color"]["scale"]
        return dict(zip(scale["domain"], scale["range"], strict=True))

    assert colours(alone)["Kwale"] == colours(both)["Kwale"] == county_colour("002")
    assert colours(both)["Kilifi"] == county_colour("003") != county_colour("002")
    assert county_colour("001") != county_colour("other")


def test_the_running_period_is_drawn_apart_and_labelled():
    complete = by_county(_trend(6), value="cases", value_title="C", grain="month").to_dict()
    assert len(_layers(complete)) == 2  # line and points, nothing unfinished
    running = by_county(_trend(6, running=True), value="cases", value_title="C",
                        grain="month").to_dict()
    marks = [layer["mark"] for layer in _layers(running)]
    dashed = [m for m in marks if isinstance(m, dict) and m.get("strokeDash")]
    hollow = [m for m in marks if isinstance(m, dict) and m.get("filled") is False]
    text = [layer for layer in _layers(running) if layer["mark"]["type"] == "text"]
    assert dashed and hollow and text
    assert text[0]["encoding"]["text"] == {"value": "to date"}
