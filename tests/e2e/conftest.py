"""A real Haki server on a demo warehouse, driven by Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from startup.firstrun import build_demo
from tests.conftest import DEMO_KEY, DEMO_UNTIL
from warehouse.engine import get_engine

# The browser tests' "today": the server runs with HAKI_TODAY pinned to it.
TODAY = DEMO_UNTIL
# The server's cookie key, known to the tests so that they can forge cookies with it.
COOKIE_KEY = "e2e-cookie-key-0123456789abcdef0123456789abcdef"

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("HAKI_CHROMIUM", "/usr/bin/chromium")
# Flags a sandboxed, offline machine needs (no first-run, no background fetches).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests need Playwright (pip install -r requirements-dev.txt)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory, browser):
    """`streamlit run server.py` on a fresh demo warehouse; yields (base_url, engine)."""
    url = "sqlite:///" + str(tmp_path_factory.mktemp("e2e") / "warehouse.db")
    build_demo(url, cases=int(os.environ.get("HAKI_E2E_CASES", "800")), seed=11, until=TODAY,
               pseudonym_key=DEMO_KEY)
    port = _free_port()
    env = {**os.environ, "HAKI_WAREHOUSE_URL": url, "HAKI_TODAY": TODAY.isoformat(),
           "HAKI_COOKIE_KEY": COOKIE_KEY,
           "HAKI_SECRETS_FILE": str(tmp_path_factory.mktemp("nosecrets") / "none.toml")}
    log = open(tmp_path_factory.mktemp("log") / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "server.py", "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError(f"streamlit did not start; see {log.name}")
        yield base, get_engine(url)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
