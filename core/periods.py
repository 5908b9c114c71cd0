"""Calendar periods: quarters, months and years, their codes and the words pages use.

One way of writing each: codes as the figures contract stores and exports them
('2026-Q1', '2026-03', '2026'), and words as every page shows them ('Q1 2026',
'Mar 2026'). Nothing else formats a period.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

FIRST_QUARTER = (2021, 1)  # the programme's data starts in 2021

Quarter = tuple[int, int]


def quarter_of(day: date) -> Quarter:
    return day.year, (day.month - 1) // 3 + 1


def quarter_code(q: Quarter) -> str:
    """'2026-Q1': the figures contract's code."""
    return f"{q[0]}-Q{q[1]}"


def quarter_words(q: Quarter) -> str:
    """'Q1 2026': how a page writes a quarter."""
    return f"Q{q[1]} {q[0]}"


def quarter_start(q: Quarter) -> date:
    return date(q[0], 3 * (q[1] - 1) + 1, 1)


def quarter_end(q: Quarter) -> date:
    return quarter_start(next_quarter(q)) - timedelta(days=1)


def next_quarter(q: Quarter) -> Quarter:
    return (q[0] + 1, 1) if q[1] == 4 else (q[0], q[1] + 1)


def previous_quarter(q: Quarter) -> Quarter:
    return (q[0] - 1, 4) if q[1] == 1 else (q[0], q[1] - 1)


def quarters_until(today: date) -> list[Quarter]:
    """Every quarter from the programme's first to the one ``today`` falls in."""
    out, q = [], FIRST_QUARTER
    last = quarter_of(today)
    while q <= last:
        out.append(q)
        q = next_quarter(q)
    return out


def last_complete_quarter(today: date) -> Quarter:
    """The newest quarter that ended before ``today`` (the export's default period)."""
    q = quarter_of(today)
    return q if quarter_end(q) < today else previous_quarter(q)


def period_bounds(first: Quarter, last: Quarter, today: date) -> tuple[date, date]:
    """Start and end dates of a quarter range; a quarter still running ends today."""
    return quarter_start(first), min(quarter_end(last), today)


_PERIOD = re.compile(r"^(\d{4})(?:-?Q([1-4]))?$")


class PeriodError(ValueError):
    """A period could not be read; the message says what is accepted."""


def parse_period(text: str) -> tuple[date, date]:
    """'2025Q3' or '2025-Q3' -> 1 Jul-30 Sep 2025; '2025' -> the calendar year."""
    m = _PERIOD.match(text.strip().upper())
    if not m:
        raise PeriodError(
            f"{text!r} is not a period: write a quarter as 2025Q3 or 2025-Q3, or a year as 2025")
    year = int(m.group(1))
    if m.group(2):
        q = (year, int(m.group(2)))
        return quarter_start(q), quarter_end(q)
    return date(year, 1, 1), date(year, 12, 31)


def period_keys(start: date, end: date, grain: str) -> list[str]:
    """'YYYY-MM' months or 'YYYY-Qn' quarters touching [start, end], in order."""
    if grain == "quarter":
        out, q = [], quarter_of(start)
        while q <= quarter_of(end):
            out.append(quarter_code(q))
            q = next_quarter(q)
        return out
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


def key_end(key: str) -> date:
    """Last day of a 'YYYY-MM' or 'YYYY-Qn' period."""
    year, rest = key.split("-")
    if rest.startswith("Q"):
        return quarter_end((int(year), int(rest[1])))
    first = key_start(key)
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def key_words(key: str) -> str:
    """'2025-03' -> 'Mar 2025'; '2025-Q1' -> 'Q1 2025'; '2025' -> '2025'."""
    if "-" not in key:
        return key
    year, rest = key.split("-")
    if rest.startswith("Q"):
        return quarter_words((int(year), int(rest[1])))
    return f"{key_start(key):%b %Y}"


def split_months(start: date, end: date) -> tuple[list[str], list[tuple[date, date]]]:
    """[start, end] as the 'YYYY-MM' months wholly inside it, and the day ranges left over
    at either end (none, one or two; all of it when no month is whole), in order. A
    summary kept by month answers the whole months; the days left over are read row by row."""
    months = [k for k in period_keys(start, end, "month")
              if key_start(k) >= start and key_end(k) <= end]
    if not months:
        return [], [(start, end)] if start <= end else []
    edges = []
    if start < key_start(months[0]):
        edges.append((start, key_start(months[0]) - timedelta(days=1)))
    if key_end(months[-1]) < end:
        edges.append((key_end(months[-1]) + timedelta(days=1), end))
    return months, edges
