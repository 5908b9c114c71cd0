"""Cached reads for pages. Every cache key holds the warehouse URL, the Scope and the Filters.

``st.cache_data`` is shared by every user of the server, so a cached function
that left the scope out of its arguments would hand one county's figures to
another county's user. Here the scope is always an argument.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl
import streamlit as st

from queries import overview, status
from queries.scope import Filters, Scope
from warehouse.engine import get_engine

TTL = 300  # seconds; a new upload shows within five minutes


@st.cache_data(ttl=TTL, show_spinner=False)
def headline(url: str, scope: Scope, filters: Filters) -> pl.DataFrame:
    return overview.headline(get_engine(url), scope, filters)


@st.cache_data(ttl=TTL, show_spinner=False)
def reported_trend(url: str, scope: Scope, filters: Filters, grain: str) -> pl.DataFrame:
    return overview.reported_trend(get_engine(url), scope, filters, grain)


@st.cache_data(ttl=TTL, show_spinner=False)
def county_names(url: str) -> dict[str, str]:
    return status.county_names(get_engine(url))


@st.cache_data(ttl=60, show_spinner=False)
def last_load_at(url: str) -> datetime | None:
    return status.last_load_at(get_engine(url))
