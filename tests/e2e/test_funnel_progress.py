"""The funnel and case progress pages in a real browser: what a CUC member and a project
manager see (and the README's screenshots), and that a monitor typing the URL sees none."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e import browse

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("HAKI_SCREENSHOTS_DIR")
PAGES = {"funnel": "Prosecution funnel", "progress": "Case progress"}


def _open(new_context, base, engine, username, height=1100):
    page = new_context(viewport={"width": 1400, "height": height}).new_page()
    browse.sign_in(page, base, username, browse.demo_password(engine, username))
    return page


def _charts_drawn(page) -> None:
    page.locator("[data-testid='stVegaLiteChart'] canvas, "
                 "[data-testid='stVegaLiteChart'] svg").first.wait_for(timeout=browse.WAIT)


def _whole_page_shot(page, path: Path) -> None:
    """Streamlit scrolls inside its main block, so a full-page screenshot would stop at the
    window: make the window as tall as the page first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tall = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": int(tall) + 40})
    page.wait_for_timeout(2000)  # screenshots only: the charts redraw at the new size
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1100})


def _main_text(page) -> str:
    return page.locator("[data-testid='stMain']").first.inner_text()


@pytest.mark.parametrize("username", ["demo-cuc-kilifi", "demo-manager"])
def test_the_pages_read_well(new_context, demo_server, username):
    base, engine = demo_server
    page = _open(new_context, base, engine, username)
    for page_id, title in PAGES.items():
        page.get_by_role("link", name=title).click()
        page.get_by_role("heading", name=title).wait_for(timeout=browse.WAIT)
        _charts_drawn(page)
        body = _main_text(page)
        for code in ("investigation_opened", "closed_no_further_action", "under_6_months",
                     "prosecution_not_ready", "in_camera", "psychosocial"):
            assert code not in body, (page_id, code)
        if username == "demo-cuc-kilifi":
            assert "Kilifi" in body and "Mombasa" not in body
        if SHOTS:
            _whole_page_shot(page, Path(SHOTS) / f"{page_id}-{username}.png")
    # The activity view says what it counts, and draws no funnel beside it.
    page.get_by_role("link", name=PAGES["funnel"]).click()
    page.get_by_role("heading", name=PAGES["funnel"]).wait_for(timeout=browse.WAIT)
    page.get_by_text("Activity", exact=True).click()
    page.get_by_role("heading", name="Stage events in the period").wait_for(timeout=browse.WAIT)
    page.get_by_text("Activity view").first.wait_for(timeout=browse.WAIT)
    body = _main_text(page)
    assert "Activity view" in body and "How far the cases have come" not in body
    if SHOTS and username == "demo-manager":
        _charts_drawn(page)
        _whole_page_shot(page, Path(SHOTS) / f"funnel-activity-{username}.png")


@pytest.mark.parametrize("username", ["demo-monitor", "demo-admin"])
def test_a_monitor_or_admin_typing_the_url_sees_no_data(new_context, demo_server, username):
    base, engine = demo_server
    page = _open(new_context, base, engine, username)
    for page_id, title in PAGES.items():
        page.goto(f"{base}/{page_id}")
        # Not in their navigation: Streamlit shows their first page instead.
        page.get_by_role("heading", name="Overview").wait_for(timeout=browse.WAIT)
        assert page.get_by_role("heading", name=title).count() == 0
        assert "Still open" not in _main_text(page) and "Adjourn" not in _main_text(page)
