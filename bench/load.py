"""Load test on loopback: simultaneous sessions of different roles and scopes against one
Haki server, for a bounded time.

    python bench/load.py [--client protocol|browser] [--sessions 20] [--minutes 5]
                         [--cases 100000] [--browsers 2]

Builds the demo warehouse once (bench/results/load-<cases>.db), adds one fresh account per
session (project managers, CUC members of Mombasa 001, Kwale 002 and Kilifi 003, monitors,
administrators), starts `streamlit run server.py` as the browser tests do
(tests/e2e/conftest.py), and drives the sessions: each signs in through the sign-in form,
then opens pages and changes the period, the counties and the page's own choices, with a
pause between changes, until the time is up. It reports the latency of each change (p50,
p95, spread), errors, cross-scope leaks (each session checks its figures against raw-SQL
counts made before the run) and the server's memory, to
bench/results/load-<date>.{json,md}.

Two clients play the readers:

- ``protocol`` (the default): a websocket client in this process that speaks Streamlit's
  protocol with the protobuf messages Streamlit ships, as its frontend does
  (bench/load_wire.py, bench/load_protocol.py). A change is timed from the message that
  asks for the run to the server's ``script_finished``. It is the default because it
  measures the server: twenty Chromium pages on a 2-core machine take the CPU the server
  needs (the 2026-11-28 browser run: load average 36, a third of the sessions never got a
  sign-in page, p95 50 s), so that run measured the browsers.
- ``browser``: Debian's Chromium through Playwright (bench/load_session.py), timed from the
  input to the page's last element drawn; it includes what the browser draws and runs, and
  needs a machine whose cores are not shared with the server it loads.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.async_api import async_playwright  # noqa: E402

from auth import users  # noqa: E402
from bench.load_expect import Expected  # noqa: E402
from bench.load_protocol import ProtocolSession  # noqa: E402
from bench.load_report import Sampler, pid_listening_on, summarize, write  # noqa: E402
from bench.load_session import Account, Session  # noqa: E402
from startup.firstrun import build_demo  # noqa: E402
from tests.conftest import DEMO_KEY  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, TODAY, serve  # noqa: E402
from warehouse.engine import get_engine  # noqa: E402
from warehouse.migrate import current_revision  # noqa: E402

# Sessions take these roles and scopes in turn: any first six cover every role and county.
ROSTER = (("project_manager", ()), ("cuc_member", ("001",)), ("cuc_member", ("002",)),
          ("cuc_member", ("003",)), ("monitor", ()), ("admin", ()))
RESULTS = ROOT / "bench" / "results"
GRACE = 180  # s after the deadline for the last changes to finish before sessions are cut


class _Dirs:
    """What `serve` needs of pytest's tmp_path_factory: fresh folders."""

    def __init__(self, root: Path):
        self.root = root

    def mktemp(self, name: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=self.root))


def warehouse(url: str, cases: int) -> None:
    if current_revision(get_engine(url)) is None:
        started = time.monotonic()
        print(f"building a demo warehouse of {cases:,} cases in {url} …", flush=True)
        build_demo(url, cases=cases, seed=1, until=TODAY, pseudonym_key=DEMO_KEY)
        print(f"… built in {time.monotonic() - started:.0f} s", flush=True)


def add_accounts(engine, n: int) -> list[Account]:
    """One fresh account per session (never reused: a run starts with no sessions or
    lockouts of its own); named for the run so that reruns on one warehouse never clash."""
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    accounts = []
    with engine.begin() as conn:
        for i in range(n):
            role, counties = ROSTER[i % len(ROSTER)]
            account = Account(f"load-{stamp}-{i:02d}", secrets.token_urlsafe(18), role, counties)
            users.add_user(conn, account.username, role=role, password=account.password,
                           county_codes=counties)
            accounts.append(account)
    return accounts


