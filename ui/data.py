"""Cached reads for pages. Every cache key holds the warehouse URL, the reader's Scope, the
Filters and the data version.

``st.cache_data`` is shared by every user of the server, so a cached function that
left the scope out of its arguments would hand one county's figures to another
county's user. Here the scope is always an argument, no argument is excluded from the
key (no leading underscore), and the data version (``queries.status.data_version``)
changes with every load, so a new upload shows at once.
"""

from __future__ import annotations

from datetime import date, datetime

import polars as pl
import streamlit as st

from core.scope import Filters, Scope
from figures import registry
from queries import status
from ui import trail
from warehouse.engine import get_engine

TTL = 600  # seconds; memory is freed after this even when nothing was loaded


def data_version(url: str) -> int:
    """Read on every run (one indexed max()), never cached: it is what keys the cache."""
    return status.data_version(get_engine(url))


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=500)
def page_tables(page_id: str, url: str, scope: Scope, filters: Filters,
                version: int) -> dict[str, pl.DataFrame]:
    """A page's figures, exactly as ``manage.py export`` writes them (a part table: ``part``)."""
    return registry.page_tables(page_id, get_engine(url), scope, filters)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=500)
def page_part(page_id: str, url: str, scope: Scope, filters: Filters, choice: str,
              version: int) -> dict[str, pl.DataFrame]:
    """The part of a page's part table for the reader's choice, as the export writes it."""
    return registry.part(page_id, get_engine(url), scope, filters, choice)


def tables(page_id: str, url: str, scope: Scope, filters: Filters) -> dict[str, pl.DataFrame]:
    """The page's figures for this reader; the view goes on the audit trail when the page,
    scope or choices changed."""
    trail.viewed(page_id, url, scope, trail.filter_choices(filters))
    return page_tables(page_id, url, scope, filters, data_version(url))


def part(page_id: str, url: str, scope: Scope, filters: Filters, choice: str) -> pl.DataFrame:
    """The page's part table (``figures.registry.PARTS``) for one choice of the reader."""
    return page_part(page_id, url, scope, filters, choice, data_version(url))[
        registry.PARTS[page_id][0]]


@st.cache_data(ttl=TTL, show_spinner=False)
def county_names(url: str) -> dict[str, str]:
    return status.county_names(get_engine(url))


@st.cache_data(ttl=60, show_spinner=False)
def last_load_at(url: str, version: int) -> datetime | None:
    return status.last_load_at(get_engine(url))


@st.cache_data(ttl=TTL, show_spinner=False)
def first_report_on(url: str, version: int) -> date | None:
    return status.first_report_on(get_engine(url))
