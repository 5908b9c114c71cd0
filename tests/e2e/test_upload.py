"""The upload page end to end: a project manager chooses real files, reads the check,
loads the valid rows, and the warehouse holds them (a production-like warehouse, not
the demo one, which refuses to load)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from auth import users
from tests.e2e import browse
from tests.e2e.conftest import serve
from warehouse.engine import get_engine
from warehouse.migrate import init_warehouse
from warehouse.schema import audit_log, case_events, cases, ingest_batches

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("HAKI_SCREENSHOTS_DIR")
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "upload-page-password-1"
KEYS = {"HAKI_COOKIE_KEY": "e2e-cookie-key-0123456789abcdefghijkl",
        "HAKI_PSEUDONYM_KEY": "e2e-pseudonym-key-0123456789abcdefghij"}


@pytest.fixture(scope="module")
def real_server(tmp_path_factory, browser):
    url = "sqlite:///" + str(tmp_path_factory.mktemp("e2e-real") / "warehouse.db")
    engine = get_engine(url)
    init_warehouse(engine)
    with engine.begin() as conn:
        users.add_user(conn, "pm-upload", role="project_manager", password=PASSWORD,
                       display_name="Upload Tester")
    with serve(url, tmp_path_factory, **KEYS) as base:
        yield base, engine


def _files(tmp_path: Path) -> list[Path]:
    events = (ROOT / "docs" / "examples" / "case_events.csv").read_text().replace(
        "EX-C-0002,charged,2025-03-03", "EX-C-0002,charged,2025-03-33")
    (tmp_path / "case_events.csv").write_text(events)
    return [ROOT / "docs" / "examples" / "cases.csv", tmp_path / "case_events.csv"]


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def test_check_then_load_a_partly_valid_upload(browser, real_server, tmp_path):
    base, engine = real_server
    context = browser.new_context(viewport={"width": 1400, "height": 1750})
    page = context.new_page()
    browse.sign_in(page, base, "pm-upload", PASSWORD)

    page.get_by_role("link", name="Upload data").click()
    page.get_by_role("heading", name="Upload data").wait_for(timeout=30_000)
    page.locator("input[type=file]").set_input_files([str(p) for p in _files(tmp_path)])
    page.get_by_role("heading", name="Check").wait_for(timeout=60_000)
    page.get_by_text("Rejected rows, by rule").wait_for()
    notes = page.locator("[data-testid='stText']").filter(has_text="DROP columns")
    assert "cases.csv: DROP columns discarded unread: victim_name" in notes.first.inner_text()
    with engine.connect() as conn:  # checking wrote nothing
        assert conn.execute(select(func.count()).select_from(cases)).scalar() == 0
    _shot(page, "upload-check.png")

    page.get_by_text("Load the valid rows of files that have rejected rows").click()
    page.get_by_role("button", name="Load", exact=True).click()
    page.get_by_role("heading", name="Result").wait_for(timeout=60_000)
    page.get_by_text("Loaded. The dashboard's figures include").wait_for()
    _shot(page, "upload-loaded.png")

    with engine.connect() as conn:
        n_cases = conn.execute(select(func.count()).select_from(cases)).scalar()
        n_events = conn.execute(select(func.count()).select_from(case_events)).scalar()
        done = conn.execute(select(ingest_batches.c.template, ingest_batches.c.status,
                                   ingest_batches.c.uploaded_by, ingest_batches.c.rows_rejected)
                            .order_by(ingest_batches.c.id)).all()
        audited = [json.loads(d) for d in conn.execute(
            select(audit_log.c.detail).where(audit_log.c.action == "ingest")).scalars()]
    assert (n_cases, n_events) == (5, 17)
    assert done == [("cases", "loaded", "pm-upload", 0),
                    ("case_events", "partial", "pm-upload", 1)]
    assert [(a["source"], a["status"]) for a in audited] == [("upload page", "loaded"),
                                                            ("upload page", "partial")]
    context.close()
