"""Building blocks every page shares: the demo banner, the period and county filters,
and the chart panel (chart, caption, the data as a table, a CSV of exactly that table)."""

from __future__ import annotations

from datetime import date

import altair as alt
import polars as pl
import streamlit as st

from metrics import format as fmt
from metrics.periods import period_bounds, quarter_label, quarters_until
from queries.scope import Filters, Scope
from ui.data import county_names


def demo_banner(demo: bool) -> None:
    if demo:
        st.warning(
            "**Synthetic demo data.** Every case, person and figure here is generated; "
            "none of it describes a real child or a real case.",
            icon=":material/science:",
        )


def sidebar_filters(scope: Scope, county_names: dict[str, str], today: date,
                    *, default_quarters: int = 4) -> Filters:
    """Quarter range and county choice, offered only within the scope."""
    quarters = quarters_until(today)
    labels = [quarter_label(q) for q in quarters]
    st.sidebar.subheader("Filters")
    first, last = st.sidebar.select_slider(
        "Quarters",
        options=labels,
        value=(labels[max(0, len(labels) - default_quarters)], labels[-1]),
        key="filter_quarters",
        help="The period the figures cover. A quarter still under way ends today.",
    )
    start, end = period_bounds(quarters[labels.index(first)], quarters[labels.index(last)], today)
    offered = list(scope.counties) if scope.counties is not None else sorted(
        county_names, key=lambda c: county_names[c]
    )
    chosen = st.sidebar.multiselect(
        "Counties",
        options=offered,
        format_func=lambda c: county_names.get(c, c),
        key="filter_counties",
        placeholder="All counties you may see",
        help="Leave empty for every county your account covers.",
    )
    return Filters(start=start, end=end, counties=tuple(chosen) if chosen else None)


def chart_panel(chart: alt.TopLevelMixin, table: pl.DataFrame, caption: str,
                file_stem: str) -> None:
    """The chart, the sentence saying what it counts, and its data with a CSV download.

    ``table`` is what the reader sees under the chart: labelled columns, formatted
    for reading; the CSV holds exactly those rows and columns.
    """
    st.altair_chart(chart, theme=None, width="stretch")
    st.caption(caption)
    with st.expander("The data behind this chart"):
        st.dataframe(table, hide_index=True, width="stretch")
        st.download_button(
            "Download as CSV",
            data=table.write_csv().encode("utf-8"),
            file_name=f"{file_stem}.csv",
            mime="text/csv",
            icon=":material/download:",
            key=f"csv_{file_stem}",
        )


def headline_metrics(headline: pl.DataFrame, help_texts: dict[str, str],
                     previous_period: str) -> None:
    columns = st.columns(3)
    for i, row in enumerate(headline.iter_rows(named=True)):
        delta = fmt.change(row["current"], row["previous"], row["change_pct"])
        with columns[i % 3]:
            st.metric(
                row["label"],
                fmt.count(row["current"]),
                delta=delta,
                delta_color="off",
                help=f"{help_texts[row['measure']]} Change against {previous_period} "
                     f"({fmt.count(row['previous'])}).",
                border=True,
            )


def sign_in_page_extras(runtime) -> None:
    """Under the sign-in form: what Haki is, and the demo accounts (demo warehouse only)."""
    from auth.demo_accounts import listed

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
            }),
            hide_index=True,
        )


def role_words(role: str, counties: tuple[str, ...], names: dict[str, str]) -> str:
    """'Court User Committee member (Kilifi)'."""
    from auth.policy import ROLE_LABELS

    words = ROLE_LABELS[role]
    if counties:
        words += " (" + fmt.joined([names.get(c, c) for c in counties]) + ")"
    return words


def signed_in_as(principal, url: str) -> None:
    words = role_words(principal.role, principal.counties, county_names(url))
    st.sidebar.markdown(f"**{principal.display_name}**  \n{words}")
