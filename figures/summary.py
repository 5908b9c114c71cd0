"""The monitor's summary (contract: page ``summary``, one table per section): one quarter or
year across the programme, for one published county group, entirely from the release.

Every count is a cell of its measure's protected release table (``queries.release``), for
every reader: a summaries-only reader gets the protected cells, anyone else the same
tables with nothing withheld. A rate is shown only when both its cells are published and
its denominator is at least the threshold; a percentage of target and a status are
withheld with their count, since with the target they would tell it.

Sections: ``headline`` (indicators against their targets), ``funnel`` (the funnel in
brief: stage events dated in the period, an activity view), ``training`` and ``outreach``.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine

from core.scope import Filters, Scope
from figures.indicator_values import MEASURED, MEASURED_SHARES
from metrics.disclosure import flag_column
from metrics.indicators import against_targets, quarters_of, target_for, target_index
from queries import release
from queries.indicators import target_rows
from queries.status import county_names

# Indicators the summary reports against targets: each counted by a release measure, or a
# share of two. Not PS.5.1-28 and PS.5.3-15: their people are also among the people trained
# (published here and on the overview), and the difference of two distinct counts of
# overlapping people is not yet protected (metrics.protection.protect_linked takes disjoint
# parts); nor judgments, which less convictions would tell the acquittals.
HEADLINE = ("CASES_REPORTED", "CASES_CHARGED", "CONVICTIONS", "CONVICTION_RATE",
            "SURVIVORS_SERVED", "PEOPLE_TRAINED", "OUTREACH_PARTICIPANTS", "PS.5.1-29")
SECTIONS = {
    "funnel": ("cases_reported", "investigations_opened", "cases_charged", "convictions",
               "decided"),
    "training": ("people_trained",),
    "outreach": ("outreach_participants", "hotline_reports", "hotline_tip_reports",
                 "hotline_referred"),
}
TABLES = ("headline", *SECTIONS)
ACTUAL = flag_column("actual")


def cells(engine: Engine, scope: Scope, choice: release.Choice, as_of) -> dict:
    """{measure id: (value, reason)} for the choice's period and group, every measure the
    summary shows, each read from its protected release table."""
    wanted = {*(MEASURED[c] for c in HEADLINE if c in MEASURED),
              *(m for c in HEADLINE if c in MEASURED_SHARES for m in MEASURED_SHARES[c]),
              *(m for ms in SECTIONS.values() for m in ms)}
    table = release.release_tables(engine, scope, sorted(wanted), int(choice.period[:4]),
                                   as_of).filter((pl.col("period") == choice.period)
                                                 & (pl.col("group") == choice.group))
    return {m: (v, why) for m, v, why in table.select("measure", "value",
                                                       flag_column("value")).iter_rows()}


def rate(numerator: tuple, denominator: tuple, threshold: int) -> tuple:
    """(share, reason): the share of two published cells; withheld (with a cell's reason)
    when either cell is, or when the denominator is under the threshold; none over 0."""
    (n, n_why), (d, d_why) = numerator, denominator
    if n_why or d_why:
        return None, d_why or n_why
    if not d:
        return None, None
    if d < threshold:  # cannot happen with protected cells (1..threshold-1 are withheld)
        raise AssertionError("a published denominator under the threshold")
    return n / d, None


def headline(engine: Engine, scope: Scope, choice: release.Choice, got: dict) -> pl.DataFrame:
    """indicator_code, actual, target, pct_of_target, status (+ their withheld reasons)."""
    scope_code = release.ALL if choice.group == release.ALL else choice.group
    targets = target_index(target_rows(engine, HEADLINE,
                                       [choice.period, *quarters_of(choice.period)], [scope_code]))
    rows = []
    for code in HEADLINE:
        if code in MEASURED_SHARES:
            num, den = MEASURED_SHARES[code]
            actual, why = rate(got[num], got[den], scope.suppress_below)
        else:
            value, why = got[MEASURED[code]]
            actual = None if value is None else float(value)
        target = None if choice.group == release.OTHER else target_for(
            targets, code, choice.period, scope_code)
        rows.append((code, actual, target, why))
    df = pl.DataFrame(rows, schema={"indicator_code": pl.String, "actual": pl.Float64,
                                    "target": pl.Float64, ACTUAL: pl.String}, orient="row")
    return against_targets(df).select(
        "indicator_code", "actual", "target", "pct_of_target", "status", ACTUAL,
        pl.col(ACTUAL).alias(flag_column("pct_of_target")),
        pl.col(ACTUAL).alias(flag_column("status")))


def section(got: dict, measures: tuple[str, ...], value: str) -> pl.DataFrame:
    """measure, ``value`` (+ its withheld reason): the section's release cells in order."""
    return pl.DataFrame([(m, *got[m]) for m in measures], orient="row", schema={
        "measure": pl.String, value: pl.Int64, flag_column(value): pl.String})


def tables(engine: Engine, scope: Scope, filters: Filters) -> dict[str, pl.DataFrame]:
    choice = release.choice_of(filters, list(county_names(engine)))
    got = cells(engine, scope, choice, filters.as_of)
    return {"headline": headline(engine, scope, choice, got),
            "funnel": section(got, SECTIONS["funnel"], "cases"),
            "training": section(got, SECTIONS["training"], "people"),
            "outreach": section(got, SECTIONS["outreach"], "value")}
