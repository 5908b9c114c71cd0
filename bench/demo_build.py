"""Benchmark: building a demo warehouse from nothing (schema, reference data, synthetic data).

    python bench/demo_build.py --cases 1000000 [--url postgresql://...] [--repeat 3]

Each run builds into a fresh temporary warehouse, in a child process of its own so that
peak RSS and bytes written belong to that run alone: a SQLite file in a temporary
directory (``--dir`` to choose where), or, with ``--url`` (a PostgreSQL server where the
user may create databases), a new database that is dropped afterwards.

Per run it measures wall time, CPU time of the generating process, its peak RSS, the
bytes it wrote (``/proc/self/io``: "written" is ``write_bytes`` minus the writes cancelled
because their file was deleted before they reached the disk, shown as "+ deleted": SQLite's
sort temp files; "write()" is every byte passed to write calls) and the final size
(SQLite: the file once closed; PostgreSQL: ``pg_database_size``). On PostgreSQL the
server does the writing: the bytes shown are the WAL the whole cluster generated during
the run (``pg_stat_wal``), "CPU" is the client's, "server CPU" that of the connection's
server process (when the server runs on this machine). Printed as the median and the
spread (min-max, and the interquartile range from 4 runs) over the repeats. On a shared
machine wall time is CPU time plus waiting: "CPU wait" is the time the process was ready
but had no CPU (``/proc/self/schedstat``), "CPU pressure" how busy the machine was
(``/proc/pressure/cpu``, last minute, at the start).
Figures, not assertions: the test suite never times.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from warehouse.config import normalize_url  # noqa: E402
from warehouse.demo import generate  # noqa: E402
from warehouse.engine import forget_engine, get_engine  # noqa: E402
from warehouse.migrate import init_warehouse  # noqa: E402

UNTIL = date(2026, 11, 15)
KEY = "bench-key-" * 4
IO_FIELDS = ("rchar", "wchar", "read_bytes", "write_bytes", "cancelled_write_bytes")


def _io() -> dict[str, int]:
    with open("/proc/self/io") as fh:
        pairs = (line.split(":") for line in fh)
        return {k: int(v) for k, v in pairs if k in IO_FIELDS}


def _cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _run_queue_wait() -> float | None:
    """Seconds this process was ready to run but waited for a CPU (busy shared machine)."""
    try:
        with open("/proc/self/schedstat") as fh:
            return int(fh.read().split()[1]) / 1e9
    except OSError:
        return None


def _cpu_pressure() -> float | None:
    """Share of the last minute in which some task on the machine waited for a CPU (%)."""
    try:
        with open("/proc/pressure/cpu") as fh:
            return float(fh.readline().split()[2].removeprefix("avg60="))
    except (OSError, IndexError, ValueError):
        return None


def _backend_cpu(engine) -> tuple[int, float] | None:
    """PostgreSQL: this connection's server process and its CPU seconds so far (when the
    server runs on this machine and /proc lets us read it)."""
    with engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pg_wal_bytes(url: str) -> int | None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT wal_bytes FROM pg_stat_wal")).scalar_one())
    except Exception:  # noqa: BLE001 - pg_stat_wal needs PostgreSQL 14; the figure is optional
        return None
    finally:
        engine.dispose()


def child(url: str, cases: int, seed: int) -> dict:
    """One build, measured from inside the process that does it."""
    stages: dict[str, list[float]] = {}  # step -> [wall, CPU] since the step before
    last = [time.perf_counter(), _cpu()]

    def progress(stage: str, done: int, total: int) -> None:
        now = [time.perf_counter(), _cpu()]
        spent = stages.setdefault(stage, [0.0, 0.0])  # time up to a call is that stage's
        for i in (0, 1):
            spent[i] += now[i] - last[i]
        last[:] = now

    is_pg = url.startswith("postgresql")
    wal0 = _pg_wal_bytes(url) if is_pg else None
    pressure, wait0 = _cpu_pressure(), _run_queue_wait()
    io0, cpu0, t0 = _io(), _cpu(), time.perf_counter()
    engine = get_engine(url)
    init_warehouse(engine)
    server0 = _backend_cpu(engine) if is_pg else None
    t_init = time.perf_counter()
    last[:] = [t_init, _cpu()]
    written = generate(engine, cases=cases, seed=seed, until=UNTIL, pseudonym_key=KEY,
                       progress=progress)
    t1 = time.perf_counter()
    stages["commit"] = [t1 - last[0], _cpu() - last[1]]  # after the last step: checks, commit
    server1 = _backend_cpu(engine) if is_pg else None
    same_backend = server0 and server1 and server0[0] == server1[0]  # the pool kept it
    with engine.connect() as conn:
        size = (conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
                if is_pg else None)
    forget_engine(url)  # closes the file: SQLite checkpoints and removes its -wal
    io1, cpu1, wait1 = _io(), _cpu(), _run_queue_wait()
    if not is_pg:
        path = Path(url.removeprefix("sqlite:///"))
        size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    io = {k: io1[k] - io0[k] for k in IO_FIELDS}
    return {
        "wall_s": t1 - t0,
        "generate_s": t1 - t_init,
        "cpu_s": cpu1 - cpu0,
        "cpu_wait_s": (wait1 - wait0) if wait0 is not None else None,
        "machine_cpu_pressure_pct": pressure,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "server_cpu_s": (server1[1] - server0[1]) if same_backend else None,
        "written_mb": (io["write_bytes"] - io["cancelled_write_bytes"]) / 2**20,
        "temp_cancelled_mb": io["cancelled_write_bytes"] / 2**20,
        "wchar_mb": io["wchar"] / 2**20,
        "server_wal_mb": ((_pg_wal_bytes(url) - wal0) / 2**20) if wal0 is not None else None,
        "size_mb": size / 2**20,
        "stages_s": stages,
        "rows": written,
    }


def _pg_fresh(admin_url: str) -> tuple[str, str]:
    name = "haki_bench_" + uuid.uuid4().hex[:10]
    admin = create_engine(normalize_url(admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))  # noqa: S608 - generated name
    admin.dispose()
    url = make_url(normalize_url(admin_url)).set(database=name)
    return name, url.render_as_string(hide_password=False)


def _pg_drop(admin_url: str, name: str) -> None:
    admin = create_engine(normalize_url(admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))  # noqa: S608
    admin.dispose()


def one_run(args) -> dict:
    cmd = [sys.executable, __file__, "--child", "--cases", str(args.cases), "--seed",
           str(args.seed)]
    if args.url:
        name, url = _pg_fresh(args.url)
        try:
            out = subprocess.run([*cmd, "--url", url], check=True, capture_output=True, text=True)
        finally:
            _pg_drop(args.url, name)
    else:
        with tempfile.TemporaryDirectory(dir=args.dir, prefix="haki-bench-") as tmp:
            url = "sqlite:///" + str(Path(tmp) / "warehouse.db")
            out = subprocess.run([*cmd, "--url", url], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def spread(values: list[float]) -> str:
    med = statistics.median(values)
    text_ = f"{med:>9.1f}  [{min(values):.1f}–{max(values):.1f}]"
    if len(values) >= 4:
        q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
        text_ += f"  IQR {q1:.1f}–{q3:.1f}"
    return text_


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--url", help="PostgreSQL server URL (default: a temporary SQLite file)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", help="where the temporary SQLite file goes")
    ap.add_argument("--json", help="also write every run's figures to this file")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.url, args.cases, args.seed)))
        return
    runs = []
    for i in range(args.repeat):
        runs.append(one_run(args))
        r = runs[-1]
        print(f"run {i + 1}/{args.repeat}: {r['wall_s']:.1f} s wall, {r['cpu_s']:.1f} s CPU, "
              f"{r['cpu_wait_s'] or 0:.1f} s waiting for a CPU, "
              f"{r['peak_rss_mb']:.0f} MB RSS, {r['written_mb']:.0f} MB written, "
              f"{r['size_mb']:.0f} MB file", flush=True)
    backend = "postgresql" if args.url else "sqlite"
    print(f"\n{backend}, {args.cases:,} cases, {args.repeat} runs: median [min–max]")
    metrics = [("wall_s", "wall s"), ("generate_s", "generate s"), ("cpu_s", "CPU s"),
               ("cpu_wait_s", "CPU wait s"), ("machine_cpu_pressure_pct", "CPU pressure %"),
               ("server_cpu_s", "server CPU s"),
               ("peak_rss_mb", "peak RSS MB"), ("written_mb", "written MB"),
               ("temp_cancelled_mb", "+ deleted MB"), ("wchar_mb", "write() MB"), ("server_wal_mb", "server WAL MB"),
               ("size_mb", "size MB")]
    for key, label in metrics:
        values = [r[key] for r in runs if r[key] is not None]
        if values:
            print(f"{label:<15}{spread(values)}")
    if backend == "sqlite":
        ratio = [r["written_mb"] / r["size_mb"] for r in runs]
        print(f"{'written/size':<15}{spread(ratio)}")
    print("steps (wall s, then CPU s):")
    for stage in runs[0]["stages_s"]:
        wall = spread([r["stages_s"].get(stage, [0.0, 0.0])[0] for r in runs])
        cpu = spread([r["stages_s"].get(stage, [0.0, 0.0])[1] for r in runs])
        print(f"  {stage:<18}{wall}   {cpu}")
    if args.json:
        Path(args.json).write_text(json.dumps({"backend": backend, "cases": args.cases,
                                               "runs": runs}, indent=1))


if __name__ == "__main__":
    main()