async def drive(base: str, accounts: list[Account], expected: Expected, seconds: float,
                think: tuple[float, float], browsers: int, seed: int, ramp: float = 0,
                at_least: int = 0) -> list:
    """Every session at once, spread over ``browsers`` Chromium processes; returns their
    outcomes once the time is up (a session still waiting GRACE seconds later is cut).
    Session i signs in ``i * ramp`` seconds after the first."""
    everywhere = set(expected.names)
    async with async_playwright() as p:
        launched = [await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                            headless=True) for _ in range(browsers)]
        deadline = time.monotonic() + seconds
        sessions = [Session(launched[i % browsers], base, a, expected, everywhere, seed + i)
                    for i, a in enumerate(accounts)]
        tasks = [asyncio.create_task(s.run(deadline, think, i * ramp, at_least))
                 for i, s in enumerate(sessions)]
        done, late = await asyncio.wait(tasks, timeout=seconds + GRACE)
        for task in late:
            task.cancel()
        for s, task in zip(sessions, tasks, strict=True):
            if task in late:
                s.out.errors.append("still waiting for a page when the run was cut")
        for b in launched:
            await b.close()
    return [s.out for s in sessions]


async def drive_protocol(base: str, accounts: list[Account], expected: Expected,
                         seconds: float, think: tuple[float, float], seed: int,
                         ramp: float = 0, at_least: int = 0) -> list:
    """Every session at once as a websocket client in this process (bench/load_protocol.py);
    the same deadline, grace and cut as ``drive``."""
    everywhere = set(expected.names)
    deadline = time.monotonic() + seconds
    sessions = [ProtocolSession(base, a, expected, everywhere, seed + i)
                for i, a in enumerate(accounts)]
    tasks = [asyncio.create_task(s.run(deadline, think, i * ramp, at_least=at_least))
             for i, s in enumerate(sessions)]
    done, late = await asyncio.wait(tasks, timeout=seconds + GRACE)
    for task in late:
        task.cancel()
    if late:
        await asyncio.wait(late, timeout=10)  # their websockets close as they are cancelled
    for s, task in zip(sessions, tasks, strict=True):
        if task in late:
            s.out.errors.append("still waiting for a run when the run was cut")
    return [s.out for s in sessions]


def server_log_errors(log: Path) -> list[str]:
    """Tracebacks in the server's output, one line each (their last line)."""
    lines = log.read_text(errors="replace").splitlines()
    found = []
    for i, line in enumerate(lines):
        if line.startswith("Traceback"):
            tail = next((x for x in lines[i + 1:] if x and not x.startswith((" ", "\t"))), "?")
            found.append(tail[:300])
    return found


def script_stacks(log: Path) -> list[list[str]]:
    """The Python stacks the server wrote on SIGABRT, for its threads that were running a
    page (innermost call first; Haki's frames and the library call they were in)."""
    dump = log.read_text(errors="replace").split("Fatal Python error: Aborted", 1)[-1]
    stacks = []
    for block in dump.split("\n\n"):
        frames = [line.strip() for line in block.splitlines() if line.strip().startswith("File")]
        if any("script_runner" in f for f in frames):
            ours = [i for i, f in enumerate(frames) if str(ROOT) in f]
            first = max(ours[0] - 1, 0) if ours else 0
            stacks.append([f.replace(str(ROOT) + "/", "") for f in frames[first:first + 8]])
    return stacks


def measure(base: str, engine, accounts: list[Account], seconds: float, *,
            think: tuple[float, float] = (1.0, 3.0), browsers: int = 1, seed: int = 1,
            ramp: float = 0, log: Path | None = None, config: dict | None = None,
            client: str = "browser", at_least: int = 0) -> dict:
    """Drives the sessions against the server at ``base`` (a Streamlit started on its port)
    with browsers or the protocol client, and summarizes; each session makes ``at_least``
    changes even past the time (within the cut's grace). Runs them in a thread of their
    own, so that it may be called where a synchronous Playwright is already running (the
    browser tests)."""
    expected = Expected.read(engine)
    sampler = Sampler(pid_listening_on(urlsplit(base).port))
    sampler.start()
    time.sleep(2 * sampler.every)  # a sample or two of the idle server
    box: dict = {}

    def in_thread():
        box["since"] = time.time()
        if client == "protocol":
            box["outcomes"] = asyncio.run(drive_protocol(base, accounts, expected, seconds,
                                                         think, seed, ramp, at_least))
        else:
            box["outcomes"] = asyncio.run(drive(base, accounts, expected, seconds, think,
                                                browsers, seed, ramp, at_least))
        box["until"] = time.time()

    worker = threading.Thread(target=in_thread)
    worker.start()
    worker.join()
    samples = sampler.stop()
    errors = server_log_errors(log) if log else []
    return summarize(box["outcomes"], samples, box["since"], box["until"], errors,
                     config or {})


