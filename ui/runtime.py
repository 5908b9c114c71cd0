"""The runtime for pages: the warehouse made ready once per server, then settings and engine."""

from __future__ import annotations

import streamlit as st

from startup.firstrun import ensure_ready
from warehouse import runtime as warehouse_runtime
from warehouse.config import ConfigError, load_settings
from warehouse.runtime import Runtime, WarehouseNotReady


@st.cache_resource(show_spinner="Preparing the warehouse (a first start builds the demo data)…")
def _prepared(url: str) -> bool:
    # Normally done already by server.py at start-up; this covers `streamlit run app.py`.
    return ensure_ready(load_settings())


def get() -> Runtime:
    """The runtime, or a page that says exactly what to fix and stops."""
    try:
        _prepared(load_settings().warehouse_url)
        return warehouse_runtime.current()
    except (ConfigError, WarehouseNotReady) as exc:
        st.error(str(exc))
        st.stop()


def clear() -> None:
    """Forget the prepared warehouse and runtime (tests that switch warehouses)."""
    _prepared.clear()
    warehouse_runtime.forget()
