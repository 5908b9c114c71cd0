"""Does the naive baseline give Haki's answers? Cell by cell, over the tables it computes.

Haki's tables are cut down to the baseline's keys and values (``haki_view``); a row one
side lacks counts as zero (Haki lists zero rows the baseline's groupbys leave out). For a
summaries-only reader a cell Haki withholds (null, with a reason) is skipped and counted:
the baseline has no disclosure control; every other cell must be equal.
"""

from __future__ import annotations

import math

import polars as pl

from bench.naive import COUNTED

# page -> table -> (key columns, value columns)
SPEC: dict[str, dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "overview": {"headline": (("measure",), ("current", "previous"))},
    "funnel": {"funnel": (("stage",), ("cases",))},
    "progress": {"pending_by_month": (("month",), ("pending",)),
                 "services": (("service",), ("survivors",))},
    "map": {"counties": (("county_code",), ("cases_reported", "charged", "convicted",
                                            "people_trained", "outreach_participants",
                                            "hotline_reports"))},
    "training": {"trained": (("county_code", "cadre", "delivery", "participant_sex"),
                             ("people",))},
    "outreach": {"sessions": (("county_code", "audience"),
                              ("sessions", "participants_female", "participants_male")),
                 "hotline": (("county_code", "category", "channel", "referred_to"),
                             ("reports", "linked_to_case"))},
    "indicators": {"indicators": (("indicator_code", "county_scope"), ("actual",))},
    "summary": {"headline": (("indicator_code",), ("actual",)),
                "funnel": (("measure",), ("value",)), "training": (("measure",), ("value",)),
                "outreach": (("measure",), ("value",))},
}
SUMMARY_VALUE = {"funnel": "cases", "training": "people", "outreach": "value"}
KNOWN = (*COUNTED, "CONVICTION_RATE")


def haki_view(page: str, tables: dict[str, pl.DataFrame]) -> dict[str, list[tuple]]:
    """Haki's answers as rows of (keys..., values...), the baseline's columns only."""
    out = {}
    for name, (keys, values) in SPEC[page].items():
        df = tables[name]
        if page == "summary" and name in SUMMARY_VALUE:
            df = df.rename({SUMMARY_VALUE[name]: "value"})
        if "indicator_code" in keys:
            df = df.filter(pl.col("indicator_code").is_in(KNOWN))
        out[name] = df.select(*keys, *values).rows()
    return out


def naive_view(page: str, tables: dict[str, pl.DataFrame]) -> dict[str, list[tuple]]:
    return {name: tables[name].select(*keys, *values).rows()
            for name, (keys, values) in SPEC[page].items()}


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def compare(page: str, haki: dict[str, list], naive: dict[str, list],
            withheld_allowed: bool) -> dict:
    """{"equal", "cells" compared, "withheld" skipped, "mismatches" (the first few)}."""
    cells = withheld = 0
    mismatches: list[str] = []
    for name, (keys, values) in SPEC[page].items():
        k = len(keys)
        mine = {tuple(r[:k]): r[k:] for r in haki[name]}
        theirs = {tuple(r[:k]): r[k:] for r in naive[name]}
        zero = (0,) * len(values)
        for key in sorted(mine.keys() | theirs.keys(), key=str):
            h, n = mine.get(key, zero), theirs.get(key, zero)
            for column, a, b in zip(values, h, n, strict=True):
                if a is None and withheld_allowed and b is not None:
                    withheld += 1
                    continue
                cells += 1
                if not _same(a, b):
                    mismatches.append(f"{name}{list(key)}.{column}: haki {a}, naive {b}")
    return {"equal": not mismatches, "cells": cells, "withheld": withheld,
            "mismatches": mismatches[:5]}
