"""Page views on the audit trail: the page, the reader's scope and their choices, written
when one of them changes (not on every rerun). Never a figure."""

from __future__ import annotations

import json

import streamlit as st

from auth import audit
from auth.current import signed_in_username
from core.scope import Filters, Scope
from warehouse.engine import get_engine

# The view last written for this browser tab, in st.session_state (DEVELOPERS.md).
LAST_VIEW_KEY = "haki_last_view"


def filter_choices(filters: Filters) -> dict:
    return {"period": [filters.start.isoformat(), filters.end.isoformat()],
            "as_of": filters.as_of.isoformat(),
            "counties": list(filters.counties) if filters.counties else "all in scope"}


def viewed(page_id: str, url: str, scope: Scope, choices: dict) -> None:
    detail = {"page": page_id,
              "scope_counties": list(scope.counties) if scope.counties is not None else "all",
              "suppress_below": scope.suppress_below,
              "choices": choices}
    fingerprint = json.dumps(detail, sort_keys=True, default=str)
    if st.session_state.get(LAST_VIEW_KEY) == fingerprint:
        return
    with get_engine(url).begin() as conn:
        audit.record(conn, "page_view", signed_in_username(), **detail)
    st.session_state[LAST_VIEW_KEY] = fingerprint


def downloaded(url: str, what: str) -> None:
    """A CSV the reader downloaded from a page (the view before it says what it held)."""
    with get_engine(url).begin() as conn:
        audit.record(conn, "download", signed_in_username(), file=what)
