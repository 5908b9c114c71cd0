from datetime import date

import polars as pl
import pytest

from metrics.overview import complete_periods, for_chart, headline_cards, trend_table

WORDS = {"cases_reported": ("Cases reported", "Cases whose report date falls in the period.")}


def _trend(rows):
    return pl.DataFrame(rows, schema={"period": pl.String, "county_code": pl.String,
                                      "county": pl.String, "cases": pl.Int64,
                                      "cases_withheld": pl.String}, orient="row")


def test_missing_months_are_real_zeros_and_withheld_stays_withheld():
    t = _trend([("2025-01", "003", "Kilifi", 12, None),
                ("2025-03", "003", "Kilifi", None, "small")])
    full = complete_periods(t, date(2025, 1, 1), date(2025, 3, 31), "month")
    assert full["cases"].to_list() == [12, 0, None]
    assert full["cases_withheld"].to_list() == [None, None, "small"]


def test_rows_outside_the_grid_are_refused_not_dropped():
    t = _trend([("2024-12", "003", "Kilifi", 12, None)])
    with pytest.raises(ValueError, match="outside"):
        complete_periods(t, date(2025, 1, 1), date(2025, 3, 31), "month")


def test_table_reads_in_words_and_keeps_numbers_when_nothing_is_withheld():
    t = complete_periods(_trend([("2025-Q1", "003", "Kilifi", 40, None)]),
                         date(2025, 1, 1), date(2025, 6, 30), "quarter")
    table = trend_table(t, "quarter", date(2025, 6, 30), 0)
    assert table.columns == ["Quarter", "County", "Cases reported"]
    assert table.rows() == [("Q1 2025", "Kilifi", 40), ("Q2 2025", "Kilifi", 0)]
    withheld = trend_table(complete_periods(
        _trend([("2025-Q1", "003", "Kilifi", None, "small")]), date(2025, 1, 1),
        date(2025, 3, 31), "quarter"), "quarter", date(2025, 3, 31), 11)
    assert withheld["Cases reported"].to_list() == ["withheld (1–10)"]


def test_the_running_period_is_marked_to_date():
    t = complete_periods(_trend([("2026-Q3", "003", "Kilifi", 40, None),
                                 ("2026-Q4", "003", "Kilifi", 9, None)]),
                         date(2026, 7, 1), date(2026, 11, 28), "quarter")
    assert for_chart(t, date(2026, 11, 28))["to_date"].to_list() == [False, True]
    assert trend_table(t, "quarter", date(2026, 11, 28), 0)["Quarter"].to_list() == [
        "Q3 2026", "Q4 2026 (to date)"]
    # A period ending on its last day is complete.
    assert not for_chart(t, date(2026, 12, 31))["to_date"].any()


def _headline(current, previous, now=None, then=None):
    return pl.DataFrame({"measure": ["cases_reported"], "current": [current],
                         "previous": [previous], "current_withheld": [now],
                         "previous_withheld": [then]},
                        schema_overrides={"current": pl.Int64, "previous": pl.Int64,
                                          "current_withheld": pl.String,
                                          "previous_withheld": pl.String})


@pytest.mark.parametrize(("current", "previous", "now", "then", "value", "delta", "says"), [
    (120, 100, None, None, "120", "+20 (+20%)", "one year earlier (E): 100."),
    (100, 100, None, None, "100", "0", "one year earlier (E): 100."),
    (15, None, None, None, "15", None, "No comparison"),
    (None, 40, "small", None, "Withheld", None, "This figure is withheld (1–10)."),
    (40, None, None, "protects", "40", None, "withheld (protects a small count)."),
])
def test_cards(current, previous, now, then, value, delta, says):
    [card] = headline_cards(_headline(current, previous, now, then), WORDS, 11, "E")
    assert (card["value"], card["delta"]) == (value, delta)
    assert says in card["help"]
