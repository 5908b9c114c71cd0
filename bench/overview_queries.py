"""Benchmark: the overview page's data (headline + trend) per role, on a demo warehouse.

    python bench/overview_queries.py --cases 100000 [--url postgresql://...] [--repeat 15]

Builds the demo warehouse if the URL has none (SQLite default: bench/results/bench-N.db),
then times each role's reads with no cache, and prints the median and the
interquartile range in milliseconds. Figures, not assertions: the test suite never times.
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
from metrics.overview import trend_grain  # noqa: E402
from queries.overview import headline, reported_trend  # noqa: E402
from startup.firstrun import build_demo  # noqa: E402
from warehouse.engine import get_engine  # noqa: E402
from warehouse.migrate import current_revision  # noqa: E402
from warehouse.schema import cases  # noqa: E402

ROLES = {
    "project_manager": Principal("p", "P", "project_manager"),
    "cuc_member (Kilifi)": Principal("k", "K", "cuc_member", ("003",)),
    "monitor": Principal("m", "M", "monitor"),
}
UNTIL = date(2026, 11, 15)


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
    filters = Filters(start, end)
    with engine.connect() as conn:
        n_cases = conn.execute(select(func.count()).select_from(cases)).scalar_one()
    print(f"{engine.dialect.name}, {n_cases:,} cases, period {start}..{end}, "
          f"{args.repeat} runs each")
    print(f"{'role':<22}{'median ms':>10}{'IQR ms':>16}")
    for name, principal in ROLES.items():
        scope = scope_for(principal)
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            headline(engine, scope, filters)
            reported_trend(engine, scope, filters, trend_grain(scope))
            times.append((time.perf_counter() - t) * 1000)
        q1, _, q3 = statistics.quantiles(times, n=4)
        print(f"{name:<22}{statistics.median(times):>10.1f}{q1:>8.1f}–{q3:<7.1f}")


if __name__ == "__main__":
    main()
