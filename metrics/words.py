"""Words for the codes the funnel and progress figures add to the warehouse's own, and how
shares and days read on a page ('86%', '0.4%', '44 days', '431.5 days')."""

from __future__ import annotations

import math

from warehouse import vocab

# Codes of the figures contract that are not warehouse codes (or read better otherwise).
_WORDS = {
    "still_open": "Still open",
    "under_6_months": "Under 6 months",
    "6_to_12_months": "6–12 months",
    "1_to_3_years": "1–3 years",
    "over_3_years": "Over 3 years",
    "report_to_charge": "Report to charge",
    "charge_to_judgment": "Charge to judgment",
    "report_to_judgment": "Report to judgment",
    "any": "Any protective measure",
    "county": "County",
    "offence": "Offence",
    "victim_age_band": "Victim's age",
    "victim_sex": "Victim's sex",
    "referral_source": "Referred by",
}


def word(code: str | None) -> str:
    """The words a page shows for a figure's code or a warehouse code."""
    return _WORDS[code] if code in _WORDS else vocab.label(code)


def percent(share: float | None) -> str:
    """'86%'; below 1% and above 99% one decimal ('0.4%', '99.6%'), so a small share
    never reads as none nor a large one as all;
    '–' when there is no share (its denominator was 0)."""
    if share is None:
        return "–"
    if 0 < share < 0.01:
        return f"{share * 100:.1f}%"
    if 0.99 < share < 1:  # never '100%' while some are missing
        return f"{math.floor(share * 1000) / 10:.1f}%"
    return f"{share * 100:.0f}%"


def days(value: float | None) -> str:
    """'44 days', '431.5 days', '1 day'; '–' when there is none."""
    if value is None:
        return "–"
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0")
    return f"{text} day" if value == 1 else f"{text} days"
