"""One page run at a time in the server.

Streamlit runs each session's script in a thread of its own. With polars 2.1 two of them can
stop the whole server: a ``map_elements`` runs its Python function on polars' thread pool,
where it waits for the GIL, while another script's polars call (a ``group_by`` iterated, a
``select``) holds the GIL as it waits for that same pool; neither moves again, nor does any
other thread, and the server ignores SIGTERM. ``bench/load.py`` found it with 20 sessions
(bench/results/load-2026-11-28-protocol-20.md: every session stuck within a minute);
charts/frames.py had removed one such holder (``to_pandas``), not all of them.

Holding this lock for the whole run means polars is only ever used by one script thread, so
no thread can hold the GIL waiting for a pool that a Python function of another thread
occupies. Runs queue instead of interleaving; on this machine the GIL and two cores
serialized most of their work already (the load test's latencies say what it costs). The
lasting fix is to run no Python function on polars' pool (no ``map_elements``), after which
this lock can go.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_ONE_RUN = threading.RLock()


@contextmanager
def one_at_a_time() -> Iterator[None]:
    """Hold the server's run lock for the duration of a page run (released however the run
    ends: finished, stopped, rerun or failed)."""
    with _ONE_RUN:
        yield
