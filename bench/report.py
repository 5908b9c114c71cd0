"""The page harness's results: summary statistics, goals, JSON and Markdown.

Every timing is summarized as its median with the interquartile range (and min-max); a
ratio is the baseline's median wall time over Haki's uncached median. The goals are issue
11's: uncached under 150 ms up to 100k cases and under 500 ms above, cached under 50 ms, at
least 20x faster than the baseline (the issue sets it at 1M; shown at every size), peak RSS
under 400 MB.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
from pathlib import Path

GOALS = {"uncached_ms_up_to_100k": 150, "uncached_ms_above_100k": 500, "cached_ms": 50,
         "baseline_ratio": 20, "peak_rss_mb": 400}


def stats(values: list[float]) -> dict:
    v = sorted(values)
    q1, q3 = (statistics.quantiles(v, n=4, method="inclusive")[::2] if len(v) > 1
              else (v[0], v[0]))
    return {"median": statistics.median(v), "q1": q1, "q3": q3, "min": v[0], "max": v[-1],
            "n": len(v)}


def uncached_goal(cases: int) -> int:
    return GOALS["uncached_ms_up_to_100k" if cases <= 100_000 else "uncached_ms_above_100k"]


def merge(haki: list[dict], base: list[dict], cases: int) -> list[dict]:
    """One row per scenario: Haki's timings and the baseline's, summarized, and the goals."""
    baseline = {b["label"]: b for b in base}
    rows = []
    for h in haki:
        b = baseline[h["label"]]
        row = {k: h[k] for k in ("label", "page", "reader", "choice", "period")}
        row["uncached"] = {k: stats(h["uncached"][k]) for k in ("wall_ms", "cpu_ms")} | {
            "first_ms": h["uncached"]["first_ms"]}
        row["cached"] = {k: stats(h["cached"][k]) for k in ("wall_ms", "cpu_ms")} | {
            "fill_ms": h["cached"]["fill_ms"]}
        row["baseline"] = {k: stats(b[k]) for k in ("wall_ms", "cpu_ms")}
        row["same_answers"] = b["same_answers"]
        haki_ms = row["uncached"]["wall_ms"]["median"]
        row["ratio"] = row["baseline"]["wall_ms"]["median"] / haki_ms if haki_ms else None
        row["goals"] = {
            "uncached": haki_ms < uncached_goal(cases),
            "cached": row["cached"]["wall_ms"]["median"] < GOALS["cached_ms"],
            "baseline_ratio": (row["ratio"] or 0) >= GOALS["baseline_ratio"]}
        row["raw"] = {"uncached": h["uncached"], "cached": h["cached"],
                      "baseline": {k: b[k] for k in ("wall_ms", "cpu_ms")}}
        rows.append(row)
    return rows


def _ms(s: dict) -> str:
    m = s["median"]
    fmt = (lambda x: f"{x:,.0f}") if m >= 100 else (lambda x: f"{x:.1f}")
    return f"{fmt(m)} ({fmt(s['q1'])}–{fmt(s['q3'])})"


def _goal(row: dict) -> str:
    missed = [{"uncached": "uncached", "cached": "cached", "baseline_ratio": "×20"}[k]
              for k, ok in row["goals"].items() if not ok]
    return "yes" if not missed else "no: " + ", ".join(missed)


def _size(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else (
        f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else f"{n:,}")


def _same(row: dict) -> str:
    s = row["same_answers"]
    if not s["equal"]:
        return "**no**: " + "; ".join(s["mismatches"])
    return f"yes ({s['cells']}" + (f", {s['withheld']} withheld" if s["withheld"] else "") + ")"


HEADER = ("| page | reader | cases | uncached ms | CPU ms | cached ms | baseline ms | ratio "
          "| same answers (cells) | goal met |\n| --- | --- | ---: | ---: | ---: | ---: | ---: "
          "| ---: | --- | --- |")


def _ratio(r: float | None) -> str:
    return "–" if r is None else f"{r:,.0f}×" if r >= 10 else f"{r:.1f}×"


def backend_table(results: list[dict], runs: int) -> str:
    """Page by page (in the harness's order), each reader, each size."""
    order = {s["label"]: i for r in results for i, s in enumerate(r["scenarios"])}
    rows = sorted(((r["size"], s) for r in results for s in r["scenarios"]),
                  key=lambda x: (order[x[1]["label"]], x[0]))
    lines = [HEADER]
    for size, s in rows:
        reader = s["reader"] + ("" if s["choice"] == "default" else f" ({s['choice']})")
        done = s["baseline"]["wall_ms"]["n"]
        lines.append(
            f"| {s['page']} | {reader} | {_size(size)} | {_ms(s['uncached']['wall_ms'])} "
            f"| {_ms(s['uncached']['cpu_ms'])} | {_ms(s['cached']['wall_ms'])} "
            f"| {_ms(s['baseline']['wall_ms'])}{'' if done >= runs else f' [{done} runs]'} "
            f"| {_ratio(s['ratio'])} | {_same(s)} | {_goal(s)} |")
    return "\n".join(lines)


def markdown(doc: dict) -> str:
    m = doc["machine"]
    load = "/".join(f"{x:.1f}" for x in m["load_start"]), "/".join(
        f"{x:.1f}" for x in m.get("load_end", m["load_start"]))
    out = [f"# Page benchmark, {doc['generated_at']}", "",
           f"`{doc['command']}` on {m['host']}: {m['cpu']}, {m['cores']} cores, "
           f"{m['ram_gb']} GB RAM, {m['os']}, Python {m['python']}; load average (1/5/15 min) "
           f"{load[0]} at the start, {load[1]} at the end.", "",
           "Each page's data (`figures.registry.visit`) for its default choices, per reader: "
           "median (interquartile range) over "
           f"{doc['runs']} runs after one untimed first call. Cached: `ui.data.page_tables`, `page_part` "
           "(st.cache_data) hits, with the `data_version` read every rerun pays. Baseline: "
           "whole tables read with `pl.read_database` and grouped in Python (bench/naive.py), "
           "the page's main tables only, its first run included; fewer runs where one took "
           f"over {doc['slow_s']:g} s. Ratio: baseline median ÷ uncached median. Same "
           "answers: the baseline's cells equal Haki's (cells Haki withholds from a "
           "summaries-only reader are skipped). CPU: this process's; on PostgreSQL the "
           "server's work is not in it. Goals: uncached under "
           f"{GOALS['uncached_ms_up_to_100k']} ms up to 100k cases and under "
           f"{GOALS['uncached_ms_above_100k']} ms above, cached under {GOALS['cached_ms']} ms, "
           f"at least {GOALS['baseline_ratio']}× the baseline (the issue's goal at 1M)."]
    for backend in dict.fromkeys(r["backend"] for r in doc["results"]):
        results = [r for r in doc["results"] if r["backend"] == backend]
        out += ["", f"## {results[0]['server']}", ""]
        for r in results:
            built = (f"built in {r['warehouse']['build_s']} s" if r["warehouse"]["built"]
                     else "reused")
            out.append(f"- {r['cases']:,} cases (warehouse {built}): Haki's process peak RSS "
                       f"{r['haki_peak_rss_mb']:.0f} MB (goal < {GOALS['peak_rss_mb']} MB), "
                       f"the baseline's {r['baseline_peak_rss_mb']:.0f} MB.")
        out += ["", backend_table(results, doc["runs"])]
    return "\n".join(out) + "\n"


def write(doc: dict, out_dir: Path, day: str, host: str) -> list[str]:
    stem = out_dir / f"bench-{day}-{re.sub(r'[^A-Za-z0-9_.-]', '-', host)}"
    text = markdown(doc)
    paths = [stem.with_suffix(".json"), stem.with_suffix(".md"), out_dir / "latest.md"]
    paths[0].write_text(json.dumps(doc, indent=1, default=str) + "\n")
    paths[1].write_text(text)
    paths[2].write_text(text)
    return [str(p) for p in paths]


if __name__ == "__main__":  # python -m bench.report RESULTS.json: its Markdown again
    print(markdown(json.loads(Path(sys.argv[1]).read_text())), end="")
