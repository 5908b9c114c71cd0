"""Shaping the training page's figures: coverage against the workforce, the quarterly
series against targets, and the learning shares a reader sees."""

from __future__ import annotations

import polars as pl

from metrics.disclosure import flag_column
from metrics.each import each, with_columns
from metrics.overview import period_words
from metrics.tables import (
    COUNT,
    DATE,
    DECIMAL,
    LABEL,
    PERCENT,
    TEXT,
    readable,
    with_names,
)

OVER = 1.0  # coverage above this is shown as it is, and flagged


def coverage(trained: pl.DataFrame, heads: pl.DataFrame) -> pl.DataFrame:
    """county_code, cadre, trained, headcount, headcount_as_of, coverage (+ withheld
    reasons): every county and cadre with someone trained or a headcount.

    coverage = trained ÷ headcount; empty without a headcount (or with a headcount of 0);
    never capped at 1: more people trained than the headcount is shown and flagged.
    """
    flag = flag_column("trained")
    out = trained.join(heads, on=["county_code", "cadre"], how="full", coalesce=True)
    out = out.with_columns(
        pl.when(pl.col(flag).is_null()).then(pl.col("trained").fill_null(0))
        .otherwise(None).alias("trained"),
    ).with_columns(
        pl.when(pl.col("headcount") > 0).then(pl.col("trained") / pl.col("headcount"))
        .otherwise(None).alias("coverage"),
        pl.col(flag).alias(flag_column("coverage")),
    )
    return out.sort("county_code", "cadre").select(
        "county_code", "cadre", "trained", "headcount", "headcount_as_of", "coverage",
        flag, flag_column("coverage"))


def over_headcount(table: pl.DataFrame) -> pl.DataFrame:
    """The rows whose coverage is above 100%: more people trained than the headcount says
    there are (an old headcount, or people trained who left)."""
    return table.filter(pl.col("coverage") > OVER)


def quarterly(people: pl.DataFrame, targets: pl.DataFrame, quarters: list[str],
              counties: tuple[str, ...] | None) -> pl.DataFrame:
    """quarter, people, target, cumulative_people, cumulative_target (+ withheld reasons).

    people: different people with a session of any delivery in the quarter (within the
    period). target: the quarter's PEOPLE_TRAINED target — the programme-wide one for a
    reader of every county, else the sum of the counties' targets, empty unless each
    county has one. The running totals add the quarters, as targets add up: someone
    trained in two quarters counts in both. A running target stops (empty) from the first
    quarter without a target; a running count stops from the first withheld quarter.
    """
    flag = flag_column("people")
    if counties is None:
        wanted = targets.filter(pl.col("county_scope") == "ALL")
        per_quarter = wanted.group_by("quarter").agg(pl.col("target").sum())
    else:
        per_quarter = (targets.filter(pl.col("county_scope").is_in(list(counties)))
                       .group_by("quarter")
                       .agg(pl.col("target").sum(), pl.col("county_scope").n_unique().alias("n"))
                       .filter(pl.col("n") == len(counties)).drop("n"))
    grid = pl.DataFrame({"quarter": quarters}, schema={"quarter": pl.String})
    out = (grid.join(people, on="quarter", how="left")
           .join(per_quarter, on="quarter", how="left")
           .with_columns(pl.when(pl.col(flag).is_null()).then(pl.col("people").fill_null(0))
                         .alias("people")))
    stopped = pl.col(flag).is_not_null().cum_max()
    out = out.with_columns(
        pl.when(stopped).then(None).otherwise(pl.col("people").cum_sum())
        .alias("cumulative_people"),
        pl.col(flag).forward_fill().alias(flag_column("cumulative_people")),
        pl.when(pl.col("target").is_null().cum_max()).then(None)
        .otherwise(pl.col("target").cum_sum()).alias("cumulative_target"),
    )
    return out.select("quarter", "people", "target", "cumulative_people", "cumulative_target",
                      flag, flag_column("cumulative_people"))


def learning_shares(learning: pl.DataFrame) -> pl.DataFrame:
    """The learning table with the share whose score rose by GAIN points or more (of the
    rows with both scores; empty when there are none)."""
    return learning.with_columns(
        pl.when(pl.col("with_both_scores") > 0)
        .then(pl.col("gained_10") / pl.col("with_both_scores")).otherwise(None)
        .alias("share_gained"))


def trained_table(trained: pl.DataFrame, names: dict[str, str], threshold: int) -> pl.DataFrame:
    return readable(with_names(trained, names), [
        ("county", "County", TEXT), ("cadre", "Cadre", LABEL), ("delivery", "Delivery", LABEL),
        ("participant_sex", "Sex", LABEL), ("people", "People", COUNT)], threshold)


def coverage_table(table: pl.DataFrame, names: dict[str, str], threshold: int) -> pl.DataFrame:
    flagged = with_names(table, names).with_columns(
        pl.when(pl.col("coverage") > OVER).then(pl.lit("yes: more trained than the headcount"))
        .otherwise(pl.lit("")).alias("over"))
    return readable(flagged, [
        ("county", "County", TEXT), ("cadre", "Cadre", LABEL),
        ("trained", "People trained (to date)", COUNT), ("headcount", "Headcount", COUNT),
        ("headcount_as_of", "Headcount as of", DATE), ("coverage", "Coverage (%)", PERCENT),
        ("over", "Over 100%", TEXT)], threshold)


def learning_table(table: pl.DataFrame, threshold: int) -> pl.DataFrame:
    return readable(learning_shares(table), [
        ("course", "Course", LABEL), ("cadre", "Cadre", LABEL),
        ("sessions", "Training rows", COUNT), ("with_both_scores", "With both scores", COUNT),
        ("mean_pre", "Mean pre-test", DECIMAL), ("mean_post", "Mean post-test", DECIMAL),
        ("gained_10", "Gained 10 points or more", COUNT),
        ("share_gained", "Gained 10 or more (%)", PERCENT),
        ("only_one_score", "Only one score", COUNT)], threshold)


def quarterly_table(table: pl.DataFrame, end, threshold: int) -> pl.DataFrame:
    worded = with_columns(table, each(lambda k: period_words(k, end), "quarter",
                                      skip_nulls=True).alias("words"))
    return readable(worded, [
        ("words", "Quarter", TEXT), ("people", "People trained", COUNT),
        ("target", "Target", DECIMAL), ("cumulative_people", "Running total", COUNT),
        ("cumulative_target", "Running target", DECIMAL)], threshold)
