"""Calendar quarters: the period choices the pages offer."""

from __future__ import annotations

from datetime import date, timedelta

FIRST_QUARTER = (2021, 1)  # the programme's data starts in 2021


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_label(q: tuple[int, int]) -> str:
    return f"{q[0]}-Q{q[1]}"


def quarter_start(q: tuple[int, int]) -> date:
    return date(q[0], 3 * (q[1] - 1) + 1, 1)


def quarter_end(q: tuple[int, int]) -> date:
    year, n = q
    nxt = (year + 1, 1) if n == 4 else (year, n + 1)
    return quarter_start(nxt) - timedelta(days=1)


def quarters_until(today: date) -> list[tuple[int, int]]:
    """Every quarter from the programme's first to the one ``today`` falls in."""
    out, q = [], FIRST_QUARTER
    last = quarter_of(today)
    while q <= last:
        out.append(q)
        q = (q[0] + 1, 1) if q[1] == 4 else (q[0], q[1] + 1)
    return out


def period_bounds(first: tuple[int, int], last: tuple[int, int], today: date) -> tuple[date, date]:
    """Start and end dates of a quarter range; a quarter still running ends today."""
    return quarter_start(first), min(quarter_end(last), today)
