"""The load test (bench/load.py), briefly: two readers of different scope click through their
pages at once for twenty seconds (and on until each has made two changes: on a busy
machine signing in alone can take that long) on the browser tests' server. What it asserts
is what the load test reports as zero: no error drawn, no figure that disagrees with the raw rows for
the period and counties the page names, no county a CUC member may not see. Its times and
memory figures are for bench/results, never asserted here."""

from __future__ import annotations

import pytest

from bench.load import measure
from bench.load_session import Account
from startup.demo_accounts import listed
from tests.e2e import browse

pytestmark = pytest.mark.browser


def test_two_sessions_of_different_scope_click_for_twenty_seconds(demo_server):
    base, engine = demo_server
    accounts = [Account(a["username"], browse.demo_password(engine, a["username"]), a["role"],
                        tuple(a["counties"]))
                for a in listed(engine) if a["username"] in ("demo-manager", "demo-cuc-kwale")]
    result = measure(base, engine, accounts, 20, think=(0.5, 1.5), seed=3, at_least=2)
    sessions = {s["role"]: s for s in result["sessions"]}
    assert set(sessions) == {"project_manager", "cuc_member"}
    assert result["errors"] == {"count": 0, "examples": []}
    assert result["leaks"]["count"] == 0, result["leaks"]["examples"]
    assert all(s["changes"] >= 1 and s["headline_checks"] >= 1
               for s in sessions.values()), sessions
    assert sessions["cuc_member"]["name_checks"] >= 1
    assert result["server_memory"]["samples"] >= 1
