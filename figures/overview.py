"""The overview's figures (contract: page ``overview``, tables ``headline`` and ``trend``).

Readers who may see counts get them counted for whatever period and counties they chose.
Summaries-only readers get the same tables filled from the protected release
(``queries.release``): a completed quarter or year, a fixed county group.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine

from core.periods import quarter_code
from core.scope import Filters, Scope
from metrics.disclosure import flag_column
from metrics.overview import complete_periods, trend_grain
from queries import release
from queries.measures import MEASURES
from queries.overview import OTHER_COUNTIES, headline_counts, reported_trend
from queries.status import county_names, first_report_on

TABLES = ("headline", "trend")
TREND_YEARS = 2  # a summaries-only trend shows the chosen year and the one before


def comparable(engine: Engine, filters: Filters) -> bool:
    """A period is compared with the same dates one year earlier only when that earlier
    period starts on or after the first report in the warehouse."""
    first = first_report_on(engine)
    return first is not None and filters.year_earlier().start >= first


def _join_previous(current: pl.DataFrame, previous: pl.DataFrame | None) -> pl.DataFrame:
    if previous is None:
        previous = current.with_columns(pl.lit(None, dtype=pl.Int64).alias("current"),
                                        pl.lit(None, dtype=pl.String).alias("current_withheld"))
    previous = previous.rename({"current": "previous",
                                "current_withheld": flag_column("previous")})
    return current.join(previous, on="measure", how="left", maintain_order="left").select(
        "measure", "current", "previous", flag_column("current"), flag_column("previous"))


def headline(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """measure, current, previous (+ their ``_withheld`` reasons)."""
    if scope.aggregate_only:
        return _released(engine, scope, filters)["headline"]
    current = headline_counts(engine, scope, filters)
    previous = (headline_counts(engine, scope, filters.year_earlier())
                if comparable(engine, filters) else None)
    return _join_previous(current, previous)


def trend(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """period, county_code, county, cases (+ cases_withheld): every period of the range."""
    if scope.aggregate_only:
        return _released(engine, scope, filters)["trend"]
    grain = trend_grain(scope)
    return complete_periods(reported_trend(engine, scope, filters, grain),
                            filters.start, filters.end, grain)


def _cells(engine: Engine, scope: Scope, year: int, filters: Filters) -> pl.DataFrame | None:
    """Every overview measure's release table for ``year``; None when none is published."""
    if not any(q[0] == year for q in release.published_quarters(filters.as_of)):
        return None
    return pl.concat([release.release_table(engine, scope, m.id, year, filters.as_of)
                      for m in MEASURES])


def _released(engine: Engine, scope: Scope, filters: Filters) -> dict[str, pl.DataFrame]:
    names = county_names(engine)
    choice = release.choice_of(filters, list(names))
    year = int(choice.period[:4])
    years = {y: _cells(engine, scope, y, filters) for y in range(year - TREND_YEARS + 1, year + 1)}

    def pick(cells: pl.DataFrame, period: str) -> pl.DataFrame:
        rows = cells.filter((pl.col("period") == period) & (pl.col("group") == choice.group))
        return rows.select("measure", pl.col("value").alias("current"),
                           pl.col(flag_column("value")).alias("current_withheld"))

    previous = None
    if comparable(engine, filters) and years.get(year - 1) is not None:
        previous = pick(years[year - 1], str(year - 1) + choice.period[4:])
    head = _join_previous(pick(years[year], choice.period), previous)

    groups = release.GROUPS if choice.group == release.ALL else (choice.group,)
    last = choice.period if "Q" in choice.period else quarter_code((year, 4))
    label = {release.OTHER: OTHER_COUNTIES} | names
    cases = pl.concat([c for c in years.values() if c is not None]).filter(
        (pl.col("measure") == "cases_reported") & pl.col("period").str.contains("Q")
        & (pl.col("period") <= last) & pl.col("group").is_in(list(groups)))
    trend_rows = cases.select(
        "period", pl.col("group").alias("county_code"),
        pl.col("group").replace_strict(label, return_dtype=pl.String).alias("county"),
        pl.col("value").alias("cases"), pl.col(flag_column("value")).alias("cases_withheld"),
    ).sort("period", "county")
    return {"headline": head, "trend": trend_rows}


def tables(engine: Engine, scope: Scope, filters: Filters) -> dict[str, pl.DataFrame]:
    if scope.aggregate_only:
        return _released(engine, scope, filters)
    return {"headline": headline(engine, scope, filters), "trend": trend(engine, scope, filters)}
