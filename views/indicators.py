import auth

ACCESS = auth.require("indicators")

import polars as pl
import streamlit as st

from charts import indicators as charts
from core import clock
from core.periods import key_words
from figures.export import to_csv
from metrics import format as fmt
from metrics import indicators as shape
from queries import captions
from ui import components, data
from warehouse.indicators import BY_CODE, CODES

names = data.county_names(ACCESS.url)
today = clock.today()
filters = components.quarter_or_year(names, today)
figures = data.tables("indicators", ACCESS.url, ACCESS.scope, filters)
table, trend = figures["indicators"], figures["trend"]
scope_code = "ALL" if filters.counties is None else filters.counties[0]
period = table["period"][0]
where = captions.place(ACCESS.scope, filters, names)

st.title("Indicators")
st.caption(f"{key_words(period)} ({fmt.period(filters.start, filters.end)}), {where} · "
           "targets from the performance-monitoring plan · data last loaded "
           f"{fmt.day(data.last_load_at(ACCESS.url, data.data_version(ACCESS.url)))}")
st.caption(shape.status_rule_words())

main = table.filter(pl.col("county_scope") == scope_code)
readable = shape.indicators_table(main)
sparks = shape.trend_lists(trend)
st.dataframe(
    readable.with_columns(pl.Series("Trend", [sparks.get(c, []) for c in readable["Code"]],
                                    dtype=pl.List(pl.Float64))).to_arrow(),
    hide_index=True, width="stretch", height=35 * (readable.height + 1) + 3,
    # Sized for the longest code and value ("CHARGE_TO_JUDGMENT_DAYS", "37.5 days": fitted to
    # the first rows, they were cut off), with the trend still inside the page's width.
    column_config={"Code": st.column_config.TextColumn(width=200),
                   "Indicator": st.column_config.TextColumn(width=352),
                   "Actual": st.column_config.TextColumn(width=80),
                   "Trend": st.column_config.LineChartColumn(
                       "Trend", width=93,
                       help="The indicator in each of the last eight quarters, oldest first, "
                            "leaving out quarters without a value: the drill-down below has "
                            "every quarter and its number.")})
components.download("Download as CSV", to_csv(readable), "indicators", "csv", "text/csv")

st.subheader("Against the targets")
with_target = main.filter(pl.col("pct_of_target").is_not_null())
if with_target.is_empty():
    st.info("No indicator has both a target and a value for this period and these counties.")
else:
    components.chart_panel(
        charts.against_targets(main), shape.indicators_table(with_target),
        f"Each indicator's value as a share of its target, {key_words(period)}, {where}. "
        "Indicators without a target for this period are in the table above.",
        "indicators-against-targets")

st.subheader("Drill-down")
code = st.selectbox("Indicator", CODES, key="indicator_drill",
                    format_func=lambda c: f"{c} · {BY_CODE[c].name}")
for heading, words in shape.definition_words(code):
    st.text(f"{heading}: {words}")
rows = trend.filter(pl.col("indicator_code") == code)
components.chart_panel(
    charts.trend(rows, code, filters.end), shape.indicators_table(rows).insert_column(
        0, pl.Series("Quarter", [key_words(k) for k in rows["period"]], dtype=pl.String)),
    f"{BY_CODE[code].name} in each quarter (line) and its target (grey), {where}.",
    f"indicator-trend-{code}")
if scope_code == "ALL":
    st.markdown("**By county**")
    components.data_table(shape.county_rows(table, code, names), f"indicator-counties-{code}")
parts = data.part("indicators", ACCESS.url, ACCESS.scope, filters, code)
for dimension in BY_CODE[code].disaggregations[1:]:
    bars, readable_split = shape.breakdown_rows(parts, code, dimension)
    st.markdown(f"**By {shape.word(dimension).lower()}**")
    if bars.is_empty():
        st.info("Nothing to break down in this period.")
        continue
    components.chart_panel(
        charts.figures_bars(bars.with_columns(pl.col("actual").fill_null(0)), "actual",
                            BY_CODE[code].unit.capitalize(), BY_CODE[code].kind),
        readable_split, f"{BY_CODE[code].name} by {shape.word(dimension).lower()}, "
        f"{key_words(period)}, {where}.", f"indicator-{code}-{dimension}")
