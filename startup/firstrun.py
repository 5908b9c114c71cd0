"""What happens when Haki starts: find the warehouse, or make the demo one.

Only the out-of-the-box start makes a warehouse on its own: the default SQLite URL,
no file there yet, and no secret configured. Then a demo warehouse (schema, reference
data, synthetic data, demo accounts) is built in a side file and moved into place only
when complete, so an interrupted first start leaves nothing half-made. Anything else
that finds no warehouse (a mistyped path, a deployment with keys set, PostgreSQL) is
told that the warehouse does not exist and how to make one: a demo warehouse lists its
accounts and passwords on the sign-in page, so it must never appear by accident.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from core.clock import today
from startup.demo_accounts import create as create_demo_accounts
from warehouse.config import Settings
from warehouse.demo import generate
from warehouse.engine import forget_engine, get_engine, warehouse_exists
from warehouse.migrate import init_warehouse
from warehouse.runtime import WarehouseNotReady, check_schema, missing_warehouse

DEMO_SEED = 2021

__all__ = ["DEMO_SEED", "WarehouseNotReady", "build_demo", "ensure_ready"]


def build_demo(url: str, *, cases: int, seed: int, until: date, pseudonym_key: str,
               progress=None) -> dict[str, int]:
    """Initialize the warehouse at ``url`` and fill it with demo data and demo accounts."""
    engine = get_engine(url)
    init_warehouse(engine)
    counts = generate(engine, cases=cases, seed=seed, until=until,
                      pseudonym_key=pseudonym_key, progress=progress)
    with engine.begin() as conn:
        create_demo_accounts(conn)
    return counts


def may_build_demo(settings: Settings) -> bool:
    return settings.is_default_url and not settings.keys_configured


def ensure_ready(settings: Settings, *, say: Callable[[str], None] = lambda _: None,
                 allow_demo: bool | None = None) -> bool:
    """Make sure the configured warehouse can be used; returns whether it is a demo one.

    ``allow_demo`` overrides the out-of-the-box rule (tests building into a temporary
    folder); ``say`` receives what a person at the terminal should read.
    """
    url = settings.warehouse_url
    if warehouse_exists(url):
        return check_schema(get_engine(url))
    if not (may_build_demo(settings) if allow_demo is None else allow_demo):
        raise missing_warehouse(url)
    final = Path(url.removeprefix("sqlite:///"))
    partial = final.with_name(final.name + ".partial")
    partial_url = "sqlite:///" + str(partial)
    forget_engine(partial_url)  # a pool left by an interrupted run points at a dead file
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    demo_settings = settings.require_secrets(demo=True)
    say(f"No warehouse yet: building a demo warehouse of {settings.demo_cases:,} synthetic "
        f"cases in {final} …")
    started = time.monotonic()
    build_demo(partial_url, cases=settings.demo_cases, seed=DEMO_SEED, until=today(),
               pseudonym_key=demo_settings.pseudonym_key)
    forget_engine(partial_url)
    os.replace(partial, final)
    say(f"… done in {time.monotonic() - started:.0f} s.")
    return True
