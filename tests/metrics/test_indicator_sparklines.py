"""The indicators table's sparklines: Streamlit's line-chart cell shows the raw list as text
as soon as one point is missing, so quarters without a value are left out of it."""

import math

import polars as pl

from metrics.indicators import trend_lists


def test_quarters_without_a_value_are_left_out_in_order():
    trend = pl.DataFrame({
        "indicator_code": ["A", "A", "A", "A", "B", "B"],
        "period": ["2026-Q2", "2025-Q4", "2026-Q1", "2026-Q3", "2026-Q1", "2026-Q2"],
        "actual": [3.0, None, 2.0, float("nan"), 5.0, 7.0],
    })
    sparks = trend_lists(trend)
    assert sparks == {"A": [2.0, 3.0], "B": [5.0, 7.0]}
    assert not any(math.isnan(v) for values in sparks.values() for v in values)
