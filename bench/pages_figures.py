"""Benchmark: the map, training and outreach pages' figures per role, on a demo warehouse.

    python bench/pages_figures.py --cases 20000 [--url postgresql://...] [--repeat 15]

Builds the demo warehouse if the URL has none (SQLite default: bench/results/bench-N.db),
then times each page's tables (the contract's and the page's own) for each role with no
cache, and prints the median and interquartile range of wall time and of this process's
CPU time, in milliseconds. Figures, not assertions: the test suite never times.
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
from figures import registry  # noqa: E402
from startup.firstrun import build_demo  # noqa: E402
from warehouse.engine import get_engine  # noqa: E402
from warehouse.migrate import current_revision  # noqa: E402
from warehouse.schema import cases  # noqa: E402

ROLES = {
    "project_manager": Principal("p", "P", "project_manager"),
    "cuc_member (Kilifi)": Principal("k", "K", "cuc_member", ("003",)),
}
PAGES = ("map", "training", "outreach")
UNTIL = date(2026, 11, 15)


def _spread(values: list[float]) -> str:
    q1, _, q3 = statistics.quantiles(values, n=4)
    return f"{statistics.median(values):>8.1f} ({q1:.1f}–{q3:.1f})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=20000)
    ap.add_argument("--url")
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    url = args.url or "sqlite:///" + str(Path(__file__).parent / "results" / f"bench-{args.cases}.db")
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
    print(f"{engine.dialect.name}, {n_cases:,} cases, period {start}..{end}, "
          f"{args.repeat} runs each; median (IQR) in ms")
    print(f"{'page':<10}{'role':<22}{'wall':>24}{'cpu':>24}")
    for page in PAGES:
        for name, principal in ROLES.items():
            scope = scope_for(principal)
            wall, cpu = [], []
            for _ in range(args.repeat):
                t, c = time.perf_counter(), time.process_time()
                registry.tables(page, engine, scope, filters)
                wall.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
            print(f"{page:<10}{name:<22}{_spread(wall):>24}{_spread(cpu):>24}")


if __name__ == "__main__":
    main()
