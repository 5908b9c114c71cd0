"""Benchmark: the funnel and case progress pages' data per reader, uncached, on a demo warehouse.

    python bench/funnel_progress_queries.py --cases 20000 [--url postgresql://...] [--repeat 9]
                                            [--tables]

Builds the demo warehouse if the URL has none (SQLite default: bench/results/bench-N.db),
then times ``figures.registry.tables`` (everything a page reads, as ``manage.py export``
does) for each reader over the pages' default period (the last four quarters, as of the
demo's last day), and prints the median and interquartile range of the wall time and of
this process's CPU time, in milliseconds. ``--tables`` adds one line per table for the
project manager. Figures, not assertions: the test suite never times.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select  # noqa: E402

from auth.policy import Principal, scope_for  # noqa: E402
from core.periods import period_bounds, quarters_until  # noqa: E402
from core.scope import Filters  # noqa: E402
from figures import funnel, progress, registry  # noqa: E402
from startup.firstrun import build_demo  # noqa: E402
from warehouse.engine import get_engine  # noqa: E402
from warehouse.migrate import current_revision  # noqa: E402
from warehouse.schema import cases  # noqa: E402

READERS = {
    "project_manager": Principal("p", "P", "project_manager"),
    "cuc_member (Kilifi)": Principal("k", "K", "cuc_member", ("003",)),
}
UNTIL = date(2026, 11, 15)


def _spread(samples: list[float]) -> str:
    q1, _, q3 = statistics.quantiles(samples, n=4)
    return f"{statistics.median(samples):>9.1f} {q1:>7.1f}–{q3:<7.1f}"


def _time(run, repeat: int) -> tuple[list[float], list[float]]:
    wall, cpu = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        run()
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=20000)
    ap.add_argument("--url")
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--tables", action="store_true")
    args = ap.parse_args()
    url = args.url or "sqlite:///" + str(
        Path(__file__).parent / "results" / f"bench-{args.cases}.db")
    engine = get_engine(url)
    if current_revision(engine) is None:
        t = time.perf_counter()
        build_demo(url, cases=args.cases, seed=1, until=UNTIL, pseudonym_key="bench-key-" * 4)
        print(f"built demo warehouse of {args.cases:,} cases in {time.perf_counter() - t:.1f}s")
    qs = quarters_until(UNTIL)
    start, end = period_bounds(qs[-4], qs[-1], UNTIL)
    filters = Filters(start, end, as_of=UNTIL)
    with engine.connect() as conn:
        n_cases = conn.execute(select(func.count()).select_from(cases)).scalar_one()
    print(f"{engine.dialect.name}, {n_cases:,} cases, period {start}..{end} as of {UNTIL}, "
          f"{args.repeat} runs each (ms: median, IQR)")
    print(f"{'page':<10}{'reader':<22}{'wall':>9} {'IQR':<15}{'cpu':>9} {'IQR':<15}")
    for page in ("funnel", "progress"):
        for name, principal in READERS.items():
            scope = scope_for(principal)
            wall, cpu = _time(lambda: registry.tables(page, engine, scope, filters),  # noqa: B023
                              args.repeat)
            print(f"{page:<10}{name:<22}{_spread(wall)}{_spread(cpu)}")
    if args.tables:
        scope = scope_for(READERS["project_manager"])
        print("\nproject manager, one table at a time (wall ms: median, IQR)")
        for module in (funnel, progress):
            for table, build in module.BUILDERS.items():
                wall, _ = _time(lambda b=build: b(engine, scope, filters), args.repeat)
                print(f"  {table:<26}{_spread(wall)}")


if __name__ == "__main__":
    main()
