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


def test_period_keys_and_words():
    from metrics.periods import key_start, key_words, period_keys

    assert period_keys(date(2025, 11, 15), date(2026, 2, 1), "month") == [
        "2025-11", "2025-12", "2026-01", "2026-02"]
    assert period_keys(date(2025, 11, 15), date(2026, 4, 1), "quarter") == [
        "2025-Q4", "2026-Q1", "2026-Q2"]
    assert key_start("2026-Q2") == date(2026, 4, 1)
    assert key_words("2026-Q2") == "Q2 2026"
    assert key_words("2026-03") == "Mar 2026"
