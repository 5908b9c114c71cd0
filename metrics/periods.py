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


def period_keys(start: date, end: date, grain: str) -> list[str]:
    """'YYYY-MM' months or 'YYYY-Qn' quarters touching [start, end], in order."""
    if grain == "quarter":
        first, last = quarter_of(start), quarter_of(end)
        return [quarter_label(q) for q in quarters_until(quarter_end(last)) if q >= first]
    out, (y, m) = [], (start.year, start.month)
    while (y, m) <= (end.year, end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def key_start(key: str) -> date:
    """First day of a 'YYYY-MM' or 'YYYY-Qn' period."""
    year, rest = key.split("-")
    if rest.startswith("Q"):
        return quarter_start((int(year), int(rest[1])))
    return date(int(year), int(rest), 1)


def key_words(key: str) -> str:
    """'2025-03' -> 'Mar 2025'; '2025-Q1' -> 'Q1 2025'."""
    year, rest = key.split("-")
    if rest.startswith("Q"):
        return f"{rest} {year}"
    return f"{key_start(key):%b %Y}"
