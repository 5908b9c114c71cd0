"""Benchmark: an incremental load of new cases, and the refresh of every maintained table.

    python bench/incremental_load.py --url sqlite:///bench/results/bench-1000000.db
                                     [--cases 10000] [--repeat 3] [--way rule]

On a built warehouse (``bench/funnel_progress_queries.py`` builds one), writes
``--cases`` new cases shaped like the latest ones there (each copies the report date,
county, events, hearings and services of a case reported in the last months, under a new
key: new cases land on the days a real monthly load would), then times, in the load's
transaction, ``warehouse.maintained.refresh_cases`` for them (every table registered in
``warehouse.maintained.MAINTAINED``) and ``warehouse.statistics.analyze``. The
transaction is rolled back, so the warehouse is left as it was and the runs are alike (on
PostgreSQL the warehouse is vacuumed at the end: see ``main``).
Prints the median and interquartile range of wall and CPU time (seconds) of each step,
and of wall time less the time spent waiting for a CPU (what a quiet machine would show).
Figures, not assertions: the goal (refresh under 10 s for 10,000 cases) is read here.

``--tables``: also the time of each maintained table's refresh (finding its groups,
recounting them, or refreshing its rows per key), summed over the runs' median.

``--way``: ``rule`` (the default) brings the tables up to date as a real load would
(``warehouse.maintained.rebuilds`` decides); ``refresh`` and ``rebuild`` force one way,
to find where the two cost the same (the rule's threshold).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, select  # noqa: E402

from warehouse import maintained  # noqa: E402
from warehouse.engine import get_engine  # noqa: E402
from warehouse.schema import case_events, cases, hearings, services  # noqa: E402
from warehouse.statistics import analyze, vacuum_after_bulk_load  # noqa: E402

FACTS = (case_events, hearings, services)


def _latest(conn, n: int) -> list[str]:
    """The keys of the ``n`` cases reported last."""
    return list(conn.execute(select(cases.c.case_key)
                             .order_by(cases.c.reported_on.desc(), cases.c.case_key)
                             .limit(n)).scalars())


def _rows(conn, table, keys: list[str]) -> list[dict]:
    out = []
    for lo in range(0, len(keys), maintained.KEYS_PER_STATEMENT):
        chunk = keys[lo:lo + maintained.KEYS_PER_STATEMENT]
        out += [dict(r) for r in conn.execute(
            select(table).where(table.c.case_key.in_(chunk))).mappings()]
    return out


def _copies(conn, keys: list[str], run: int) -> dict:
    """New rows for every table: the given cases under new keys (ids left to the database)."""
    new = {k: hashlib.sha256(f"incremental-{run}-{k}".encode()).hexdigest() for k in keys}
    out = {}
    for table in (cases, *FACTS):
        rows = _rows(conn, table, keys)
        for r in rows:
            r["case_key"] = new[r["case_key"]]
            r.pop("id", None)
            r["batch_id"] = None
        out[table] = rows
    return out


def _runqueue_wait() -> float:
    """Seconds this thread has spent ready to run but waiting for a CPU (Linux schedstat;
    0 elsewhere). On a shared machine it is most of the gap between wall and CPU time:
    wall minus it is what the step would take with a core to itself (plus disk waits)."""
    try:
        return int(Path("/proc/thread-self/schedstat").read_text().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def _timed(step, times: dict, name: str) -> None:
    w, c, q = time.perf_counter(), time.process_time(), _runqueue_wait()
    step()
    times.setdefault(name, ([], [], []))
    times[name][0].append(time.perf_counter() - w)
    times[name][1].append(time.process_time() - c)
    times[name][2].append(time.perf_counter() - w - (_runqueue_wait() - q))


def _spread(samples: list[float]) -> str:
    if len(samples) < 2:
        return f"{samples[0]:8.2f}"
    q1, _, q3 = statistics.quantiles(samples, n=4)
    return f"{statistics.median(samples):8.2f} {q1:6.2f}–{q3:<6.2f}"


def _load(conn, rows: dict, times: dict) -> None:
    def write():
        for table, table_rows in rows.items():
            if table_rows:
                conn.execute(insert(table), table_rows)

    keys = [r["case_key"] for r in rows[cases]]
    _timed(write, times, "write rows")
    _timed(lambda: maintained.refresh_cases(conn, keys), times, "refresh maintained")
    _timed(lambda: analyze(conn), times, "analyze")


def _timing_tables(times: dict) -> None:
    """Each maintained table's refresh steps timed under "  <table> <step>"."""
    def timed(fn, name):
        if fn is None:
            return None

        def run(*args):
            w = time.perf_counter()
            try:
                return fn(*args)
            finally:
                times.setdefault(name, ([], [], []))[0].append(time.perf_counter() - w)
        return run

    maintained.MAINTAINED = [
        dataclasses.replace(m, **{step: timed(getattr(m, step), f"  {m.table.name} {step}")
                                  for step in ("groups", "recount", "refresh_keys")})
        for m in maintained.MAINTAINED]


def _per_run(times: dict, runs: int) -> None:
    """A table step's samples (one per chunk or call) summed into one per run."""
    for name, (wall, _, _) in times.items():
        if name.startswith("  ") and len(wall) != runs:
            per = len(wall) // runs
            times[name] = ([sum(wall[i * per:(i + 1) * per]) for i in range(runs)], [], [])


WAYS = {"rule": maintained.rebuilds,
        "refresh": lambda touched, cases_now, backend: False,
        "rebuild": lambda touched, cases_now, backend: True}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--way", choices=tuple(WAYS), default="rule")
    ap.add_argument("--tables", action="store_true")
    args = ap.parse_args()
    if args.tables:
        _timing_tables(times := {})
    else:
        times = {}
    maintained.rebuilds = WAYS[args.way]
    if args.way == "rebuild":
        maintained.REBUILD_FROM = 0
    engine = get_engine(args.url)
    for run in range(args.repeat):
        with engine.connect() as conn:
            tx = conn.begin()
            try:
                n = conn.execute(select(func.count()).select_from(cases)).scalar_one()
                rows = _copies(conn, _latest(conn, args.cases), run)
                _load(conn, rows, times)
            finally:
                tx.rollback()
    # PostgreSQL keeps what a rolled back load leaves: its ANALYZE's row counts (written in
    # place: a 100k warehouse read as 117k cases after a few runs) and the dead rows, which
    # clear the visibility map the covering indexes are read index-only by. Vacuumed and
    # counted again, the warehouse is planned and read as built for whatever is measured
    # next (SQLite rolls both back).
    vacuum_after_bulk_load(engine)
    sizes = ", ".join(f"{t.name} {len(rs):,}" for t, rs in rows.items())
    print(f"{engine.dialect.name}, {n:,} cases; load: {sizes}; {args.repeat} runs, "
          f"{args.way} (seconds: median, IQR)")
    print(f"{'step':<20}{'wall':>8} {'IQR':<14}{'cpu':>8} {'IQR':<14}"
          f"{'wall - waiting for a CPU':>24} {'IQR':<14}")
    _per_run(times, args.repeat)
    for name, (wall, cpu, own) in times.items():
        if name.startswith("  "):
            print(f"{name:<36}{_spread(wall)}")
        else:
            print(f"{name:<20}{_spread(wall)} {_spread(cpu)} {'':>15}{_spread(own)}")
    print("maintained tables: " + ", ".join(m.table.name for m in maintained.MAINTAINED))


if __name__ == "__main__":
    main()
