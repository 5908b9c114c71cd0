"""Charts of the outreach page: attendance by audience and sub-county, sessions over time,
hotline reports by category, channel and referral, and outreach beside reports per month."""

from __future__ import annotations

import altair as alt
import polars as pl

from charts.frames import pandas
from charts.theme import BLUE, ORANGE, configured, county_scale, themed
from core.periods import key_start
from metrics.each import each, with_columns

SEX = {"participants_female": "Female", "participants_male": "Male"}
SEX_SCALE = alt.Scale(domain=list(SEX.values()), range=[ORANGE, BLUE])


def attendance(df: pl.DataFrame, group: str, title: str) -> alt.Chart:
    """Participants per ``group`` (a column of words), stacked by sex, largest first."""
    long = df.unpivot(index=[group, "sessions"], on=list(SEX), variable_name="sex",
                      value_name="participants").with_columns(
        pl.col("sex").replace_strict(SEX))
    order = (df.with_columns((pl.col("participants_female") + pl.col("participants_male"))
                             .alias("t")).sort("t", descending=True)[group].to_list())
    chart = alt.Chart(pandas(long)).mark_bar().encode(
        y=alt.Y(f"{group}:N", title=None, sort=order),
        x=alt.X("participants:Q", title="Participants (attendance)",
                axis=alt.Axis(format=",d")),
        color=alt.Color("sex:N", title="Sex", scale=SEX_SCALE),
        tooltip=[alt.Tooltip(f"{group}:N", title=title),
                 alt.Tooltip("sessions:Q", title="Sessions", format=",d"),
                 alt.Tooltip("sex:N", title="Sex"),
                 alt.Tooltip("participants:Q", title="Participants", format=",d")])
    return configured(chart.properties(width="container", height=alt.Step(24)))


def _monthly(df: pl.DataFrame) -> pl.DataFrame:
    return with_columns(df, each(key_start, "month", dtype=pl.Date, skip_nulls=True)
                        .alias("month_start"))


def sessions_over_time(df: pl.DataFrame) -> alt.Chart:
    """Sessions held each month, one line per county (``county`` names)."""
    data = _monthly(df)
    chart = alt.Chart(pandas(data)).mark_line(point=True, strokeWidth=2).encode(
        x=alt.X("utcyearmonth(month_start):T", title="Month",
                axis=alt.Axis(format="%b %Y", labelAngle=0, grid=False)),
        y=alt.Y("sessions:Q", title="Sessions", axis=alt.Axis(format=",d", tickMinStep=1)),
        color=alt.Color("county:N", title="County", scale=county_scale(
            list(zip(data["county_code"], data["county"], strict=True)))),
        tooltip=[alt.Tooltip("county:N", title="County"),
                 alt.Tooltip("utcyearmonth(month_start):T", title="Month", format="%b %Y"),
                 alt.Tooltip("sessions:Q", title="Sessions", format=",d")])
    return themed(chart, height=260)


def reports_by(df: pl.DataFrame, group: str, title: str) -> alt.Chart:
    """Reports per ``group`` (words), with the part that became a case drawn darker inside."""
    order = df.sort("reports", descending=True)[group].to_list()
    base = alt.Chart(pandas(df)).encode(
        y=alt.Y(f"{group}:N", title=None, sort=order),
        tooltip=[alt.Tooltip(f"{group}:N", title=title),
                 alt.Tooltip("reports:Q", title="Reports", format=",d"),
                 alt.Tooltip("linked_to_case:Q", title="Became a case", format=",d")])
    all_reports = base.mark_bar(color="#9ecae1").encode(
        x=alt.X("reports:Q", title="Reports (dark: became a case)", axis=alt.Axis(format=",d")))
    linked = base.mark_bar(color=BLUE, size=10).encode(x="linked_to_case:Q")
    return configured(alt.layer(all_reports, linked).properties(width="container",
                                                                height=alt.Step(26)))


MEASURE_WORDS = {"outreach_participants": "Outreach participants",
                 "hotline_reports": "Hotline reports", "cases_reported": "Cases reported"}


def side_by_side(monthly: pl.DataFrame) -> alt.VConcatChart:
    """Per month: outreach participants, hotline reports and cases reported, one panel each
    (own scale), one line per county (``county`` names)."""
    data = _monthly(monthly)
    colour = alt.Color("county:N", title="County", scale=county_scale(
        list(zip(data["county_code"], data["county"], strict=True))))
    panels = []
    for column, title in MEASURE_WORDS.items():
        panels.append(alt.Chart(pandas(data)).mark_line(point=True, strokeWidth=2).encode(
            x=alt.X("utcyearmonth(month_start):T", title=None,
                    axis=alt.Axis(format="%b %Y", labelAngle=0, grid=False)),
            y=alt.Y(f"{column}:Q", title=None, axis=alt.Axis(format=",d", tickMinStep=1)),
            color=colour,
            tooltip=[alt.Tooltip("county:N", title="County"),
                     alt.Tooltip("utcyearmonth(month_start):T", title="Month", format="%b %Y"),
                     alt.Tooltip(f"{column}:Q", title=title, format=",d")],
        ).properties(width=800, height=150,
                     title=alt.Title(title, anchor="start", fontSize=14)))
    return configured(alt.vconcat(*panels, spacing=16))
