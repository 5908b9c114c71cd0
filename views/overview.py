import auth

ACCESS = auth.require("overview")

import streamlit as st

from charts.trend import by_county
from core import clock
from metrics import format as fmt
from metrics.disclosure import rule_words
from metrics.overview import for_chart, headline_cards, trend_grain, trend_table
from queries import captions
from queries.measures import MEASURES
from queries.overview import groups_other_counties
from ui import components, data

names = data.county_names(ACCESS.url)
today = clock.today()
filters = components.filters_for(ACCESS.scope, names, today)
earlier = filters.year_earlier()
figures = data.tables("overview", ACCESS.url, ACCESS.scope, filters)
threshold = ACCESS.scope.suppress_below

st.title("Overview")
if ACCESS.preview:
    st.info("Preview: this is the page as a State Department monitor sees it.",
            icon=":material/visibility:")
st.caption(
    f"{captions.where(ACCESS.scope, filters, names)} · each figure is compared with the same "
    f"dates one year earlier ({fmt.period(earlier.start, earlier.end)}) · data last loaded "
    f"{fmt.day(data.last_load_at(ACCESS.url, data.data_version(ACCESS.url)))}"
)
components.figure_cards(headline_cards(
    figures["headline"], {m.id: (m.label, m.counts) for m in MEASURES}, threshold,
    fmt.period(earlier.start, earlier.end)))
if ACCESS.scope.aggregate_only:
    st.caption(rule_words(threshold))

grain = trend_grain(ACCESS.scope)
st.subheader(f"Cases reported each {grain}")
trend = figures["trend"]
if trend.is_empty():
    st.info("No cases were reported in this period for the counties chosen.")
else:
    components.chart_panel(
        by_county(for_chart(trend, filters.end), value="cases", value_title="Cases reported",
                  grain=grain),
        trend_table(trend, grain, filters.end, threshold),
        captions.caption(f"Cases reported per {grain} and county, by report date",
                         ACCESS.scope, filters, names)
        + captions.other_counties_note(groups_other_counties(ACCESS.scope, filters)),
        f"cases-reported-by-{grain}",
    )