def _machine(client: str) -> str:
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.machine())
    cores = f"{model}, {len(os.sched_getaffinity(0))} cores"
    if client != "browser":
        return cores
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True,
                              check=False).stdout.strip()
    return f"{cores}, {chromium}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--client", choices=("protocol", "browser"), default="protocol",
                    help="websocket client speaking Streamlit's protocol, or Chromium")
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--minutes", type=float, default=5)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--url", help="warehouse URL (default: bench/results/load-<cases>.db)")
    ap.add_argument("--browsers", type=int, default=2, help="Chromium processes to spread "
                                                            "the sessions over")
    ap.add_argument("--think", default="1,3", help="pause between clicks, min,max seconds")
    ap.add_argument("--ramp", type=float, default=3, help="seconds between two sessions' "
                                                          "sign-ins")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--label", default="", help="appended to the results' file names")
    args = ap.parse_args()
    url = args.url or "sqlite:///" + str(RESULTS / f"load-{args.cases}.db")
    warehouse(url, args.cases)
    engine = get_engine(url)
    accounts = add_accounts(engine, args.sessions)
    think = tuple(float(x) for x in args.think.split(","))
    roles = ", ".join(f"{sum(a.role == r and a.counties == c for a in accounts)} "
                      f"{r.replace('_', ' ')}{' ' + c[0] if c else ''}" for r, c in ROSTER)
    config = {"date": datetime.now(UTC).date().isoformat(), "sessions": args.sessions,
              "minutes": args.minutes, "cases": args.cases, "backend": engine.dialect.name,
              "think_s": f"{think[0]:g}–{think[1]:g}", "client": args.client,
              "browsers": args.browsers if args.client == "browser" else 0,
              "ramp_s": args.ramp,
              "roles": roles, "machine": _machine(args.client),
              "command": "python bench/load.py " + " ".join(sys.argv[1:])}
    tmp = Path(tempfile.mkdtemp(prefix="haki-load-"))
    log = tmp / "streamlit.log"
    server = {}
    try:
        # PYTHONFAULTHANDLER: a server that ignores SIGTERM is stopped with SIGABRT, which
        # makes Python write every thread's stack to the log first (where did it hang?).
        with serve(url, _Dirs(tmp), log, PYTHONFAULTHANDLER="1") as base:
            server["pid"] = pid_listening_on(urlsplit(base).port)
            print(f"server at {base} (log {log}); {args.sessions} sessions for "
                  f"{args.minutes:g} min …", flush=True)
            result = measure(base, engine, accounts, args.minutes * 60, think=think,
                             browsers=args.browsers, seed=args.seed, ramp=args.ramp, log=log,
                             config=config, client=args.client)
        result["server_stopped"] = "on SIGTERM"
    except subprocess.TimeoutExpired:
        # Streamlit waits for running scripts before it exits: say so, and stop it anyway.
        os.kill(server["pid"], signal.SIGABRT)
        time.sleep(3)
        result["server_stopped"] = "not within 20 s of SIGTERM: stopped with SIGABRT"
        result["server_stacks_at_stop"] = script_stacks(log)
    label = f"-{args.label}" if args.label else ""
    js, md = write(result, args.out, f"load-{config['date']}{label}")
    print(md.read_text())
    print(f"written: {js}, {md}")

if __name__ == "__main__":
    main()
