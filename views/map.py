import auth

ACCESS = auth.require("map")

import streamlit as st

from charts.map import deck, legend
from core import clock
from metrics import format as fmt
from metrics.map import class_labels, classified
from metrics.tables import COUNT, DECIMAL, PERCENT, TEXT, readable
from queries import captions
from queries.map import MAP_MEASURES
from ui import components, data, maps
from warehouse import runtime
from warehouse.reference import county_rows

TABLE = [("county", "County", TEXT), ("population_2019", "Population (2019 census)", COUNT),
         ("cases_reported", "Cases reported", COUNT),
         ("cases_per_100k", "Cases per 100,000 residents", DECIMAL),
         ("charged", "Cases charged", COUNT), ("convicted", "Convictions", COUNT),
         ("conviction_rate", "Conviction rate (%)", PERCENT),
         ("people_trained", "People trained", COUNT),
         ("outreach_participants", "Outreach participants", COUNT),
         ("hotline_reports", "Hotline and referral-desk reports", COUNT)]
MEASURES = {m.id: m for m in MAP_MEASURES}

names = data.county_names(ACCESS.url)
filters = components.sidebar_filters(ACCESS.scope, names, clock.today())
table = data.tables("map", ACCESS.url, ACCESS.scope, filters)["counties"]
threshold = ACCESS.scope.suppress_below
settings = runtime.current().settings

st.title("County map")
st.caption(f"{captions.where(ACCESS.scope, filters, names)} · data last loaded "
           f"{fmt.day(data.last_load_at(ACCESS.url, data.data_version(ACCESS.url)))}")
chosen = st.selectbox("Measure", list(MEASURES), format_func=lambda m: MEASURES[m].label,
                      key="map_measure", help="The map shows one measure at a time.")
measure = MEASURES[chosen]
shown, breaks = classified(table, measure.id, measure.kind, threshold)
shapes, problem = maps.county_shapes(settings, shown["county_code"].to_list())
if problem:
    maps.boundary_problem(problem)
centres = {r["code"]: (r["latitude"], r["longitude"]) for r in county_rows()}
drawn = ("County boundaries from the configured boundary file." if shapes is not None else
         "Circles at the county centres; a circle's area follows the value.")
caption = (captions.caption(f"{measure.label} per county", ACCESS.scope, filters, names)
           + f" {measure.counts} {drawn} Grey: no data; palest yellow: none (0).")
maps.map_panel(
    deck(shown, len(breaks), measure=measure.label, centres=centres, shapes=shapes,
         provider=settings.map_provider, style=settings.map_style),
    legend(class_labels(breaks, measure.kind), title=measure.label),
    readable(table, TABLE, threshold), caption, f"county-map-{filters.start}-{filters.end}")
