"""Shaping the summary's figures into what a reader sees: figure cards for the indicators
against their targets, labelled bars and tables for the sections."""

from __future__ import annotations

import polars as pl

from metrics.disclosure import flag_column, withheld_words
from metrics.indicators import STATUS_WORDS, target_words, value_words
from metrics.words import percent
from warehouse.indicators import BY_CODE


def headline_cards(headline: pl.DataFrame, threshold: int) -> list[dict]:
    """One card per indicator: its value, its percentage of target and status as the change
    line, and its definition, target and status as the help text."""
    cards = []
    for row in headline.iter_rows(named=True):
        code, why = row["indicator_code"], row[flag_column("actual")]
        indicator = BY_CODE[code]
        if why:
            against = f"Withheld: {withheld_words(why, threshold)}."
        elif row["status"] is None:
            against = "No target to compare with." if row["target"] is None else ""
        else:
            against = (f"{percent(row['pct_of_target'])} of the target "
                       f"({target_words(code, row['target'])}): "
                       f"{STATUS_WORDS[row['status']].lower()}.")
        cards.append({
            "label": f"{indicator.name} ({code})" if indicator.standard else indicator.name,
            "value": "Withheld" if why else value_words(code, row["actual"]),
            "delta": (f"{percent(row['pct_of_target'])} of target"
                      if row["pct_of_target"] is not None else None),
            "delta_description": STATUS_WORDS.get(row["status"], ""),
            "arrow": False,
            "help": f"{indicator.numerator} {against}",
        })
    return cards


def section_rows(section: pl.DataFrame, value: str, labels: dict[str, str],
                 threshold: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(bars, table): a section's figures as labelled bars (withheld ones without a bar, the
    label saying why) and as a reader's table."""
    flag = flag_column(value)
    words = [withheld_words(why, threshold) if why else f"{n:,}"
             for n, why in section.select(value, flag).iter_rows()]
    names = [labels[m] for m in section["measure"]]
    bars = pl.DataFrame({"category": names, value: section[value], "label": words})
    table = pl.DataFrame({"Figure": names, "Value": words})
    return bars, table
