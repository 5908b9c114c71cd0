import auth

ACCESS = auth.require("overview")

from datetime import date

import streamlit as st

from charts.trend import monthly_by_county
from metrics import format as fmt
from metrics.overview import complete_months, trend_table, with_change
from queries import captions
from queries.overview import MEASURES
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

st.subheader("Cases reported each month")
trend = complete_months(
    data.reported_by_month(ACCESS.url, ACCESS.scope, filters), filters.start, filters.end
)
if trend.is_empty():
    st.info("No cases were reported in this period for the counties chosen.")
else:
    components.chart_panel(
        monthly_by_county(trend, value="cases", value_title="Cases reported"),
        trend_table(trend),
        captions.caption("Cases reported per month and county, by report date",
                         ACCESS.scope, filters, names),
        "cases-reported-by-month",
    )
