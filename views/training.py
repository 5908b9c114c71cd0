import auth

ACCESS = auth.require("training")

import streamlit as st

from charts import training as charts
from core import clock
from metrics import format as fmt
from metrics import training as shape
from queries import captions
from ui import components, data

names = data.county_names(ACCESS.url)
filters = components.sidebar_filters(ACCESS.scope, names, clock.today())
figures = data.tables("training", ACCESS.url, ACCESS.scope, filters)
extra = data.tables("training", ACCESS.url, ACCESS.scope, filters)
threshold = ACCESS.scope.suppress_below


def caption(what: str) -> str:
    return captions.caption(what, ACCESS.scope, filters, names)


st.title("Training coverage")
st.caption(f"{captions.where(ACCESS.scope, filters, names)} · data last loaded "
           f"{fmt.day(data.last_load_at(ACCESS.url, data.data_version(ACCESS.url)))} · "
           "people are different participants: someone at three sessions counts once")

st.subheader("People trained, mentored and given technical assistance")
trained = figures["trained"]
if trained.is_empty():
    st.info("No one took part in a training, mentorship or technical assistance session in "
            "this period in the counties chosen.")
else:
    components.chart_panel(
        charts.people_by_cadre(trained, names), shape.trained_table(trained, names, threshold),
        caption("Different people with at least one session of each kind, by county, cadre "
                "and sex"), "people-trained", width="content")

st.subheader("Coverage of the workforce")
coverage = figures["coverage"]
if coverage.is_empty():
    st.info("There is no training and no workforce headcount for the counties chosen.")
else:
    over = shape.over_headcount(coverage)
    if over.height:
        st.warning(f"{over.height} of {coverage.height} cadre and county pairs have more people "
                   "trained than their headcount (marked ▲ and outlined). They are shown as "
                   "they are: the headcount may be out of date, or trained people may have "
                   "left.", icon=":material/flag:")
    components.chart_panel(
        charts.coverage_heatmap(coverage, names),
        shape.coverage_table(coverage, names, threshold),
        caption(f"People who took a training session (not mentorship or technical assistance) "
                f"from the start of the data to {fmt.day(filters.end)}, divided by the "
                "cadre's latest headcount on or before that day (its date is in the table)")
        + " Grey: no headcount.", "training-coverage")

st.subheader("Learning: pre- and post-test scores")
learning = figures["learning"]
if learning.is_empty():
    st.info("No training session was held in this period in the counties chosen.")
else:
    components.chart_panel(
        charts.learning(learning), shape.learning_table(learning, threshold),
        caption("Mean scores over the training rows with both a pre- and a post-test score, "
                "by course and cadre (hollow: before, filled: after); rows with only one "
                "score are counted apart in the table"), "training-learning", width="content")

st.subheader("People trained each quarter, against the targets")
quarterly = extra["quarterly"]
components.chart_panel(
    charts.against_targets(quarterly, filters.end),
    shape.quarterly_table(quarterly, filters.end, threshold),
    caption("Different people with a session of any kind in each quarter, and the quarter's "
            "target where one is set; the running totals add the quarters as the targets "
            "do, so someone trained in two quarters counts in both"), "training-targets",
    width="content")
