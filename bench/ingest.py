"""Benchmark: rows per second that ``manage.py ingest`` checks and loads.

    python bench/ingest.py [--rows 100000] [--repeat 5] [--url postgresql://.../postgres]

Each run starts from an empty warehouse (SQLite: a new file under bench/results; with
--url, a new database on that PostgreSQL server), loads a ``cases`` file of --rows
rows, then a ``case_events`` file of --rows rows for those cases, and times each file
end to end: reading, every rule, pseudonymization, writing, and the maintained tables.
A dry run of each file (everything but the writing) is timed too. Prints the median
and the interquartile range of rows per second, and of the CPU seconds this process
spent (the database server's own time is not in it). Figures, not assertions.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from tests.warehouse.ingest_helpers import big_cases, big_events  # noqa: E402
from warehouse.config import normalize_url  # noqa: E402
from warehouse.engine import forget_engine, get_engine  # noqa: E402
from warehouse.ingest import Options, Upload, ingest  # noqa: E402
from warehouse.migrate import init_warehouse  # noqa: E402

SECRET = "bench-pseudonym-key-0123456789abcdef0123456789"


def _fresh(server: str | None, folder: Path) -> tuple[str, callable]:
    if server is None:
        url = "sqlite:///" + str(folder / f"ingest-{uuid.uuid4().hex[:8]}.db")
        return url, lambda: forget_engine(url)
    admin = create_engine(normalize_url(server), isolation_level="AUTOCOMMIT")
    name = "haki_bench_" + uuid.uuid4().hex[:10]
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))  # noqa: S608 - generated name
    url = make_url(normalize_url(server)).set(database=name).render_as_string(
        hide_password=False)

    def drop():
        forget_engine(url)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))  # noqa: S608
        admin.dispose()

    return url, drop


def _timed(engine, name: str, data: bytes, dry_run: bool) -> tuple[float, float]:
    options = Options(uploaded_by="bench", max_bytes=len(data) + 1, dry_run=dry_run)
    wall, cpu = time.perf_counter(), time.process_time()
    report = ingest(engine, [Upload.from_bytes(name, data)], SECRET, options)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert report.exit_status == 0, report.text()
    return wall, cpu


def _summary(label: str, rows: int, samples: list[tuple[float, float]]) -> str:
    rates = [rows / wall for wall, _ in samples]
    cpus = [cpu for _, cpu in samples]
    q1, _, q3 = statistics.quantiles(rates, n=4) if len(rates) > 1 else (rates[0],) * 3
    c1, _, c3 = statistics.quantiles(cpus, n=4) if len(cpus) > 1 else (cpus[0],) * 3
    return (f"{label:<24}{statistics.median(rates):>12,.0f}{q1:>12,.0f}–{q3:<10,.0f}"
            f"{statistics.median(cpus):>8.2f}{c1:>8.2f}–{c3:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--url", help="a PostgreSQL server URL where the user may create databases")
    args = ap.parse_args()
    files = {"cases": big_cases(args.rows), "case_events": big_events(args.rows)}
    results: dict[str, list] = {f"{t} {kind}": [] for t in files for kind in ("check", "load")}
    with tempfile.TemporaryDirectory(dir=Path(__file__).parent / "results") as folder:
        for _ in range(args.repeat):
            url, cleanup = _fresh(args.url, Path(folder))
            try:
                engine = get_engine(url)
                init_warehouse(engine)
                for template, data in files.items():
                    name = f"{template}.csv"
                    results[f"{template} check"].append(_timed(engine, name, data, True))
                    results[f"{template} load"].append(_timed(engine, name, data, False))
            finally:
                cleanup()
    dialect = "postgresql" if args.url else "sqlite"
    print(f"{dialect}, {args.rows:,} rows per file, {args.repeat} runs each "
          "(check = dry run; load = check + write + maintained tables)")
    print(f"{'file':<24}{'rows/s median':>12}{'IQR':>22}{'CPU s':>8}{'IQR':>10}")
    for label, samples in results.items():
        print(_summary(label, args.rows, samples))


if __name__ == "__main__":
    main()
