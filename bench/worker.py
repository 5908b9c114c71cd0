"""One measuring process of the page harness (``python -m bench.worker MODE ...``).

- ``build``: builds a demo warehouse at ``--url``.
- ``haki``: for every scenario (bench.scenarios), Haki's figures uncached
  (``figures.registry.visit``: what a visit with the default choices computes; one
  untimed first call, whose answers are kept for the comparison, then ``--runs`` timed
  ones) and cached (``ui.data.page_tables`` and ``page_part``, the ``st.cache_data``
  functions the pages call: one call fills, then ``--runs`` hits, each with the
  ``ui.data.data_version`` read every rerun pays).
- ``naive``: the baseline (bench.naive) for every scenario, checked against the answers the
  ``haki`` process wrote; ``--runs`` timed runs, the first included, 3 when one run takes
  longer than ``--slow-s``.

Each process measures wall time (perf_counter) and its own CPU time (process_time: on
PostgreSQL the server's work is not in it) and reports its peak RSS (getrusage), so one
size or backend never inflates another's. Results go to ``--json`` as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from bench import compare, naive, quiet  # noqa: F401 - quiet before ui
from bench.scenarios import PSEUDONYM_KEY, SEED, TODAY, scenarios
from figures import registry
from startup.firstrun import build_demo
from ui import data
from warehouse.engine import forget_engine, get_engine
from warehouse.schema import cases

SLOW_RUNS = 3
URL_ENV = "HAKI_BENCH_WAREHOUSE"


def timed(call: Callable[[], object], runs: int) -> dict:
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return {"wall_ms": wall, "cpu_ms": cpu}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cached_visit(url: str, s) -> None:
    """A visit's reads through the page's caches (ui.data), the data version read included."""
    data.page_tables(s.page, url, s.scope, s.filters, data.data_version(url))
    choice = registry.default_choice(s.page)
    if choice is not None:
        data.page_part(s.page, url, s.scope, s.filters, choice, data.data_version(url))


def measure_haki(url: str, runs: int, pages: set[str] | None) -> dict:
    engine = get_engine(url)
    out = []
    for s in scenarios():
        if pages and s.page not in pages:
            continue
        t = time.perf_counter()
        tables = registry.visit(s.page, engine, s.scope, s.filters)
        first_ms = (time.perf_counter() - t) * 1000
        uncached = timed(lambda s=s: registry.visit(s.page, engine, s.scope, s.filters), runs)
        data.page_tables.clear()
        data.page_part.clear()
        t = time.perf_counter()
        cached_visit(url, s)
        fill_ms = (time.perf_counter() - t) * 1000
        cached = timed(lambda s=s: cached_visit(url, s), runs)
        out.append({"label": s.label, "page": s.page, "reader": s.reader, "choice": s.choice,
                    "period": [str(s.filters.start), str(s.filters.end)],
                    "uncached": uncached | {"first_ms": first_ms},
                    "cached": cached | {"fill_ms": fill_ms},
                    "answers": compare.haki_view(s.page, tables)})
    return {"scenarios": out, "peak_rss_mb": peak_rss_mb()}


def measure_naive(url: str, runs: int, slow_s: float, haki: dict) -> dict:
    engine = get_engine(url)
    answers = {r["label"]: r["answers"] for r in haki["scenarios"]}
    out = []
    for s in scenarios():
        if s.label not in answers:
            continue
        compute = naive.PAGES[s.page]
        t, c = time.perf_counter(), time.process_time()
        got = compute(engine, s)
        first = {"wall_ms": [(time.perf_counter() - t) * 1000],
                 "cpu_ms": [(time.process_time() - c) * 1000]}
        more = runs if first["wall_ms"][0] < slow_s * 1000 else min(runs, SLOW_RUNS)
        rest = timed(lambda s=s, compute=compute: compute(engine, s), more - 1)
        check = compare.compare(s.page, answers[s.label], compare.naive_view(s.page, got),
                                withheld_allowed=s.scope.aggregate_only)
        out.append({"label": s.label, "wall_ms": first["wall_ms"] + rest["wall_ms"],
                    "cpu_ms": first["cpu_ms"] + rest["cpu_ms"], "same_answers": check})
    return {"scenarios": out, "peak_rss_mb": peak_rss_mb()}


def case_count(url: str) -> int:
    with get_engine(url).connect() as conn:
        return int(conn.execute(select(func.count()).select_from(cases)).scalar_one())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.worker")
    ap.add_argument("mode", choices=("build", "haki", "naive"))
    ap.add_argument("--url", help=f"the warehouse (default: ${URL_ENV}, which keeps a password "
                                  "off the command line)")
    ap.add_argument("--cases", type=int)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--slow-s", type=float, default=10.0)
    ap.add_argument("--pages", help="comma-separated page ids (default: every page)")
    ap.add_argument("--haki", help="the haki process's JSON (naive mode)")
    ap.add_argument("--json", help="where to write the results")
    args = ap.parse_args(argv)
    args.url = args.url or os.environ[URL_ENV]
    if args.mode == "build":
        build_demo(args.url, cases=args.cases, seed=SEED, until=TODAY,
                   pseudonym_key=PSEUDONYM_KEY)
        forget_engine(args.url)  # SQLite: checkpoints and closes the file before its rename
        return 0
    if args.mode == "haki":
        pages = set(args.pages.split(",")) if args.pages else None
        result = measure_haki(args.url, args.runs, pages) | {"cases": case_count(args.url)}
    else:
        haki = json.loads(Path(args.haki).read_text())
        result = measure_naive(args.url, args.runs, args.slow_s, haki)
    Path(args.json).write_text(json.dumps(result))
    forget_engine(args.url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
