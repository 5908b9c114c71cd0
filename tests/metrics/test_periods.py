from datetime import date

from metrics.periods import period_bounds, quarter_label, quarters_until


def test_quarters_run_from_2021_to_the_current_one():
    qs = quarters_until(date(2026, 11, 28))
    assert quarter_label(qs[0]) == "2021-Q1"
    assert quarter_label(qs[-1]) == "2026-Q4"
    assert len(qs) == 24


def test_running_quarter_ends_today():
    assert period_bounds((2026, 3), (2026, 4), date(2026, 11, 28)) == (
        date(2026, 7, 1), date(2026, 11, 28))
    assert period_bounds((2024, 1), (2024, 4), date(2026, 11, 28)) == (
        date(2024, 1, 1), date(2024, 12, 31))
