from datetime import date

import polars as pl
import pytest

from charts.theme import PALETTE
from charts.trend import by_county


def _trend(n_periods: int) -> pl.DataFrame:
    rows = []
    for i in range(n_periods):
        start = date(2021 + i // 12, i % 12 + 1, 1)
        rows += [(start, "Kilifi", 30 + i), (start, "Kwale", None)]  # Kwale withheld
    return pl.DataFrame(rows, schema={"period_start": pl.Date, "county": pl.String,
                                      "cases": pl.Int64}, orient="row")


@pytest.mark.parametrize(("grain", "periods", "step"), [("month", 12, 1), ("month", 71, 6),
                                                        ("quarter", 8, 3)])
def test_spec_reads_in_words_in_utc_with_the_shared_palette(grain, periods, step):
    spec = by_county(_trend(periods), value="cases", value_title="Cases reported",
                     grain=grain).to_dict()
    x = spec["encoding"]["x"]
    assert x["title"] == f"{grain.capitalize()} reported"
    assert x["timeUnit"].startswith("utc") and x["scale"]["type"] == "utc"
    assert x["axis"]["tickCount"] == {"interval": "month", "step": step}  # at most ~12 labels
    assert spec["encoding"]["color"]["title"] == "County"
    assert spec["config"]["range"]["category"] == list(PALETTE)
    values = next(iter(spec["datasets"].values()))
    assert {v["county"] for v in values} == {"Kilifi", "Kwale"}
    assert any(v["cases"] is None for v in values)  # withheld stays a gap, never a zero
