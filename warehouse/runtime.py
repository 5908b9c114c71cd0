"""The process-wide runtime: settings with usable secrets, the engine, the demo flag.

Built once per process and per configuration (a test that changes the environment gets
a new one), from a warehouse that already exists: making one is ``startup``'s job, and
``manage.py init``'s for a real deployment. Nothing here connects at import time.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import Engine

from warehouse.config import Settings, load_settings
from warehouse.engine import get_engine, warehouse_exists
from warehouse.meta import is_demo
from warehouse.migrate import current_revision, head_revision, init_warehouse


class WarehouseNotReady(RuntimeError):
    """The warehouse is missing or cannot be used as it is; the message says what to run."""


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    engine: Engine
    demo: bool

    @property
    def url(self) -> str:
        return self.settings.warehouse_url


_runtimes: dict[Settings, Runtime] = {}
_lock = threading.Lock()


def check_schema(engine: Engine) -> bool:
    """Refuses a warehouse without Haki's schema or at an older one; returns the demo flag.

    A demo warehouse is upgraded in place (it holds nothing that cannot be made again);
    a real one is left for the operator to back up and upgrade."""
    revision = current_revision(engine)
    if revision is None:
        raise WarehouseNotReady(
            "The warehouse has no Haki schema yet. Run: python manage.py init")
    demo = is_demo(engine)
    if revision != head_revision():
        if not demo:
            raise WarehouseNotReady(
                f"The warehouse schema is at revision {revision}; this version of Haki needs "
                f"{head_revision()}. Back it up, then run: python manage.py init")
        init_warehouse(engine)
    return demo


def missing_warehouse(url: str) -> WarehouseNotReady:
    return WarehouseNotReady(
        f"There is no warehouse at {url}. Check HAKI_WAREHOUSE_URL; to create a warehouse "
        "there run: python manage.py init (then add users with python manage.py users add)."
    )


def current() -> Runtime:
    """The runtime for the configuration in force now (ConfigError, WarehouseNotReady)."""
    raw = load_settings()
    with _lock:
        if raw in _runtimes:
            return _runtimes[raw]
        if not warehouse_exists(raw.warehouse_url):
            raise missing_warehouse(raw.warehouse_url)
        engine = get_engine(raw.warehouse_url)
        demo = check_schema(engine)
        runtime = Runtime(settings=raw.require_secrets(demo=demo), engine=engine, demo=demo)
        _runtimes[raw] = runtime
        return runtime


def forget() -> None:
    """Drop every runtime built so far (tests that point Haki at another warehouse)."""
    with _lock:
        _runtimes.clear()
