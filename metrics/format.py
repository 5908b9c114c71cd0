"""How numbers, dates and periods read on a page: '1,234', '12 Mar 2025', 'Kilifi and Kwale'."""

from __future__ import annotations

from datetime import date, datetime

from metrics.disclosure import SUPPRESSED_LABEL


def count(value: int | None) -> str:
    return SUPPRESSED_LABEL if value is None else f"{value:,}"


def day(value: date | datetime | None) -> str:
    if value is None:
        return "never"
    return f"{value.day} {value:%b %Y}"


def period(start: date, end: date) -> str:
    return f"{day(start)} to {day(end)}"


def joined(words: list[str]) -> str:
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def change(current: int | None, previous: int | None, pct: float | None) -> str | None:
    if current is None or previous is None:
        return None
    diff = current - previous
    text = f"{diff:+,}"
    return f"{text} ({pct:+.0f}%)" if pct is not None else text
