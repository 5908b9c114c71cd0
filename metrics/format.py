"""How numbers, dates and periods read on a page: '1,234', '12 Mar 2025', 'Kilifi and Kwale'."""

from __future__ import annotations

from datetime import date, datetime

from metrics.disclosure import withheld_words


def count(value: int | None, withheld: str | None = None, threshold: int = 0) -> str:
    """'1,234'; the withheld words when ``withheld`` names a reason; '–' for no value."""
    if withheld:
        return withheld_words(withheld, threshold)
    return "–" if value is None else f"{value:,}"


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


def change(current: int | None, previous: int | None) -> str | None:
    """'+12 (+5%)', '-3', '0'; None when either side is missing or withheld."""
    if current is None or previous is None:
        return None
    diff = current - previous
    if diff == 0:
        return "0"
    text = f"{diff:+,}"
    return f"{text} ({diff / previous * 100:+.0f}%)" if previous > 0 else text
