"""The load test's protocol client (bench/load.py --client protocol), briefly: two readers of
different scope sign in through the form and change their pages for half a minute over
Streamlit's websocket protocol, no browser. What it asserts is what the load test reports
as zero: no error, no figure that disagrees with the raw rows for the period and counties
the page names, no county a CUC member may not see, and that changes were made and timed.
Its times are for bench/results, never asserted here.

It needs no Chromium, so it starts a server of its own (the browser tests' `serve`) rather
than the browser tests' session server, which launches one."""

from __future__ import annotations

import pytest

from bench.load import measure
from bench.load_session import Account
from startup.demo_accounts import listed
from startup.firstrun import build_demo
from tests.conftest import DEMO_KEY
from tests.e2e.conftest import TODAY, serve
from warehouse.engine import get_engine

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def protocol_server(tmp_path_factory):
    url = "sqlite:///" + str(tmp_path_factory.mktemp("load-protocol") / "warehouse.db")
    build_demo(url, cases=800, seed=11, until=TODAY, pseudonym_key=DEMO_KEY)
    log = tmp_path_factory.mktemp("log") / "streamlit.log"
    with serve(url, tmp_path_factory, log) as base:
        yield base, get_engine(url), log


def _accounts(engine, names):
    return [Account(a["username"], a["password"], a["role"], tuple(a["counties"]))
            for a in listed(engine) if a["username"] in names]


def test_two_protocol_sessions_of_different_scope_change_pages_for_thirty_seconds(
        protocol_server):
    base, engine, log = protocol_server
    accounts = _accounts(engine, ("demo-cuc-kwale", "demo-monitor"))
    result = measure(base, engine, accounts, 30, think=(0.3, 1.0), seed=3, log=log,
                     client="protocol", at_least=3)
    sessions = {s["role"]: s for s in result["sessions"]}
    assert set(sessions) == {"cuc_member", "monitor"}
    assert result["errors"] == {"count": 0, "examples": []}
    assert result["leaks"]["count"] == 0, result["leaks"]["examples"]
    assert all(s["changes"] >= 3 and s["headline_checks"] >= 1
               for s in sessions.values()), sessions
    assert sessions["cuc_member"]["name_checks"] >= 3
    assert result["latency_ms"]["n"] == result["changes"] >= 6
    assert result["sign_in_ms"]["n"] == 2
