"""What a person does in the browser, and what they see, for the browser tests.

Every wait is for a condition (a heading, a message, a cookie), never for a while: the
sign-in page draws no component that reports back later, and a sign-in shows the pages
only on the run started once the browser holds its cookie (auth/login.py), so when a
heading or message is visible the app is not about to rerun by itself.
"""

from __future__ import annotations

import itertools
import os
import re
import time
from pathlib import Path

from sqlalchemy import Engine

from auth import users
from startup.demo_accounts import listed
from tests.e2e.conftest import COOKIE_NAME, SECRETS

WAIT = 30_000  # ms: generous for a loaded 2-core machine; passing never takes this long
_names = itertools.count(1)


def demo_password(engine: Engine, username: str) -> str:
    password = next(a["password"] for a in listed(engine) if a["username"] == username)
    SECRETS.add(password)
    return password


def new_user(engine: Engine, role: str = "project_manager", counties: tuple[str, ...] = (),
             display_name: str | None = None) -> tuple[str, str]:
    """A fresh account for one test, so no test depends on another's lockouts or changes."""
    username, password = f"e2e-user-{next(_names)}", f"e2e passphrase {next(_names)} of the run"
    with engine.begin() as conn:
        users.add_user(conn, username, role=role, password=password, county_codes=counties,
                       display_name=display_name)
    SECRETS.add(password)
    return username, password


def sign_in_form(page) -> None:
    page.get_by_role("textbox", name="Username").wait_for(timeout=WAIT)


def submit(page, username: str, password: str) -> None:
    SECRETS.add(password)
    sign_in_form(page)
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def finished(page) -> None:
    """The run that drew what the test just saw has finished (Streamlit marks the app
    'notRunning'). Called once something only that run draws is visible, so it cannot
    pass before the run: a heading shows while the rest of the page is still drawn."""
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        timeout=WAIT)


def sign_in(page, base: str, username: str, password: str, heading: str = "Overview") -> str:
    """Signs in on a fresh page; returns the cookie's token once the browser holds it."""
    page.goto(base)
    submit(page, username, password)
    page.get_by_role("heading", name=heading).wait_for(timeout=WAIT)
    finished(page)
    return cookie(page.context)


def cookie(context) -> str:
    """The sign-in cookie's token (already set: the pages show only once it is)."""
    tokens = [c["value"] for c in context.cookies() if c["name"] == COOKIE_NAME]
    assert tokens, "the browser holds no sign-in cookie"
    SECRETS.add(tokens[0])
    return tokens[0]


def has_cookie(context) -> bool:
    return COOKIE_NAME in [c["name"] for c in context.cookies()]


def with_cookie(context, base: str, token: str):
    context.add_cookies([{"name": COOKIE_NAME, "value": token, "url": base,
                          "sameSite": "Strict"}])
    return context


def sees(page, text: str | re.Pattern) -> None:
    page.get_by_text(text).first.wait_for(timeout=WAIT)


def signed_out_with(page, reason: str | re.Pattern) -> None:
    """The sign-in page, saying why; and, once the run that drew it has finished (and
    taken away what the page showed before), nothing a signed-in person would see."""
    sees(page, reason)
    sign_in_form(page)
    finished(page)
    assert page.get_by_role("heading", name="Overview").count() == 0
    assert page.locator('[data-testid="stMetric"]').count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.content()


def click_next(page) -> None:
    """A person's next click on the overview: one step of the period slider, or for a
    summaries-only reader (no slider) the next period in the list."""
    slider, period = page.get_by_role("slider"), page.get_by_role("combobox", name="Period")
    slider.or_(period).first.wait_for(timeout=WAIT)
    if slider.count():
        slider.first.press("ArrowRight")
        return
    period.click()
    page.get_by_role("option").nth(1).click()


def open_page(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()


def metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def screenshot(page, name: str, *, ready: str | None = None) -> None:
    """The whole page (HAKI_SCREENSHOTS_DIR only), once ``ready`` (a selector) is drawn.
    Streamlit scrolls inside its main block: the window is made as tall as the page."""
    shots = os.environ.get("HAKI_SCREENSHOTS_DIR")
    if not shots:
        return
    if ready:
        page.locator(ready).last.wait_for(timeout=WAIT)
    Path(shots).mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    tall = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], tall + 40)})
    if ready:
        page.locator(ready).last.wait_for(timeout=WAIT)
    page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=True)
    page.set_viewport_size(size)


def until(condition, timeout: float = WAIT / 1000) -> None:
    """Poll a condition outside the page (a database row, a cookie) until it holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition never held")
        time.sleep(0.05)
