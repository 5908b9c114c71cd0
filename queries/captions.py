"""Filters in words: the sentence under every chart says what is counted and for whom."""

from __future__ import annotations

from metrics import format as fmt
from queries.scope import Filters, Scope, effective_counties


def where(scope: Scope, filters: Filters, county_names: dict[str, str]) -> str:
    allowed = effective_counties(scope, filters)
    if allowed is None:
        place = "all counties"
    else:
        place = fmt.joined([county_names.get(c, c) for c in allowed]) or "no county"
    return f"{fmt.period(filters.start, filters.end)}, {place}"


def caption(what: str, scope: Scope, filters: Filters, county_names: dict[str, str]) -> str:
    text = f"{what}, {where(scope, filters, county_names)}."
    if scope.aggregate_only:
        text += (
            f" Counts from 1 to {scope.suppress_below - 1} are withheld to protect survivors"
            " (shown as 'suppressed')."
        )
    return text


def other_counties_note(grouped: bool) -> str:
    if not grouped:
        return ""
    return (" Counties outside Kilifi, Kwale and Mombasa are shown together as 'Other counties';"
            " pick one under Counties to see it alone.")
