"""Building blocks every page shares: the demo banner, the period and county filters,
the figure cards and the chart panel (chart, caption, the data as a table, a CSV of
exactly that table). Data-derived text is always shown as plain text, never Markdown."""

from __future__ import annotations

from datetime import date

import altair as alt
import polars as pl
import streamlit as st

from auth import sessions
from auth.current import session_id
from auth.gate import PREVIEW_KEY
from auth.policy import PREVIEW_AS_MONITOR, ROLE_LABELS, Principal
from core.periods import (
    key_words,
    parse_period,
    period_bounds,
    quarter_code,
    quarter_words,
    quarters_until,
)
from core.scope import Filters, Scope
from figures.export import to_csv
from metrics import format as fmt
from queries.release import OTHER, other_counties, published_quarters, published_years
from startup.demo_accounts import listed
from ui import trail
from ui.data import county_names
from warehouse import runtime as warehouse_runtime
from warehouse.reference import PROGRAMME_COUNTIES


def demo_banner(demo: bool) -> None:
    if demo:
        st.warning(
            "**Synthetic demo data.** Every case, person and figure here is generated; "
            "none of it describes a real child or a real case.",
            icon=":material/science:",
        )


def sidebar_filters(scope: Scope, names: dict[str, str], today: date,
                    *, default_quarters: int = 4) -> Filters:
    """Quarter range and county choice, offered only within the scope; as of ``today``."""
    quarters = quarters_until(today)
    st.sidebar.subheader("Filters")
    first, last = st.sidebar.select_slider(
        "Quarters",
        options=quarters,
        value=(quarters[max(0, len(quarters) - default_quarters)], quarters[-1]),
        format_func=quarter_words,
        key="filter_quarters",
        help="The period the figures cover. A quarter still under way ends today.",
    )
    start, end = period_bounds(first, last, today)
    offered = list(scope.counties) if scope.counties is not None else sorted(
        names, key=lambda c: names[c])
    chosen = st.sidebar.multiselect(
        "Counties",
        options=offered,
        format_func=lambda c: names.get(c, c),
        key="filter_counties",
        placeholder="All counties you may see",
        help="Leave empty for every county your account covers.",
    )
    return Filters(start=start, end=end, counties=tuple(chosen) if chosen else None,
                   as_of=today)


def filters_for(scope: Scope, names: dict[str, str], today: date) -> Filters:
    """The sidebar a reader gets: free choices, or the release's fixed groupings for a
    summaries-only reader."""
    if scope.aggregate_only:
        return release_filters(names, today)
    return sidebar_filters(scope, names, today)


def release_filters(names: dict[str, str], today: date) -> Filters:
    """A completed quarter or year and a fixed county group: what a summary publishes."""
    periods = [str(y) for y in reversed(published_years(today))]
    periods = [quarter_code(q) for q in reversed(published_quarters(today))] + periods
    st.sidebar.subheader("Filters")
    period = st.sidebar.selectbox(
        "Period", periods, format_func=key_words, key="release_period",
        help="Summaries cover whole quarters and years once they are over.")
    groups = {None: f"All {len(names)} counties", **{c: names[c] for c in PROGRAMME_COUNTIES},
              OTHER: "Other counties, together"}
    group = st.sidebar.selectbox("Counties", list(groups), format_func=groups.get,
                                 key="release_group")
    start, end = parse_period(period)
    counties = (None if group is None else other_counties(list(names)) if group == OTHER
                else (group,))
    return Filters(start=start, end=end, counties=counties, as_of=today)


def quarter_or_year(names: dict[str, str], today: date) -> Filters:
    """One quarter or one calendar year (the running one ends today) and all counties or one
    programme county: what the indicators page reports on."""
    quarters = [quarter_code(q) for q in reversed(quarters_until(today))]
    years = sorted({k[:4] for k in quarters}, reverse=True)
    st.sidebar.subheader("Filters")
    running = parse_period(quarters[0])[1] >= today
    period = st.sidebar.selectbox(
        "Period", quarters + years, key="indicator_period", index=1 if running else 0,
        format_func=lambda k: key_words(k) + (" (to date)" if parse_period(k)[1] >= today
                                              else ""),
        help="A quarter or a calendar year; one still under way ends today.")
    groups = {None: f"All {len(names)} counties", **{c: names[c] for c in PROGRAMME_COUNTIES}}
    group = st.sidebar.selectbox("Counties", list(groups), format_func=groups.get,
                                 key="indicator_group",
                                 help="Targets are set for the programme and each of its "
                                      "counties.")
    start, end = parse_period(period)
    return Filters(start=start, end=min(end, today), counties=None if group is None
                   else (group,), as_of=today)


