"""Sign in through the real form, in a real browser, and read the overview; sign out."""

from __future__ import annotations

from datetime import date

import pytest

from auth.policy import Principal, scope_for
from core.periods import period_bounds, quarters_until
from core.scope import Filters
from figures.overview import headline
from startup.demo_accounts import listed
from tests.e2e import browse
from tests.e2e.conftest import TODAY

pytestmark = pytest.mark.browser


def _default_filters(counties=None):
    qs = quarters_until(TODAY)
    start, end = period_bounds(qs[-4], qs[-1], TODAY)
    return Filters(start, end, counties, as_of=TODAY)


def expected_cases(engine, username) -> str:
    account = next(a for a in listed(engine) if a["username"] == username)
    principal = Principal(username, "", account["role"], tuple(account["counties"]))
    scope = scope_for(principal)
    # A summaries-only reader opens on the newest completed quarter, all counties.
    filters = (Filters(date(2026, 7, 1), date(2026, 9, 30), as_of=TODAY)
               if scope.aggregate_only else _default_filters())
    table = headline(engine, scope, filters)
    want = table.filter(table["measure"] == "cases_reported")["current"].item()
    return f"{want:,}" if want is not None else "Withheld"


@pytest.mark.parametrize("username", ["demo-cuc-kilifi", "demo-manager", "demo-monitor"])
def test_sign_in_and_see_the_overview(new_context, demo_server, username):
    base, engine = demo_server
    page = new_context(viewport={"width": 1400, "height": 1700}).new_page()
    page.goto(base)
    browse.sees(page, "Demo accounts")
    browse.sees(page, "Synthetic demo data")
    browse.sign_in(page, base, username, browse.demo_password(engine, username))
    assert browse.metric(page, "Cases reported") == expected_cases(engine, username)
    browse.sees(page, "Synthetic demo data")
    if username == "demo-cuc-kilifi":
        body = page.locator("[data-testid='stMain']").first.inner_text()
        assert "Kilifi" in body and "Mombasa" not in body
    # The chart has drawn once its canvas or SVG is on the page.
    page.locator("[data-testid='stVegaLiteChart'] canvas, "
                 "[data-testid='stVegaLiteChart'] svg").first.wait_for(timeout=browse.WAIT)
    browse.screenshot(page, f"overview-{username}",
                      ready="[data-testid='stVegaLiteChart'] canvas, "
                            "[data-testid='stVegaLiteChart'] svg")


def test_wrong_password_is_refused(new_context, demo_server):
    page = new_context().new_page()
    page.goto(demo_server.base)
    browse.submit(page, "demo-manager", "not-the-password-at-all")
    browse.sees(page, "do not match an active account")
    assert page.get_by_role("heading", name="Overview").count() == 0


def test_sign_out_survives_an_immediate_reload(new_context, demo_server):
    """The bug of issue 5: signing out and reloading at once used to sign the person back
    in about half the time (the cookie was deleted by JavaScript after the page answered,
    and a reload in between sent the old, still valid cookie). The server now ends the
    session itself, so the old cookie is refused however fast the reload comes."""
    base, engine = demo_server
    context = new_context()
    page = context.new_page()
    page.goto(base)
    browse.sign_in_form(page)
    browse.screenshot(page, "sign-in", ready="[data-testid='stDataFrame'] canvas")
    browse.sign_in(page, base, "demo-cuc-kwale", browse.demo_password(engine, "demo-cuc-kwale"))
    page.get_by_role("button", name="Sign out").click()
    browse.sees(page, "You have signed out.")
    assert browse.has_cookie(context)  # still in the browser: nothing deleted it yet
    page.reload()  # at once, as a person pressing F5 would
    browse.signed_out_with(page, "You are signed out")
    # That page load's handshake also took the dead cookie away.
    browse.until(lambda: not browse.has_cookie(context))
    page.reload()
    browse.sign_in_form(page)
    assert page.get_by_role("heading", name="Overview").count() == 0


# Every element of the main column, top to bottom, with its height: the demo banner must be
# the first element and be followed directly by the page's content: no empty element (a
# component's iframe, an empty container) draws a blank band before or after it.
_MAIN_BLOCKS = """() => [...document.querySelectorAll(
    '[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] > div')]
    .filter(e => e.getBoundingClientRect().height > 0)
    .map(e => [e.querySelector('[data-testid]')?.getAttribute('data-testid') || e.className,
               Math.round(e.getBoundingClientRect().height), e.innerText.trim().length])"""


def test_no_blank_band_around_the_demo_banner(new_context, demo_server):
    base, engine = demo_server
    page = new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(base)
    browse.sign_in_form(page)
    browse.finished(page)
    blocks = page.evaluate(_MAIN_BLOCKS)
    assert blocks[0][0] == "stAlert" and blocks[1][0] == "stForm", blocks
    browse.sign_in(page, base, "demo-manager", browse.demo_password(engine, "demo-manager"))
    blocks = page.evaluate(_MAIN_BLOCKS)
    assert [b[0] for b in blocks[:2]] == ["stAlert", "stHeading"], blocks
