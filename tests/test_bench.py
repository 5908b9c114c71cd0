"""``manage.py bench`` end to end at a tiny size: the files it writes, their shape, and that
the naive baseline gives Haki's answers on every page (no timing is asserted)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from auth.policy import can_open
from bench.compare import compare
from bench.scenarios import READERS, scenarios
from figures import registry

ROOT = Path(__file__).resolve().parents[1]


def test_every_page_is_measured_for_readers_who_may_open_it():
    measured = scenarios()
    assert {s.page for s in measured} == set(registry.PAGES)
    assert all(can_open(READERS[s.reader], s.page) for s in measured)
    assert len({s.label for s in measured}) == len(measured)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT), "HAKI_SECRETS_FILE": "/nonexistent"}
    done = subprocess.run([sys.executable, "manage.py", "bench", "--sizes", "300", "--runs", "1",
                           "--out", str(out)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return out, done


def test_writes_json_markdown_and_latest(run):
    out, _ = run
    [result] = out.glob("bench-*.json")
    md = result.with_suffix(".md")
    assert md.read_text() == (out / "latest.md").read_text()
    doc = json.loads(result.read_text())
    assert {"generated_at", "machine", "command", "runs", "goals", "results"} <= doc.keys()
    assert {"cpu", "cores", "ram_gb", "load_start", "load_end"} <= doc["machine"].keys()
    [one] = doc["results"]
    assert (one["backend"], one["size"], one["cases"]) == ("sqlite", 300, 300)
    assert one["haki_peak_rss_mb"] > 0 and one["baseline_peak_rss_mb"] > 0
    labels = [s["label"] for s in one["scenarios"]]
    assert labels == [s.label for s in scenarios()]
    for s in one["scenarios"]:
        for part in ("uncached", "cached", "baseline"):
            for clock in ("wall_ms", "cpu_ms"):
                st = s[part][clock]
                assert st["n"] == 1 and st["min"] <= st["median"] <= st["max"]
        assert set(s["goals"]) == {"uncached", "cached", "baseline_ratio"}
    # one table row per scenario, under the backend's heading
    rows = [line for line in md.read_text().splitlines() if line.startswith("| ")]
    assert len(rows) == 2 + len(labels)
    assert "## SQLite" in md.read_text()


def test_baseline_answers_equal_hakis_on_every_page(run):
    out, _ = run
    doc = json.loads(next(out.glob("bench-*.json")).read_text())
    for s in doc["results"][0]["scenarios"]:
        same = s["same_answers"]
        assert same["equal"], (s["label"], same["mismatches"])
        assert same["cells"] > 0, s["label"]
    monitor = [s for s in doc["results"][0]["scenarios"] if s["reader"] == "monitor"]
    assert any(s["same_answers"]["withheld"] for s in monitor)  # small counts were skipped


def test_keeps_the_warehouse_it_built_under_its_key(run):
    out, done = run
    assert "warehouse built" in done.stdout
    assert len(list(out.glob("haki-bench-300-*.db"))) == 1
    assert not list(out.glob("*.partial*"))


def test_a_wrong_baseline_answer_is_caught():
    haki = {"funnel": [["reported", 10], ["charged", 4]]}
    assert compare("funnel", haki, {"funnel": [["reported", 10], ["charged", 4]]}, False)["equal"]
    wrong = compare("funnel", haki, {"funnel": [["reported", 10], ["charged", 5]]}, False)
    assert not wrong["equal"] and "charged" in wrong["mismatches"][0]
    missing = compare("funnel", haki, {"funnel": [["reported", 10]]}, False)
    assert not missing["equal"]
    withheld = {"funnel": [["reported", None], ["charged", 4]]}
    assert compare("funnel", withheld, haki, True) == {"equal": True, "cells": 1, "withheld": 1,
                                                       "mismatches": []}
    assert not compare("funnel", withheld, haki, False)["equal"]
