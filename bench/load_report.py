"""The load test's measurements in figures: latency percentiles with their spread, the server's
memory over the run (and whether it grows), CPU; written as JSON and Markdown."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import numpy as np

PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[float, float]:
    """(RSS MB, CPU seconds) of one process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[21]) * PAGE / 2**20, (int(fields[11]) + int(fields[12])) / TICK


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def pid_listening_on(port: int) -> int:
    """The Streamlit server started with ``--server.port port`` (its command line says so)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                args = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"streamlit" in b" ".join(args) and str(port).encode() in args:
                return int(entry.name)
    raise LookupError(f"no streamlit process on port {port}")


class Sampler(threading.Thread):
    """Every ``every`` seconds: the server's RSS and CPU, the browsers' RSS and CPU (the
    Chromium processes this harness started), and the load average."""

    def __init__(self, server_pid: int, every: float = 2.0):
        super().__init__(daemon=True)
        self.server_pid, self.every = server_pid, every
        self.samples: list[dict] = []
        self._browser_cpu: dict[int, float] = {}  # every Chromium process seen, its last CPU
        self._halt = threading.Event()

    def sample(self) -> dict:
        rss, cpu = _stat(self.server_pid)
        b_rss = 0.0
        for pid in descendants(os.getpid()):
            try:
                if "chrom" in Path(f"/proc/{pid}/comm").read_text():
                    r, c = _stat(pid)
                    b_rss, self._browser_cpu[pid] = b_rss + r, c
            except OSError:
                continue
        b_cpu = sum(self._browser_cpu.values())  # processes that ended keep their time
        own = os.times()  # this process: the protocol client's sessions run in it
        return {"t": time.time(), "server_rss_mb": round(rss, 1), "server_cpu_s": cpu,
                "browser_rss_mb": round(b_rss, 1), "browser_cpu_s": b_cpu,
                "client_cpu_s": own.user + own.system, "load1": os.getloadavg()[0]}

    def run(self) -> None:
        while not self._halt.is_set():
            try:
                self.samples.append(self.sample())
            except OSError:  # the server has gone: nothing more to sample
                return
            self._halt.wait(self.every)

    def stop(self) -> list[dict]:
        self._halt.set()
        self.join()
        return self.samples


def spread(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    a = np.asarray(values, dtype=float)
    p = np.percentile(a, [25, 50, 75, 95])
    return {"n": len(a), "p50": round(p[1]), "p95": round(p[3]), "p25": round(p[0]),
            "p75": round(p[2]), "min": round(a.min()), "max": round(a.max())}


def memory(samples: list[dict], since: float) -> dict:
    """Server RSS from ``since`` (the sessions' start): start, peak, end, and whether it grows
    (least-squares slope over the second half of the run, MB per minute; growing when the
    slope is above 1 MB/min and the last quarter's median is 5% above the second quarter's)."""
    run = [s for s in samples if s["t"] >= since]
    if len(run) < 8:
        return {"samples": len(run)}
    t = np.array([s["t"] - since for s in run]) / 60
    rss = np.array([s["server_rss_mb"] for s in run])
    half = len(run) // 2
    slope = float(np.polyfit(t[half:], rss[half:], 1)[0])
    q = len(run) // 4
    second, last = float(np.median(rss[q:2 * q])), float(np.median(rss[3 * q:]))
    return {"samples": len(run), "every_s": round(float(np.median(np.diff(t))) * 60, 1),
            "start_mb": float(rss[0]), "peak_mb": float(rss.max()), "end_mb": float(rss[-1]),
            "second_quarter_median_mb": second, "last_quarter_median_mb": last,
            "slope_second_half_mb_per_min": round(slope, 2),
            "grows": bool(slope > 1 and last > 1.05 * second)}


def cpu(samples: list[dict], since: float, until: float) -> dict:
    run = [s for s in samples if since <= s["t"] <= until]
    if len(run) < 2:
        return {}
    wall = run[-1]["t"] - run[0]["t"]
    server = run[-1]["server_cpu_s"] - run[0]["server_cpu_s"]
    browser = run[-1]["browser_cpu_s"] - run[0]["browser_cpu_s"]
    client = run[-1].get("client_cpu_s", 0) - run[0].get("client_cpu_s", 0)
    return {"wall_s": round(wall), "server_cpu_s": round(server, 1),
            "server_cores": round(server / wall, 2), "browser_cpu_s": round(browser, 1),
            "browser_cores": round(browser / wall, 2), "client_cpu_s": round(client, 1),
            "client_cores": round(client / wall, 2),
            "load1_median": round(float(np.median([s["load1"] for s in run])), 1)}


def summarize(outcomes, samples: list[dict], since: float, until: float,
              server_log_errors: list[str], config: dict) -> dict:
    changes = [c for o in outcomes for c in o.changes]
    by = {}
    for key in ("kind", "page"):
        by[key] = {v: spread([c["ms"] for c in changes if c[key] == v])
                   for v in sorted({c[key] for c in changes})}
    per_session_p50 = [spread([c["ms"] for c in o.changes]).get("p50") for o in outcomes]
    minutes = max((until - since) / 60, 1e-9)
    per_minute = []
    for m in range(int(np.ceil(minutes))):
        window = [c["ms"] for c in changes if since + 60 * m <= c["at"] < since + 60 * (m + 1)]
        per_minute.append(spread(window).get("p50"))
    errors = [f"{o.account.username}: {e}" for o in outcomes for e in o.errors]
    script_errors = [f"{o.account.username}: {e}" for o in outcomes for e in o.script_errors]
    errors += [f"server log: {line}" for line in server_log_errors]
    return {
        "config": config,
        "latency_ms": spread([c["ms"] for c in changes]),
        "latency_ms_by_kind": by["kind"], "latency_ms_by_page": by["page"],
        "latency_p50_ms_per_minute": per_minute,
        "session_p50_ms": {"min": min(filter(None, per_session_p50), default=None),
                           "max": max(filter(None, per_session_p50), default=None)},
        "sign_in_ms": spread([o.sign_in_ms for o in outcomes if o.sign_in_ms is not None]),
        "changes": len(changes), "changes_per_minute": round(len(changes) / minutes, 1),
        "sessions": [{"user": o.account.username, "role": o.account.role,
                      "counties": list(o.account.counties), "changes": len(o.changes),
                      "headline_checks": o.headline_checks, "name_checks": o.name_checks,
                      "errors": len(o.errors), "leaks": len(o.leaks)} for o in outcomes],
        "errors": {"count": len(errors), "examples": errors[:20]},
        "browser_script_errors": {"count": len(script_errors),
                                  "distinct": sorted({e.split(": ", 1)[1] for e in script_errors})},
        "leaks": {"count": sum(len(o.leaks) for o in outcomes),
                  "headline_checks": sum(o.headline_checks for o in outcomes),
                  "name_checks": sum(o.name_checks for o in outcomes),
                  "examples": [f"{o.account.username}: {x}" for o in outcomes for x in o.leaks][:20]},
        "server_memory": memory(samples, since),
        "cpu": cpu(samples, since, until),
        "samples": samples,
    }


def _row(name: str, s: dict) -> str:
    if not s.get("n"):
        return f"| {name} | 0 | | | | |"
    return (f"| {name} | {s['n']} | {s['p50']:,} | {s['p95']:,} | {s['p25']:,}–{s['p75']:,} "
            f"| {s['max']:,} |")


def markdown(r: dict) -> str:
    c, m, u = r["config"], r["server_memory"], r["cpu"]
    protocol = c.get("client") == "protocol"
    who = ("websocket clients speaking Streamlit's protocol (no browser)" if protocol else
           f"browser sessions in {c['browsers']} Chromium processes")
    timed = ("from the BackMsg that asks for a run to the server's last `script_finished` "
             "for it" if protocol else "from the input (key or pointer) that started a run "
             "to Streamlit's last `notRunning`, once the page has been quiet for 0.5 s")
    lines = [
        f"# Load test, {c['date']}", "",
        f"`{c['command']}`", "",
        f"{c['sessions']} simultaneous {who} ({c['roles']}) for {c['minutes']} min "
        f"against {c['cases']:,} demo cases ({c['backend']}), signing in {c.get('ramp_s', 0):g} s "
        f"apart, think time {c['think_s']} s between changes; {c['machine']}.", "",
        f"Latency: {timed}.", "",
        "| what | changes | p50 ms | p95 ms | IQR ms | max ms |", "| --- | --- | --- | --- | --- | --- |",
        _row("**every change**", r["latency_ms"]), _row("sign-in to overview", r["sign_in_ms"]),
        *[_row(f"change: {k}", s) for k, s in r["latency_ms_by_kind"].items()],
        *[_row(f"page: {k}", s) for k, s in r["latency_ms_by_page"].items()], "",
        f"- Changes: {r['changes']:,} ({r['changes_per_minute']}/min); per-session medians "
        f"{r['session_p50_ms']['min']}–{r['session_p50_ms']['max']} ms; median per minute of "
        f"the run: {r['latency_p50_ms_per_minute']} ms.",
        f"- Errors: **{r['errors']['count']}**. Cross-scope leaks or wrong headline figures: "
        f"**{r['leaks']['count']}** (of {r['leaks']['headline_checks']:,} headline checks "
        f"against raw-SQL counts and {r['leaks']['name_checks']:,} county-name checks).",
        *([] if protocol else [
            "- Uncaught script errors in the browsers (not drawn on the page, listed apart): "
            f"{r['browser_script_errors']['count']}"
            + "".join(f"; `{e}`" for e in r["browser_script_errors"]["distinct"][:3]) + "."]),
        f"- Server RSS: start {m.get('start_mb')} MB, peak {m.get('peak_mb')} MB, end "
        f"{m.get('end_mb')} MB; slope over the second half {m.get('slope_second_half_mb_per_min')}"
        f" MB/min; grows: **{'yes' if m.get('grows') else 'no'}** ({m.get('samples')} samples "
        f"every {m.get('every_s')} s).",
        f"- CPU over the run: server {u.get('server_cpu_s')} s ({u.get('server_cores')} cores), "
        + ("" if protocol else f"browsers {u.get('browser_cpu_s')} s "
                               f"({u.get('browser_cores')} cores), ")
        + f"this harness{' (every session)' if protocol else ''} {u.get('client_cpu_s')} s "
        f"({u.get('client_cores')} cores); load average (1 min) median {u.get('load1_median')}.",
        f"- The server stopped {r.get('server_stopped', '?')}.",
    ]
    if r.get("server_stacks_at_stop"):
        lines += ["", "## Where the server's page runs were when it was stopped", ""]
        for stack in r["server_stacks_at_stop"]:
            lines += ["```", *stack, "```"]
    for title, key in (("Errors", "errors"), ("Leaks", "leaks")):
        if r[key]["examples"]:
            lines += ["", f"## {title} (first 20)", ""] + [f"- `{e}`" for e in r[key]["examples"]]
    return "\n".join(lines) + "\n"


def write(result: dict, directory: Path, stem: str) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    js, md = directory / f"{stem}.json", directory / f"{stem}.md"
    js.write_text(json.dumps(result, indent=1, default=str) + "\n")
    md.write_text(markdown(result))
    return js, md
