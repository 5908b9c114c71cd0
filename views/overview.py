import auth

ACCESS = auth.require("overview")

from datetime import date

import streamlit as st

from charts.trend import by_county
from metrics import format as fmt
from metrics.overview import complete_periods, trend_grain, trend_table, with_change
from queries import captions
from queries.overview import MEASURES, groups_other_counties
from ui import components, data

names = data.county_names(ACCESS.url)
filters = components.sidebar_filters(ACCESS.scope, names, date.today())
earlier = filters.previous()

st.title("Overview")
st.markdown(
    f"**{captions.where(ACCESS.scope, filters, names)}** · compared with "
    f"{fmt.period(earlier.start, earlier.end)} · data last loaded "
    f"{fmt.day(data.last_load_at(ACCESS.url))}"
)

headline = with_change(data.headline(ACCESS.url, ACCESS.scope, filters))
components.headline_metrics(
    headline,
    {m.id: m.counts for m in MEASURES},
    fmt.period(earlier.start, earlier.end),
)
if ACCESS.scope.aggregate_only:
    st.caption("Counts from 1 to 10 are withheld to protect survivors and shown as 'suppressed'.")

grain = trend_grain(ACCESS.scope)
st.subheader(f"Cases reported each {grain}")
trend = complete_periods(
    data.reported_trend(ACCESS.url, ACCESS.scope, filters, grain), filters.start, filters.end, grain
)
if trend.is_empty():
    st.info("No cases were reported in this period for the counties chosen.")
else:
    components.chart_panel(
        by_county(trend, value="cases", value_title="Cases reported", grain=grain),
        trend_table(trend, grain),
        captions.caption(f"Cases reported per {grain} and county, by report date",
                         ACCESS.scope, filters, names)
        + captions.other_counties_note(groups_other_counties(ACCESS.scope, filters)),
        f"cases-reported-by-{grain}",
    )