def chart_panel(chart: alt.TopLevelMixin, table: pl.DataFrame, caption: str,
                file_stem: str, *, width: str = "stretch") -> None:
    """The chart, the sentence saying what it counts, and its data with a CSV download.

    ``table`` is what the reader sees under the chart: labelled columns, formatted
    for reading; the CSV holds exactly those rows and columns. ``width="content"`` for
    faceted and concatenated charts, whose panels have their own widths.
    """
    st.altair_chart(chart, theme=None, width=width)
    st.caption(caption)
    with st.expander("The data behind this chart"):
        data_table(table, file_stem)


def data_table(table: pl.DataFrame, file_stem: str) -> None:
    """A reader's table and a CSV download of exactly that table. Whole numbers are shown
    with thousands separators."""
    whole = {c: st.column_config.NumberColumn(format="localized")
             for c, kind in table.schema.items() if kind.is_integer()}
    st.dataframe(table.to_arrow(), hide_index=True, width="stretch", column_config=whole)
    download("Download as CSV", to_csv(table), file_stem, "csv", "text/csv")


def download(label: str, data, stem: str, extension: str, mime: str,
             icon: str = ":material/download:") -> None:
    """Every download button: its file named for this session (download_name: the guard
    hands it to no one else) and the download on the audit trail."""
    if st.download_button(label, data=data, file_name=download_name(stem, extension),
                          mime=mime, icon=icon, key=f"{extension}_{stem}"):
        trail.downloaded(warehouse_runtime.current().url, f"{stem}.{extension}")


def download_name(stem: str, extension: str) -> str:
    """The name every download must carry: ``stem-<tag>.extension``, the tag a keyed value
    of this browser's session. It makes the file's /media address unguessable, and the
    server hands the file only to the browser whose session the tag names
    (startup/guard.py). Every ``st.download_button`` takes its file_name from here."""
    tag = sessions.download_tag(session_id() or "", warehouse_runtime.current().settings.cookie_key)
    return f"{stem}-{tag}.{extension}"


def figure_cards(cards: list[dict], columns: int = 3) -> None:
    """Bordered figure cards: label, value, change (no arrow and grey when zero, or when the
    card says ``arrow: False``: a share of target is not a change), help."""
    slots = st.columns(columns)
    for i, card in enumerate(cards):
        with slots[i % columns]:
            delta = card.get("delta")
            st.metric(
                card["label"],
                card["value"],
                delta=delta,
                delta_color="off",
                delta_arrow="off" if delta in (None, "0") or not card.get("arrow", True)
                else "auto",
                delta_description=card.get("delta_description") if delta else None,
                help=card["help"],
                border=True,
            )


def sign_in_page_extras(runtime) -> None:
    """Under the sign-in form: what Haki is, and the demo accounts (demo warehouse only)."""
    st.caption(
        "Haki shows how child sex-trafficking cases in Kilifi, Kwale and Mombasa move through "
        "the justice system. Access is by named account; what you see depends on your role."
    )
    accounts = listed(runtime.engine)
    if accounts:
        names = county_names(runtime.url)
        st.markdown("**Demo accounts** (this demo warehouse only)")
        st.dataframe(
            pl.DataFrame({
                "Username": [a["username"] for a in accounts],
                "Password": [a["password"] for a in accounts],
                "Role": [role_words(a["role"], a["counties"], names) for a in accounts],
            }).to_arrow(),
            hide_index=True,
        )


def role_words(role: str, counties: tuple[str, ...], names: dict[str, str]) -> str:
    """'Court User Committee member (Kilifi)'."""
    words = ROLE_LABELS[role]
    if counties:
        words += " (" + fmt.joined([names.get(c, c) for c in counties]) + ")"
    return words


def preview_toggle(principal: Principal) -> None:
    """A project manager can look at every page as a monitor would, before it is published."""
    if principal.role in PREVIEW_AS_MONITOR:
        st.sidebar.toggle(
            "Preview as a monitor", key=PREVIEW_KEY,
            help="Shows each page with a State Department monitor's choices and withholding.")


def signed_in_as(principal: Principal, url: str) -> None:
    """Who is signed in, as plain text: a display name is never read as Markdown."""
    st.sidebar.text(principal.display_name)
    st.sidebar.caption(role_words(principal.role, principal.counties, county_names(url)))
