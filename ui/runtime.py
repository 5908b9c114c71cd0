"""The process-wide runtime: settings, the engine, the demo flag. Built once per server."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from sqlalchemy import Engine

from warehouse.config import ConfigError, Settings, load_settings
from warehouse.engine import get_engine
from warehouse.firstrun import WarehouseNotReady, ensure_ready


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    engine: Engine
    demo: bool

    @property
    def url(self) -> str:
        return self.settings.warehouse_url


@st.cache_resource(show_spinner="Preparing the warehouse (first start builds the demo data)…")
def _build() -> Runtime:
    settings = load_settings()
    demo = ensure_ready(settings)
    settings = settings.require_secrets(demo=demo)
    return Runtime(settings=settings, engine=get_engine(settings.warehouse_url), demo=demo)


def get() -> Runtime:
    """The runtime, or a page that says exactly what to fix and stops."""
    try:
        return _build()
    except (ConfigError, WarehouseNotReady) as exc:
        st.error(str(exc))
        st.stop()
