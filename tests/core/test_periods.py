from datetime import date

import pytest

from core.periods import (
    PeriodError,
    key_end,
    key_start,
    key_words,
    last_complete_quarter,
    parse_period,
    period_bounds,
    period_keys,
    quarter_code,
    quarter_end,
    quarter_words,
    quarters_until,
)


def test_quarters_run_from_2021_to_the_current_one():
    qs = quarters_until(date(2026, 11, 28))
    assert quarter_code(qs[0]) == "2021-Q1"
    assert quarter_code(qs[-1]) == "2026-Q4"
    assert len(qs) == 24


def test_one_way_of_writing_a_quarter_on_pages_and_one_in_files():
    assert quarter_words((2026, 1)) == "Q1 2026" == key_words("2026-Q1")
    assert quarter_code((2026, 1)) == "2026-Q1"


def test_running_quarter_ends_today():
    assert period_bounds((2026, 3), (2026, 4), date(2026, 11, 28)) == (
        date(2026, 7, 1), date(2026, 11, 28))
    assert period_bounds((2024, 1), (2024, 4), date(2026, 11, 28)) == (
        date(2024, 1, 1), date(2024, 12, 31))


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 11, 28), (2026, 3)),
    (date(2026, 10, 1), (2026, 3)),
    (date(2026, 9, 30), (2026, 2)),  # Q3 ends today: not complete yet
    (date(2026, 1, 1), (2025, 4)),
])
def test_last_complete_quarter(today, expected):
    assert last_complete_quarter(today) == expected


@pytest.mark.parametrize(("text", "start", "end"), [
    ("2025Q3", date(2025, 7, 1), date(2025, 9, 30)),
    ("2025-Q3", date(2025, 7, 1), date(2025, 9, 30)),
    ("2025-q1", date(2025, 1, 1), date(2025, 3, 31)),
    ("2024", date(2024, 1, 1), date(2024, 12, 31)),
])
def test_parse_period(text, start, end):
    assert parse_period(text) == (start, end)


@pytest.mark.parametrize("text", ["2025Q5", "25Q1", "2025-07", "Q3 2025", ""])
def test_parse_period_refuses_anything_else(text):
    with pytest.raises(PeriodError, match="not a period"):
        parse_period(text)


def test_period_keys_and_words():
    assert period_keys(date(2025, 11, 15), date(2026, 2, 1), "month") == [
        "2025-11", "2025-12", "2026-01", "2026-02"]
    assert period_keys(date(2025, 11, 15), date(2026, 4, 1), "quarter") == [
        "2025-Q4", "2026-Q1", "2026-Q2"]
    assert key_start("2026-Q2") == date(2026, 4, 1)
    assert key_words("2026-03") == "Mar 2026"
    assert key_end("2024-02") == date(2024, 2, 29)
    assert key_end("2025-12") == date(2025, 12, 31)
    assert key_end("2026-Q4") == quarter_end((2026, 4)) == date(2026, 12, 31)
