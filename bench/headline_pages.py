"""Benchmark: the overview, outreach, indicators and summary pages' data, uncached, for a
project manager (all counties), a CUC member (Kilifi) and a monitor (the release, completed
periods), on a demo warehouse.

    python bench/headline_pages.py --url sqlite:///path/to/warehouse.db [--repeat 5]
        [--pages overview,outreach,indicators,summary]

Times ``figures.registry.tables(page, engine, scope, filters)``: the year to the as-of date
(2026-11-15) for the manager and the CUC member; 2026-Q3 and 2025 for the monitor (overview
and summary) and 2026-Q3 for the manager's summary. Prints the median and interquartile range
of wall time and of this process's CPU time, in milliseconds. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auth.policy import Principal, scope_for  # noqa: E402
from core.scope import Filters  # noqa: E402
from figures import registry  # noqa: E402
from warehouse.engine import get_engine  # noqa: E402

UNTIL = date(2026, 11, 15)
YEAR = Filters(date(2026, 1, 1), UNTIL, as_of=UNTIL)
Q3 = Filters(date(2026, 7, 1), date(2026, 9, 30), as_of=UNTIL)
Y2025 = Filters(date(2025, 1, 1), date(2025, 12, 31), as_of=UNTIL)
READERS = {"manager": scope_for(Principal("p", "P", "project_manager")),
           "cuc 003": scope_for(Principal("k", "K", "cuc_member", ("003",))),
           "monitor": scope_for(Principal("m", "M", "monitor"))}
PERIODS = {"2026 to date": YEAR, "2026-Q3": Q3, "2025": Y2025}


def runs(page: str) -> list[tuple[str, str]]:
    """(reader, period) pairs timed for ``page``."""
    if page == "summary":
        return [("manager", "2026-Q3"), ("monitor", "2026-Q3"), ("monitor", "2025")]
    out = [("manager", "2026 to date"), ("cuc 003", "2026 to date")]
    return out + ([("monitor", "2026-Q3"), ("monitor", "2025")] if page == "overview" else [])


def _spread(values: list[float]) -> str:
    q1, _, q3 = statistics.quantiles(values, n=4) if len(values) > 1 else values * 3
    return f"{statistics.median(values):9.1f} ({q1:.1f}–{q3:.1f})"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--pages", default="overview,outreach,indicators,summary")
    args = ap.parse_args()
    engine = get_engine(args.url)
    print(f"{'page':<12}{'reader':<10}{'period':<14}{'wall ms':>26}{'cpu ms':>26}")
    for page in args.pages.split(","):
        for reader, period in runs(page):
            wall, cpu = [], []
            for _ in range(args.repeat):
                t, c = time.perf_counter(), time.process_time()
                registry.tables(page, engine, READERS[reader], PERIODS[period])
                wall.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
            print(f"{page:<12}{reader:<10}{period:<14}{_spread(wall):>26}{_spread(cpu):>26}",
                  flush=True)


if __name__ == "__main__":
    main()
