"""A real Haki server on a demo warehouse, driven by Debian's Chromium through Playwright.

Every browser context the tests open through ``new_context`` records the requests the
browser makes; the test fails if one went anywhere but this server (fonts, icons and
the favicon included). Secrets a test types or reads (passwords, cookie tokens) are
noted in ``SECRETS`` so that the last test can search the audit log, the server log and
every download for them.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import Engine

from startup.firstrun import build_demo
from tests.conftest import DEMO_KEY, DEMO_UNTIL
from warehouse.engine import get_engine

# The browser tests' "today": the server runs with HAKI_TODAY pinned to it.
TODAY = DEMO_UNTIL
# The server's cookie key, known to the tests so that they can forge cookies with it.
COOKIE_KEY = "e2e-cookie-key-0123456789abcdef0123456789abcdef"
COOKIE_NAME = "haki_auth"

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("HAKI_CHROMIUM", "/usr/bin/chromium")
# Flags a sandboxed, offline machine needs (no first-run, no background fetches).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# Everything secret the run typed, read or configured: nothing may be written down.
SECRETS: set[str] = {COOKIE_KEY, DEMO_KEY}


@dataclass
class Server:
    base: str
    engine: Engine
    log: Path
    downloads: list[bytes] = field(default_factory=list)

    def __iter__(self):  # `base, engine = demo_server`
        return iter((self.base, self.engine))

    def __getitem__(self, i):  # `demo_server[0]`
        return (self.base, self.engine)[i]


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


@contextlib.contextmanager
def serve(url: str, tmp_path_factory, log_path: Path | None = None, **env):
    """`streamlit run server.py` on the warehouse at ``url``, "today" pinned and the cookie
    key known (COOKIE_KEY); yields its URL. Its output goes to ``log_path``."""
    port = _free_port()
    env = {**os.environ, "HAKI_WAREHOUSE_URL": url, "HAKI_TODAY": TODAY.isoformat(),
           "HAKI_COOKIE_KEY": COOKIE_KEY, "HAKI_PSEUDONYM_KEY": DEMO_KEY,
           "HAKI_SECRETS_FILE": str(tmp_path_factory.mktemp("nosecrets") / "none.toml"), **env}
    log_path = log_path or tmp_path_factory.mktemp("log") / "streamlit.log"
    log = open(log_path, "w")
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
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def server_settings_file(tmp_path_factory) -> Path:
    """The server's settings file (HAKI_SECRETS_FILE), absent at start. It is read on every
    page run, so a test may write a setting into it, and must remove it afterwards."""
    return tmp_path_factory.mktemp("nosecrets") / "settings.toml"


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory, browser, server_settings_file):
    """`streamlit run server.py` on a fresh demo warehouse."""
    url = "sqlite:///" + str(tmp_path_factory.mktemp("e2e") / "warehouse.db")
    build_demo(url, cases=int(os.environ.get("HAKI_E2E_CASES", "800")), seed=11, until=TODAY,
               pseudonym_key=DEMO_KEY)
    log_path = tmp_path_factory.mktemp("log") / "streamlit.log"
    with serve(url, tmp_path_factory, log_path,
               HAKI_SECRETS_FILE=str(server_settings_file)) as base:
        yield Server(base, get_engine(url), log_path)


def _elsewhere(url: str, base: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return False
    here, there = urlsplit(base), urlsplit(url)
    return (there.hostname, there.port) != (here.hostname, here.port)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_failed = report.failed  # read by new_context: keep what the pages showed
    return report


def _keep_pages(contexts, folder: Path) -> None:
    """A failed test's pages as the browser last drew them, to read beside the server's log."""
    folder.mkdir(parents=True, exist_ok=True)
    for c, context in enumerate(contexts):
        for p, page in enumerate(context.pages):
            with contextlib.suppress(Exception):  # a page that crashed has nothing to keep
                page.screenshot(path=str(folder / f"context{c}-page{p}.png"), full_page=True)


@pytest.fixture
def new_context(browser, demo_server, request, tmp_path_factory):
    """Opens browser contexts that note every request; fails the test if any request went
    anywhere but the Haki server. A failed test leaves screenshots of its pages under
    the test run's base folder (failed-<test>/)."""
    opened, outside = [], []

    def open_context(**options):
        context = browser.new_context(**{"viewport": {"width": 1400, "height": 1100}, **options})
        context.on("request", lambda r: outside.append(r.url)
                   if _elsewhere(r.url, demo_server.base) else None)
        opened.append(context)
        return context

    yield open_context
    if getattr(request.node, "call_failed", False):
        _keep_pages(opened, tmp_path_factory.getbasetemp() / f"failed-{request.node.name}")
    for context in opened:
        context.close()
    assert outside == [], f"the browser fetched from outside the server: {outside}"
