"""The map panel (map, legend, caption, the same values as a table with a CSV download) and
the county shapes it draws, read once per boundary file."""

from __future__ import annotations

import os

import altair as alt
import polars as pl
import pydeck as pdk
import streamlit as st

from ui.components import data_table
from warehouse.boundaries import BoundaryError, shapes_for, source
from warehouse.config import Settings

TTL = 3600  # seconds; a changed boundary file is read again at once (its stamp changes)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=50)
def _shapes(path: str, prop: str, stamp: tuple[int, int],
            needed: tuple[str, ...]) -> dict[str, dict]:
    return shapes_for(path, prop, list(needed))


def county_shapes(settings: Settings, needed: list[str]) -> tuple[dict | None, str | None]:
    """(county code -> geometry, None) when a boundary file is configured and usable;
    (None, what is wrong) when it is not; (None, None) when there is none."""
    found = source(settings.boundary_file, settings.boundary_property)
    if found is None:
        return None, None
    path, prop = found
    try:
        info = os.stat(path)
    except OSError as exc:
        return None, f"{path} cannot be read ({exc.strerror or exc})"
    try:
        return _shapes(str(path), prop, (info.st_mtime_ns, info.st_size), tuple(needed)), None
    except BoundaryError as exc:
        return None, str(exc)


def boundary_problem(problem: str) -> None:
    """Says the boundary file was not used and why; the details come from a file, so they
    are shown as plain text."""
    st.warning("The county boundary file could not be used, so the map shows circles at the "
               "county centres. Ask an administrator to correct the file or the settings "
               "HAKI_BOUNDARY_FILE and HAKI_BOUNDARY_PROPERTY.", icon=":material/map:")
    st.text(problem)


def map_panel(deck: pdk.Deck, legend: alt.Chart, table: pl.DataFrame, caption: str,
              file_stem: str) -> None:
    """The map, its legend, the sentence saying what it shows, and the same values as a
    table (with a CSV of exactly that table)."""
    st.pydeck_chart(deck, height=540, width="stretch")
    st.altair_chart(legend, theme=None, width="stretch")
    st.caption(caption)
    data_table(table, file_stem)
