"""The page harness: ``python manage.py bench --sizes 10k,100k,1m [--backend sqlite,postgresql]
[--runs 5] [--out bench/results] [--pg-url URL]``.

For each backend and size: a demo warehouse (bench.warehouses: built once, then reused),
then two processes of their own (bench.worker): Haki's figures for every page and reader,
uncached and cached; then the naive baseline for the same figures, checked against Haki's
answers. The results go to ``<out>/bench-<date>-<host>.json`` and ``.md``, and the Markdown
also to ``<out>/latest.md`` (bench.report).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bench import report, warehouses

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ("sqlite", "postgresql")
PG_ENV = "HAKI_BENCH_PG_URL"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sizes", default="10k,100k",
                   help="demo warehouse sizes in cases, e.g. 10k,100k,1m (default: %(default)s)")
    p.add_argument("--backend", default="sqlite",
                   help="sqlite, postgresql or both, comma-separated (default: %(default)s)")
    p.add_argument("--runs", type=int, default=5,
                   help="timed runs per page and reader (default: %(default)s; at least 5 for "
                        "the record)")
    p.add_argument("--out", default=str(ROOT / "bench" / "results"),
                   help="where the warehouses and results go (default: bench/results)")
    p.add_argument("--pg-url", help=f"PostgreSQL server where the user may create databases "
                                    f"(default: ${PG_ENV})")
    p.add_argument("--slow-s", type=float, default=10.0,
                   help="a baseline run longer than this many seconds gets 3 runs in all")
    p.add_argument("--pages", help=argparse.SUPPRESS)  # tests: fewer pages


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(line.split()[1]) for line in
                      Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))
    except (OSError, StopIteration):
        mem_kb = 0
    return {"host": platform.node(), "cpu": cpu, "cores": os.cpu_count(),
            "ram_gb": round(mem_kb / 2**20, 1), "os": platform.platform(),
            "python": platform.python_version(), "load_start": list(os.getloadavg())}


def _worker(mode: str, url: str, args, tmp: Path, extra: list[str]) -> dict:
    out = tmp / f"{mode}.json"
    cmd = [sys.executable, "-m", "bench.worker", mode, "--runs", str(args.runs),
           "--slow-s", str(args.slow_s), "--json", str(out), *extra]
    if args.pages:
        cmd += ["--pages", args.pages]
    subprocess.run(cmd, cwd=ROOT, check=True, env=warehouses.worker_env(url))
    return json.loads(out.read_text())


def measure(backend: str, cases: int, args, out_dir: Path, say) -> dict:
    if backend == "sqlite":
        url, how = warehouses.sqlite(out_dir, cases)
    else:
        url, how = warehouses.postgresql(args.pg_url, cases)
    say(f"{backend}, {cases:,} cases: warehouse "
        + (f"built in {how['build_s']} s" if how["built"] else "reused"))
    with tempfile.TemporaryDirectory(prefix="haki-bench-") as tmp:
        haki = _worker("haki", url, args, Path(tmp), [])
        say(f"  Haki measured ({haki['peak_rss_mb']:.0f} MB peak RSS); baseline next")
        (Path(tmp) / "answers.json").write_text(json.dumps(haki))
        base = _worker("naive", url, args, Path(tmp), ["--haki", str(Path(tmp) / "answers.json")])
    return {"backend": backend, "size": cases, "cases": haki["cases"],
            "server": warehouses.server_version(url),
            "url": make_url(url).render_as_string(hide_password=True),
            "warehouse": how, "haki_peak_rss_mb": haki["peak_rss_mb"],
            "baseline_peak_rss_mb": base["peak_rss_mb"],
            "scenarios": report.merge(haki["scenarios"], base["scenarios"], cases)}


def run(args, say=print) -> dict:
    """Every backend x size; returns the results written (paths under ``"files"``)."""
    sizes = [warehouses.parse_size(w) for w in args.sizes.split(",")]
    backends = [b.strip() for b in args.backend.split(",")]
    unknown = sorted(set(backends) - set(BACKENDS))
    if unknown:
        raise ValueError(f"--backend {', '.join(unknown)}: choose from {', '.join(BACKENDS)}")
    if args.runs < 1:
        raise ValueError("--runs must be at least 1")
    args.pg_url = args.pg_url or os.environ.get(PG_ENV)
    if "postgresql" in backends and not args.pg_url:
        raise ValueError(f"PostgreSQL needs --pg-url or {PG_ENV} (a server where the user "
                         "may create databases)")
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    host = machine()
    doc = {"generated_at": started.isoformat(timespec="seconds"), "machine": host,
           "command": "python manage.py bench " + " ".join(
               f"--{k.replace('_', '-')} {v}" for k, v in (
                   ("sizes", args.sizes), ("backend", args.backend), ("runs", args.runs))),
           "runs": args.runs, "slow_s": args.slow_s, "goals": report.GOALS, "results": []}
    for backend in backends:
        for cases in sizes:
            doc["results"].append(measure(backend, cases, args, out_dir, say))
            # Written after every size, so a long run stopped part way keeps what it measured.
            host["load_end"] = list(os.getloadavg())
            files = report.write(doc, out_dir, started.date().isoformat(), host["host"])
    for path in files:
        say(f"wrote {path}")
    return doc | {"files": files}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.harness", description=__doc__)
    add_arguments(p)
    run(p.parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
