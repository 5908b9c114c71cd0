"""Filters in words: the sentence under every chart says what is counted and for whom."""

from __future__ import annotations

from core.scope import Filters, Scope, effective_counties
from metrics import format as fmt
from metrics.disclosure import rule_words

MAX_NAMED = 4  # more counties than this are counted, not listed


def place(scope: Scope, filters: Filters, county_names: dict[str, str]) -> str:
    """'all 47 counties', 'Kilifi and Kwale', '12 counties'."""
    allowed = effective_counties(scope, filters)
    if allowed is None or len(allowed) == len(county_names):
        return f"all {len(county_names)} counties"
    if not allowed:
        return "no county"
    if len(allowed) > MAX_NAMED:
        return f"{len(allowed)} counties"
    return fmt.joined([county_names.get(c, c) for c in allowed])


def where(scope: Scope, filters: Filters, county_names: dict[str, str]) -> str:
    return f"{fmt.period(filters.start, filters.end)}, {place(scope, filters, county_names)}"


def caption(what: str, scope: Scope, filters: Filters, county_names: dict[str, str]) -> str:
    text = f"{what}, {where(scope, filters, county_names)}."
    if scope.aggregate_only:
        text += " " + rule_words(scope.suppress_below)
    return text


def other_counties_note(grouped: bool) -> str:
    if not grouped:
        return ""
    return (" Counties outside Kilifi, Kwale and Mombasa are shown together as 'Other counties';"
            " pick one under Counties to see it alone.")
