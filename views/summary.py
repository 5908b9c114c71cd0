import auth

ACCESS = auth.require("summary")

from dataclasses import replace
from datetime import UTC, datetime

import streamlit as st

from charts.indicators import against_targets, figures_bars
from core import clock
from core.periods import key_words
from figures.export import Release
from figures.report import LABELS, TITLES, VALUE_COLUMN, place_words, summary_pdf
from metrics import format as fmt
from metrics.disclosure import rule_words
from metrics.indicators import indicators_table, period_code, status_rule_words
from metrics.summary import headline_cards, section_rows
from ui import components, data
from warehouse import runtime as warehouse_runtime

names = data.county_names(ACCESS.url)
today = clock.today()
filters = components.release_filters(names, today)
figures = data.tables("summary", ACCESS.url, ACCESS.scope, filters)
threshold = ACCESS.scope.suppress_below
loaded = data.last_load_at(ACCESS.url, data.data_version(ACCESS.url))
code = period_code(filters.start, filters.end)
period = key_words(code)
release = Release(
    page="summary", username=ACCESS.principal.username, role=ACCESS.principal.role,
    start=filters.start, end=filters.end, as_of=filters.as_of, counties=filters.counties,
    generated_at=datetime.now(UTC).replace(microsecond=0), data_last_loaded=loaded,
    demo=warehouse_runtime.current().demo, suppressed_below=threshold or None, tables=figures)
place = place_words(release, names)

st.title("Quarterly summary")
if ACCESS.preview:
    st.info("Preview: this is the page as a State Department monitor sees it.",
            icon=":material/visibility:")
st.caption(f"{period} ({fmt.period(filters.start, filters.end)}) · {place} · data last loaded "
           f"{fmt.day(loaded)}")
if threshold:
    st.caption(rule_words(threshold))

st.subheader("Indicators against their targets")
st.caption(status_rule_words())
headline = figures["headline"]
components.figure_cards(headline_cards(headline, threshold), columns=4)
if headline["pct_of_target"].is_not_null().any():
    components.chart_panel(
        against_targets(headline), indicators_table(headline, threshold),
        f"Each indicator's value as a share of its target, {period}, {place}.",
        "summary-against-targets")
else:
    components.data_table(indicators_table(headline, threshold), "summary-indicators")

for name, (title, note) in TITLES.items():
    st.subheader(title)
    bars, table = section_rows(figures[name], VALUE_COLUMN[name], LABELS, threshold)
    components.chart_panel(figures_bars(bars, VALUE_COLUMN[name], "Count"), table,
                           f"{note} {period}, {place}.", f"summary-{name}")



def pdf() -> bytes:
    """Made when the button is clicked (drawing the charts takes seconds), stamped then."""
    return summary_pdf(replace(release, generated_at=datetime.now(UTC).replace(microsecond=0)),
                       names)


components.download("Download this summary as PDF", pdf, f"haki-summary-{code}", "pdf",
                    "application/pdf", icon=":material/picture_as_pdf:")
