"""Server start (``streamlit run server.py``): the warehouse is made ready before the first
browser connects, and the terminal says what happened and where to go."""

from __future__ import annotations

import sys
from contextlib import asynccontextmanager

import anyio
from streamlit import config as st_config

from startup.firstrun import ensure_ready
from warehouse.config import ConfigError, load_settings
from warehouse.runtime import WarehouseNotReady


def say(text: str) -> None:
    print(f"Haki: {text}", file=sys.stderr, flush=True)


def prepare() -> None:
    """First start builds the demo warehouse; a problem is printed, and the pages show it too."""
    try:
        demo = ensure_ready(load_settings(), say=say)
    except (ConfigError, WarehouseNotReady) as exc:
        say(f"not ready: {exc}")
        return
    port = st_config.get_option("server.port")
    kind = "demo warehouse (synthetic data)" if demo else "warehouse"
    say(f"{kind} ready; open http://localhost:{port}")


@asynccontextmanager
async def lifespan(_app):
    await anyio.to_thread.run_sync(prepare)
    yield
