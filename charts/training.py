"""Charts of the training page: people by cadre, coverage heatmap, learning, quarterly targets."""

from __future__ import annotations

import altair as alt
import polars as pl

from charts.frames import pandas
from charts.theme import (
    BLUE,
    GREY,
    NO_DATA_FILL,
    ORANGE,
    SEQUENTIAL,
    VERMILLION,
    configured,
)
from metrics.each import each, with_columns
from metrics.overview import period_words
from metrics.tables import words
from warehouse.vocab import COURSES, DELIVERIES, label

SEX_COLOURS = {"Female": ORANGE, "Male": BLUE, "Unknown": GREY}


def _labelled(df: pl.DataFrame, *columns: str) -> pl.DataFrame:
    return with_columns(df, [words(c).alias(f"{c}_words") for c in columns])


def people_by_cadre(trained: pl.DataFrame, names: dict[str, str]) -> alt.FacetChart:
    """Different people per county and cadre (one row each, the same rows in every panel),
    stacked by sex; one panel per delivery."""
    df = _labelled(trained, "cadre", "delivery", "participant_sex").with_columns(
        pl.col("county_code").replace_strict(names, default=None).alias("county"))
    df = df.with_columns(pl.format("{} · {}", "county", "cadre_words").alias("who"))
    rows = df.sort("county", "cadre_words")["who"].unique(maintain_order=True).to_list()
    deliveries = [label(d) for d in DELIVERIES if d in set(df["delivery"])]
    sexes = [s for s in SEX_COLOURS if s in set(df["participant_sex_words"])]
    bars = alt.Chart(pandas(df)).mark_bar().encode(
        y=alt.Y("who:N", title=None, sort=rows),
        x=alt.X("people:Q", title="People", stack="zero",
                axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("participant_sex_words:N", title="Sex",
                        scale=alt.Scale(domain=sexes, range=[SEX_COLOURS[s] for s in sexes])),
        order=alt.Order("participant_sex_words:N"),
        tooltip=[alt.Tooltip("county:N", title="County"),
                 alt.Tooltip("delivery_words:N", title="Delivery"),
                 alt.Tooltip("cadre_words:N", title="Cadre"),
                 alt.Tooltip("participant_sex_words:N", title="Sex"),
                 alt.Tooltip("people:Q", title="People", format=",d")],
    ).properties(width=210, height=alt.Step(17))
    return configured(bars.facet(column=alt.Column(
        "delivery_words:N", title=None, sort=deliveries, header=alt.Header(labelFontSize=14))))


def coverage_heatmap(coverage: pl.DataFrame, names: dict[str, str]) -> alt.LayerChart:
    """Cadre x county, coloured by coverage; cells over 100% outlined and marked, never
    capped; cells without a headcount grey."""
    df = _labelled(coverage, "cadre").with_columns(
        pl.col("county_code").replace_strict(names, default=None).alias("county"),
        pl.when(pl.col("coverage").is_null()).then(pl.lit("no headcount"))
        .when(pl.col("coverage") > 1)
        .then(pl.format("{}% ▲", (pl.col("coverage") * 100).round(0).cast(pl.Int64)))
        .otherwise(pl.format("{}%", (pl.col("coverage") * 100).round(0).cast(pl.Int64)))
        .alias("label"),
        (pl.col("coverage") > 1).fill_null(False).alias("over"),
        (pl.col("coverage") * 100).alias("percent"),
    )
    top = max(100.0, df["percent"].max() or 0)
    base = alt.Chart(pandas(df)).encode(
        x=alt.X("county:N", title=None, axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("cadre_words:N", title=None),
        tooltip=[alt.Tooltip("county:N", title="County"),
                 alt.Tooltip("cadre_words:N", title="Cadre"),
                 alt.Tooltip("trained:Q", title="People trained", format=",d"),
                 alt.Tooltip("headcount:Q", title="Headcount", format=",d"),
                 alt.Tooltip("headcount_as_of:T", title="Headcount as of", format="%d %b %Y"),
                 alt.Tooltip("label:N", title="Coverage")])
    cells = base.mark_rect(strokeWidth=3).encode(
        color=alt.condition("datum.percent == null", alt.value(NO_DATA_FILL), alt.Color(
            "percent:Q", title="Coverage (%)",
            scale=alt.Scale(domain=[0, top], range=list(SEQUENTIAL)))),
        stroke=alt.condition("datum.over", alt.value(VERMILLION), alt.value("#ffffff")))
    text = base.mark_text(fontSize=13).encode(
        text="label:N",
        color=alt.condition("datum.percent > 45", alt.value("#ffffff"), alt.value("#1F2933")))
    return configured(alt.layer(cells, text).properties(width="container",
                                                        height=alt.Step(34)))


def learning(table: pl.DataFrame) -> alt.VConcatChart:
    """Mean pre- and post-test scores per cadre (rows with both scores), one panel per
    course: a hollow point before, a filled one after, joined by a line."""
    df = _labelled(table.filter(pl.col("with_both_scores") > 0), "course", "cadre")
    x = alt.X("mean_pre:Q", title="Mean score (0–100)", scale=alt.Scale(domain=[0, 100]))
    tip = [alt.Tooltip("course_words:N", title="Course"),
           alt.Tooltip("cadre_words:N", title="Cadre"),
           alt.Tooltip("mean_pre:Q", title="Mean pre-test", format=".1f"),
           alt.Tooltip("mean_post:Q", title="Mean post-test", format=".1f"),
           alt.Tooltip("with_both_scores:Q", title="Rows with both scores", format=",d")]
    panels = []
    for course in [c for c in COURSES if c in set(df["course"])]:
        part = df.filter(pl.col("course") == course)
        base = alt.Chart(pandas(part)).encode(y=alt.Y("cadre_words:N", title=None),
                                                  tooltip=tip)
        panels.append(alt.layer(
            base.mark_rule(color=GREY, strokeWidth=2).encode(x=x, x2="mean_post:Q"),
            base.mark_point(size=80, filled=False, color=GREY, strokeWidth=2).encode(x=x),
            base.mark_point(size=90, filled=True, color=BLUE, opacity=1).encode(
                x="mean_post:Q"),
        ).properties(width=480, height=alt.Step(20),
                     title=alt.Title(label(course), anchor="start", fontSize=14)))
    return configured(alt.vconcat(*panels, spacing=14))


def against_targets(quarterly: pl.DataFrame, end) -> alt.HConcatChart:
    """Left: people each quarter (bars) and the quarter's target (black tick). Right: the
    running totals of both (target dashed). A quarter running past ``end`` says 'to date'."""
    df = with_columns(quarterly, each(lambda k: period_words(k, end), "quarter",
                                      skip_nulls=True).alias("words"))
    order = df["words"].to_list()
    x = alt.X("words:N", title=None, sort=order, axis=alt.Axis(labelAngle=0))
    data = alt.Chart(pandas(df))
    bars = data.mark_bar(color=BLUE, size=28).encode(
        x=x, y=alt.Y("people:Q", title="People trained in the quarter (tick: target)",
                     axis=alt.Axis(format=",d", tickMinStep=1)),
        tooltip=[alt.Tooltip("words:N", title="Quarter"),
                 alt.Tooltip("people:Q", title="People", format=",d"),
                 alt.Tooltip("target:Q", title="Target", format=",.0f")])
    ticks = data.mark_tick(color="#000000", thickness=3, size=40).encode(x=x, y="target:Q")
    long = df.unpivot(index="words", on=["cumulative_people", "cumulative_target"],
                      variable_name="series", value_name="value").with_columns(
        pl.col("series").replace_strict({"cumulative_people": "People trained",
                                         "cumulative_target": "Target"}))
    lines = alt.Chart(pandas(long)).mark_line(point=True, strokeWidth=2.5).encode(
        x=x, y=alt.Y("value:Q", title="Running total since the period began",
                     axis=alt.Axis(format=",d")),
        color=alt.Color("series:N", title=None, legend=alt.Legend(orient="right"),
                        scale=alt.Scale(domain=["People trained", "Target"],
                                        range=[BLUE, "#000000"])),
        strokeDash=alt.StrokeDash("series:N", legend=None, scale=alt.Scale(
            domain=["People trained", "Target"], range=[[1, 0], [6, 4]])),
        tooltip=[alt.Tooltip("words:N", title="Quarter"), alt.Tooltip("series:N", title=" "),
                 alt.Tooltip("value:Q", title="Running total", format=",.0f")])
    left = alt.layer(bars, ticks).properties(width=380, height=260)
    return configured(alt.hconcat(left, lines.properties(width=380, height=260)))
