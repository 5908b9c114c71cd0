import auth

ACCESS = auth.require("funnel")

import streamlit as st

from charts.bars import hbars
from charts.funnel import durations as durations_chart
from charts.funnel import nested
from charts.theme import BLUE, GREY, ORANGE, VERMILLION
from core import clock
from metrics import format as fmt
from metrics import funnel as shape
from metrics.words import word
from queries import captions
from queries.funnel import BREAKDOWNS, RULES
from ui import components, data

names = data.county_names(ACCESS.url)
today = clock.today()
filters = components.sidebar_filters(ACCESS.scope, names, today)
figures = data.tables("funnel", ACCESS.url, ACCESS.scope, filters)
threshold = ACCESS.scope.suppress_below
as_of = fmt.day(filters.as_of)
where = captions.where(ACCESS.scope, filters, names)

st.title("Prosecution funnel")
view = st.radio("View", ["Cohort", "Activity"], horizontal=True, key="funnel_view",
                help=RULES["cohort"].format(as_of=as_of) + " " + RULES["activity"])
reported = figures["funnel"]["cases"][0]

if view == "Activity":
    st.caption(f"Activity view · stage events dated {where}, whatever the cases' report dates.")
    activity = figures["activity"]
    if not activity["events"].fill_null(1).sum():
        st.info("No stage events are dated in this period for the counties chosen.")
        st.stop()
    st.subheader("Stage events in the period", help=RULES["activity"])
    components.chart_panel(
        hbars(shape.activity_bars(activity), value="events", value_title="Events",
              colour_by="kind", colours={shape.STEP: BLUE, shape.OUTCOME: ORANGE}),
        shape.activity_table(activity, threshold),
        captions.caption("Stage events dated in the period, by stage (activity view)",
                         ACCESS.scope, filters, names),
        "funnel-activity")
    st.stop()

st.caption(f"Cohort view · the {shape.cases_words(reported)} reported {where}, as they stood "
           f"on {as_of}.")
if reported == 0:
    st.info("No cases were reported in this period for the counties chosen.")
    st.stop()

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader("How far the cases have come", help=RULES["funnel"].format(as_of=as_of))
    components.chart_panel(
        hbars(shape.funnel_bars(figures["funnel"]), value="cases", value_title="Cases",
              note="note", label_room=0.55),
        shape.funnel_table(figures["funnel"], threshold),
        captions.caption(f"Cases reported by the stage they had reached on {as_of} "
                         "(cohort view)", ACCESS.scope, filters, names),
        "funnel-cohort")
with right:
    st.subheader("How they left", help=RULES["exits"].format(as_of=as_of))
    exits = figures["exits"]
    components.chart_panel(
        hbars(shape.exits_bars(exits, reported), value="cases", value_title="Cases",
              colour_by="category", legend=False,
              colours={word(e): c for e, c in zip(exits["exit"], (VERMILLION, ORANGE, GREY,
                                                                   BLUE), strict=True)}),
        shape.exits_table(exits, reported, threshold),
        captions.caption(f"Cases reported by how they had ended on {as_of} (cohort view)",
                         ACCESS.scope, filters, names),
        "funnel-exits")

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader("Time between stages", help=RULES["durations"].format(as_of=as_of))
    components.chart_panel(
        durations_chart(shape.durations_bars(figures["durations"])),
        shape.durations_table(figures["durations"], threshold),
        captions.caption("Days between stages for the cases that reached both: median (dark) "
                         "and 75th percentile (pale) (cohort view)", ACCESS.scope, filters,
                         names),
        "funnel-durations")
with right:
    st.subheader("Still open, and waiting", help=RULES["pending"].format(as_of=as_of))
    components.chart_panel(
        hbars(shape.pending_bars(figures["pending"]), value="cases", value_title="Cases",
              note="note", label_room=0.6),
        shape.pending_table(figures["pending"], threshold),
        captions.caption(f"Cases still open on {as_of} by current stage (cohort view)",
                         ACCESS.scope, filters, names),
        "funnel-pending")

st.subheader("Who the cases are", help=RULES["breakdown"].format(as_of=as_of))
breakdown = figures["breakdown"]
for tab, dimension in zip(st.tabs([word(d) for d in BREAKDOWNS]), BREAKDOWNS, strict=True):
    with tab:
        components.chart_panel(
            nested(shape.breakdown_bars(breakdown, dimension, names),
                   category_title=word(dimension)),
            shape.breakdown_table(breakdown, dimension, names, threshold),
            captions.caption(f"Cases reported, charged and convicted by {as_of}, by "
                             f"{word(dimension).lower()} (cohort view)", ACCESS.scope,
                             filters, names),
            f"funnel-by-{dimension.replace('_', '-')}")
