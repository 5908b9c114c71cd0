"""Sign in through the real form, in a real browser, and read the overview."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from auth.policy import Principal, scope_for
from core.periods import period_bounds, quarters_until
from core.scope import Filters
from figures.overview import headline
from startup.demo_accounts import listed
from tests.e2e.conftest import TODAY

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("HAKI_SCREENSHOTS_DIR")


def _settle(page):
    """Wait until the script has finished running (the cookie component reruns it once)."""
    page.wait_for_timeout(500)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )


def _sign_in(page, base, username, password):
    page.goto(base)
    page.get_by_role("textbox", name="Username").wait_for(timeout=30_000)
    _settle(page)
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Overview").wait_for(timeout=30_000)
    _settle(page)


def _default_filters(counties=None):
    qs = quarters_until(TODAY)
    start, end = period_bounds(qs[-4], qs[-1], TODAY)
    return Filters(start, end, counties, as_of=TODAY)


def _metric(page, label):
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


@pytest.mark.parametrize("username", ["demo-cuc-kilifi", "demo-manager", "demo-monitor"])
def test_sign_in_and_see_the_overview(browser, demo_server, username):
    base, engine = demo_server
    account = next(a for a in listed(engine) if a["username"] == username)
    context = browser.new_context(viewport={"width": 1400, "height": 1700})
    page = context.new_page()
    page.goto(base)
    page.get_by_text("Demo accounts").wait_for(timeout=30_000)
    page.get_by_text("Synthetic demo data").first.wait_for()
    _sign_in(page, base, account["username"], account["password"])

    principal = Principal(username, "", account["role"], tuple(account["counties"]))
    scope = scope_for(principal)
    # A summaries-only reader opens on the newest completed quarter, all counties.
    filters = (Filters(date(2026, 7, 1), date(2026, 9, 30), as_of=TODAY)
               if scope.aggregate_only else _default_filters())
    expected = headline(engine, scope, filters)
    want = expected.filter(expected["measure"] == "cases_reported")["current"].item()
    shown = _metric(page, "Cases reported")
    assert shown == (f"{want:,}" if want is not None else "Withheld")
    page.get_by_text("Synthetic demo data").first.wait_for()
    if username == "demo-cuc-kilifi":
        body = page.locator("section.main, [data-testid='stMain']").first.inner_text()
        assert "Kilifi" in body and "Mombasa" not in body
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.wait_for_timeout(1500)  # let the chart finish drawing
        page.screenshot(path=str(Path(SHOTS) / f"overview-{username}.png"), full_page=True)
    context.close()


def test_wrong_password_is_refused(browser, demo_server):
    base, _ = demo_server
    page = browser.new_page()
    page.goto(base)
    page.get_by_role("textbox", name="Username").wait_for(timeout=30_000)
    _settle(page)
    page.get_by_role("textbox", name="Username").fill("demo-manager")
    page.get_by_role("textbox", name="Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text(re.compile("do not match an active account")).wait_for(timeout=30_000)
    assert page.get_by_role("heading", name="Overview").count() == 0
    page.close()


def test_sign_out_survives_a_reload(browser, demo_server):
    base, engine = demo_server
    account = next(a for a in listed(engine) if a["username"] == "demo-cuc-kwale")
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    page.goto(base)
    page.get_by_role("textbox", name="Username").wait_for(timeout=30_000)
    _settle(page)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / "sign-in.png"))
    _sign_in(page, base, account["username"], account["password"])
    assert "haki_auth" in [c["name"] for c in context.cookies()]
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("textbox", name="Username").wait_for(timeout=30_000)
    _settle(page)
    assert "haki_auth" not in [c["name"] for c in context.cookies()]
    page.reload()
    page.get_by_role("textbox", name="Username").wait_for(timeout=30_000)
    _settle(page)
    assert page.get_by_role("heading", name="Overview").count() == 0
    context.close()
