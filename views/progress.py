import auth

ACCESS = auth.require("progress")

import streamlit as st

from charts.bars import hbars
from charts.progress import adjournment_rate, pending_by_month
from charts.theme import BLUE, GREEN, PURPLE, VERMILLION
from core import clock
from metrics import format as fmt
from metrics import progress as shape
from metrics.overview import period_words
from metrics.words import days
from queries import captions
from queries.progress import RULES
from ui import components, data

names = data.county_names(ACCESS.url)
today = clock.today()
filters = components.sidebar_filters(ACCESS.scope, names, today)
figures = data.tables("progress", ACCESS.url, ACCESS.scope, filters)
threshold = ACCESS.scope.suppress_below
as_of = fmt.day(filters.as_of)


def caption(what: str) -> str:
    return captions.caption(what, ACCESS.scope, filters, names)


st.title("Case progress")
st.caption(f"The court view · {captions.where(ACCESS.scope, filters, names)} · open cases "
           f"as of {as_of}")

st.subheader("Pending caseload", help=RULES["pending_by_month"])
left, right = st.columns([3, 2], gap="large")
with left:
    pending = figures["pending_by_month"]
    if not pending["pending"].fill_null(1).sum():
        st.info("No case was open at any month's end of this period in the counties chosen.")
    else:
        components.chart_panel(
            pending_by_month(shape.pending_months(pending, filters.end)),
            shape.pending_months_table(pending, filters.end, threshold),
            caption("Cases open at each month's end, whenever reported"), "pending-by-month")
with right:
    ages = figures["pending_age"]
    st.markdown(f"**Open on {as_of}, by time since report**",
                help=RULES["pending_age"].format(as_of=as_of))
    if not ages["cases"].fill_null(1).sum():
        st.info(f"No case was open on {as_of} in the counties chosen.")
    else:
        components.chart_panel(
            hbars(shape.bucket_bars(ages), value="cases", value_title="Cases open",
                  colour=PURPLE),
            shape.bucket_table(ages, threshold),
            caption(f"Cases open on {as_of} by time since report"), "pending-age")

st.subheader("Hearings and adjournments", help=RULES["adjournments"])
adjournments = figures["adjournments"]
if not adjournments["hearings"].fill_null(1).sum():
    st.info("No hearings were held in this period for the counties chosen.")
else:
    left, right = st.columns([3, 2], gap="large")
    with left:
        components.chart_panel(
            adjournment_rate(shape.adjournment_months(adjournments, filters.end)),
            shape.adjournments_table(adjournments, "month",
                                     lambda k: period_words(k, filters.end), threshold),
            caption("Share of each month's hearings that were adjourned"), "adjournments")
    with right:
        reasons = figures["adjournment_reasons"]
        st.markdown("**Why hearings were adjourned**", help=RULES["adjournment_reasons"])
        components.chart_panel(
            hbars(shape.reason_bars(reasons), value="hearings",
                  value_title="Adjourned hearings", colour=VERMILLION),
            shape.reasons_table(reasons, threshold),
            caption("Adjourned hearings by reason"), "adjournment-reasons")
    stations = figures["adjournments_by_station"]
    st.markdown("**Adjournment rate by court station**", help=RULES["adjournments_by_station"])
    components.chart_panel(
        hbars(shape.station_bars(stations), value="adjournment_rate",
              value_title="Hearings adjourned", value_format=".0%", colour=VERMILLION),
        shape.adjournments_table(stations, "court_station", None, threshold),
        caption("Share of hearings adjourned, by court station"), "adjournments-by-station")

st.subheader("Survivor participation", help=RULES["testimony"])
testimony = figures["testimony"]
if testimony["share"].is_null().all():
    st.info("No survivor testified at a hearing in this period for the counties chosen.")
else:
    components.chart_panel(
        hbars(shape.testimony_bars(testimony), value="share",
              value_title="Share of hearings with testimony", value_format=".0%",
              colour=GREEN),
        shape.testimony_table(testimony, threshold),
        caption("Protective measures used at hearings where the survivor testified"),
        "testimony-measures")

st.subheader("Services", help=RULES["services"])
left, right = st.columns([3, 2], gap="large")
with left:
    services = figures["services"]
    if not services["survivors"].fill_null(1).sum():
        st.info("No survivor received a service in this period in the counties chosen.")
    else:
        components.chart_panel(
            hbars(shape.service_bars(services), value="survivors", value_title="Survivors",
                  colour=BLUE),
            shape.services_table(services, threshold),
            caption("Survivors who received each service"), "services")
with right:
    first = figures["time_to_service"].row(0, named=True)
    components.figure_cards([
        {"label": "Median time from report to first service",
         "value": days(first["median_days"]) if first["median_days"] is not None else "–",
         "help": RULES["time_to_service"].format(as_of=as_of)},
        {"label": "Reported in the period and served",
         "value": fmt.count(first["cases"], first["cases_withheld"], threshold),
         "help": RULES["time_to_service"].format(as_of=as_of)},
    ], columns=1)
