from datetime import date

import polars as pl
import pytest

from metrics.overview import complete_periods, trend_table, with_change


def _trend(rows):
    return pl.DataFrame(rows, schema={"period": pl.String, "county_code": pl.String,
                                      "county": pl.String, "cases": pl.Int64,
                                      "cases_suppressed": pl.Boolean}, orient="row")


def test_missing_months_are_real_zeros_and_withheld_stays_withheld():
    t = _trend([("2025-01", "003", "Kilifi", 12, False), ("2025-03", "003", "Kilifi", None, True)])
    full = complete_periods(t, date(2025, 1, 1), date(2025, 3, 31), "month")
    assert full["cases"].to_list() == [12, 0, None]
    assert full["cases_suppressed"].to_list() == [False, False, True]


def test_rows_outside_the_grid_are_refused_not_dropped():
    t = _trend([("2024-12", "003", "Kilifi", 12, False)])
    with pytest.raises(ValueError, match="outside"):
        complete_periods(t, date(2025, 1, 1), date(2025, 3, 31), "month")


def test_table_reads_in_words_and_keeps_numbers_when_nothing_is_withheld():
    t = complete_periods(_trend([("2025-Q1", "003", "Kilifi", 40, False)]),
                         date(2025, 1, 1), date(2025, 6, 30), "quarter")
    table = trend_table(t, "quarter")
    assert table.columns == ["Quarter", "County", "Cases reported"]
    assert table.rows() == [("Q1 2025", "Kilifi", 40), ("Q2 2025", "Kilifi", 0)]
    withheld = trend_table(complete_periods(
        _trend([("2025-Q1", "003", "Kilifi", None, True)]), date(2025, 1, 1), date(2025, 3, 31),
        "quarter"), "quarter")
    assert withheld["Cases reported"].to_list() == ["suppressed (1–10)"]


def test_change_is_blank_when_either_period_is_withheld():
    h = pl.DataFrame({"current": [120, None, 15], "previous": [100, 50, None]})
    out = with_change(h)
    assert out["change"].to_list() == [20, None, None]
    assert out["change_pct"].to_list()[0] == pytest.approx(20.0)
