"""Benchmark: the indicators page (a manager), the quarterly summary (a monitor and a
manager) and the summary's PDF, on a demo warehouse.

    python bench/indicators_summary.py --cases 20000 [--url postgresql://...] [--repeat 9]

Builds the demo warehouse if the URL has none (SQLite default: bench/results/bench-N.db),
then times, with no cache: the indicators page's tables (indicators, eight-quarter trend and
drill-downs) for the last completed quarter; the summary's tables (the release: every measure's
protected table for the year); and the PDF drawn from them. Prints the median and interquartile
range of wall time and of this process's CPU time, in milliseconds. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select  # noqa: E402

from auth.policy import Principal, scope_for  # noqa: E402
from core.periods import last_complete_quarter, quarter_end, quarter_start  # noqa: E402
from core.scope import Filters  # noqa: E402
from figures import registry  # noqa: E402
from figures.export import Release  # noqa: E402
from figures.report import summary_pdf  # noqa: E402
from queries.status import county_names  # noqa: E402
from startup.firstrun import build_demo  # noqa: E402
from warehouse.engine import get_engine  # noqa: E402
from warehouse.migrate import current_revision  # noqa: E402
from warehouse.schema import cases  # noqa: E402

UNTIL = date(2026, 11, 15)
MANAGER = scope_for(Principal("p", "P", "project_manager"))
MONITOR = scope_for(Principal("m", "M", "monitor"))


def _spread(values: list[float]) -> str:
    q1, _, q3 = statistics.quantiles(values, n=4)
    return f"{statistics.median(values):>8.1f} ({q1:.1f}–{q3:.1f})"


def _timed(run, repeat: int) -> tuple[str, str]:
    wall, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        run()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return _spread(wall), _spread(cpu)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=20000)
    ap.add_argument("--url")
    ap.add_argument("--repeat", type=int, default=9)
    args = ap.parse_args()
    url = args.url or "sqlite:///" + str(Path(__file__).parent / "results" / f"bench-{args.cases}.db")
    engine = get_engine(url)
    if current_revision(engine) is None:
        t = time.perf_counter()
        build_demo(url, cases=args.cases, seed=1, until=UNTIL, pseudonym_key="bench-key-" * 4)
        print(f"built demo warehouse of {args.cases:,} cases in {time.perf_counter() - t:.1f}s")
    q = last_complete_quarter(UNTIL)
    filters = Filters(quarter_start(q), quarter_end(q), as_of=UNTIL)
    names = county_names(engine)
    with engine.connect() as conn:
        n_cases = conn.execute(select(func.count()).select_from(cases)).scalar_one()
    print(f"{engine.dialect.name}, {n_cases:,} cases, {q[0]}-Q{q[1]}, all counties, "
          f"{args.repeat} runs each; median (IQR) in ms")
    print(f"{'what':<34}{'wall':>24}{'cpu':>24}")
    tables = registry.tables("summary", engine, MONITOR, filters)
    release = Release("summary", "m", "monitor", filters.start, filters.end, UNTIL, None,
                      datetime.now(UTC), None, True, 11, tables)
    summary_pdf(release, names)  # the first drawing loads vl-convert's renderer and fonts
    runs = {
        "indicators (manager)": lambda: registry.tables("indicators", engine, MANAGER, filters),
        "summary tables (monitor)": lambda: registry.tables("summary", engine, MONITOR, filters),
        "summary tables (manager)": lambda: registry.tables("summary", engine, MANAGER, filters),
        "summary PDF (from its tables)": lambda: summary_pdf(release, names),
    }
    for name, run in runs.items():
        wall, cpu = _timed(run, args.repeat)
        print(f"{name:<34}{wall:>24}{cpu:>24}")


if __name__ == "__main__":
    main()
