"""What happens when the app starts: find the warehouse, or make the demo one.

A SQLite URL whose file does not exist gets a demo warehouse (schema, reference
data, synthetic data, demo accounts), built in a side file and moved into place
only when complete, so an interrupted first run leaves nothing half-made.
A server warehouse (PostgreSQL) is never created here: ``manage.py init`` does that.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from warehouse.config import Settings
from warehouse.engine import forget_engine, get_engine, warehouse_exists
from warehouse.meta import is_demo
from warehouse.migrate import current_revision, head_revision, init_warehouse

DEMO_SEED = 2021


class WarehouseNotReady(RuntimeError):
    """The warehouse exists but cannot be used as it is; the message says what to run."""


def build_demo(url: str, *, cases: int, seed: int, until: date, pseudonym_key: str,
               progress=None) -> dict[str, int]:
    """Initialize the warehouse at ``url`` and fill it with demo data and demo accounts."""
    from auth.demo_accounts import create as create_demo_accounts
    from warehouse.demo import generate

    engine = get_engine(url)
    init_warehouse(engine)
    counts = generate(engine, cases=cases, seed=seed, until=until,
                      pseudonym_key=pseudonym_key, progress=progress)
    with engine.begin() as conn:
        create_demo_accounts(conn)
    return counts


def ensure_ready(settings: Settings, progress=None) -> bool:
    """Make sure the configured warehouse can be used; returns whether it is a demo one."""
    url = settings.warehouse_url
    if not warehouse_exists(url):
        final = Path(url.removeprefix("sqlite:///"))
        partial = final.with_name(final.name + ".partial")
        partial_url = "sqlite:///" + str(partial)
        forget_engine(partial_url)  # a pool left by an interrupted run points at a dead file
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
        demo_settings = settings.require_secrets(demo=True)
        build_demo(partial_url, cases=settings.demo_cases, seed=DEMO_SEED, until=date.today(),
                   pseudonym_key=demo_settings.pseudonym_key, progress=progress)
        forget_engine(partial_url)
        os.replace(partial, final)
        return True
    engine = get_engine(url)
    revision = current_revision(engine)
    if revision is None:
        raise WarehouseNotReady(
            "The warehouse has no Haki schema yet. Run: python manage.py init"
        )
    demo = is_demo(engine)
    if revision != head_revision():
        if not demo:
            raise WarehouseNotReady(
                f"The warehouse schema is at revision {revision}; this version of Haki needs "
                f"{head_revision()}. Back it up, then run: python manage.py init"
            )
        init_warehouse(engine)
    return demo
