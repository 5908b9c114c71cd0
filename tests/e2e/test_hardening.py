"""What a browser, or anyone on the network, can get from the server without the right
session: downloads, metrics, other roles' pages; and what the server sends back."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from auth.policy import Principal, scope_for
from figures.overview import headline
from tests.e2e import browse
from tests.e2e.test_sign_in import _default_filters, expected_cases

pytestmark = pytest.mark.browser


def _fetch(url: str, cookie: str | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def _download(page):
    """What a person does: open the first chart's data, wait for its button, click it.
    Without a download, the failure says what the browser did with /media and logged."""
    seen = []
    page.on("request", lambda r: seen.append(f"request {r.method} {r.url}")
            if "/media/" in r.url else None)
    page.on("response", lambda r: seen.append(f"response {r.status} {r.url}")
            if "/media/" in r.url else None)
    page.on("requestfailed", lambda r: seen.append(f"failed {r.failure} {r.url}")
            if "/media/" in r.url else None)
    page.on("console", lambda m: seen.append(f"console {m.type}: {m.text}"))
    page.get_by_text("The data behind this chart").first.click()
    button = page.locator("[data-testid='stDownloadButton'] button").first
    button.wait_for(state="visible", timeout=browse.WAIT)
    browse.finished(page)
    # The table above the button draws itself after the run (a canvas, sized once its
    # data is read), pushing the button down: on a loaded machine a click aimed at the
    # button's place a moment earlier lands on nothing (seen twice: no /media request at
    # all). A person clicks a button that has stopped moving; so does this test.
    button.scroll_into_view_if_needed(timeout=browse.WAIT)
    browse.until(lambda: _still(page, button))
    seen.append(f"clicking at {button.bounding_box()}; enabled: {button.is_enabled()}")
    try:
        with page.expect_download(timeout=browse.WAIT) as info:
            button.click(timeout=browse.WAIT)
        return info.value
    except PlaywrightTimeout as err:
        state = page.locator("[data-testid='stApp']").get_attribute("data-test-script-state")
        raise AssertionError(f"no download; script state {state}; button now at "
                             f"{button.bounding_box()}; {seen}") from err


def _still(page, element, wait_ms: int = 300) -> bool:
    """The element is where it was ``wait_ms`` ago."""
    before = element.bounding_box()
    page.wait_for_timeout(wait_ms)
    return before is not None and element.bounding_box() == before


def test_a_download_is_handed_only_to_the_session_that_made_it(new_context, demo_server):
    base, engine = demo_server
    kwale = new_context()
    page = kwale.new_page()
    token = browse.sign_in(page, base, "demo-cuc-kwale",
                           browse.demo_password(engine, "demo-cuc-kwale"))
    download = _download(page)
    body = open(download.path(), "rb").read()
    demo_server.downloads.append(body)
    assert body.startswith(b"Month,County") and b"Kwale" in body
    url = download.url
    assert "/media/" in url and download.suggested_filename.startswith("cases-reported-by-")
    # The browser that made it gets it; nobody else does.
    assert _fetch(url, f"haki_auth={token}")[0] == 200
    assert _fetch(url)[0] == 403  # no session at all
    other = browse.sign_in(new_context().new_page(), base, "demo-cuc-kilifi",
                           browse.demo_password(engine, "demo-cuc-kilifi"))
    status, _, leaked = _fetch(url, f"haki_auth={other}")
    assert status == 404 and b"Kwale" not in leaked  # signed in, but not the session
    page.get_by_role("button", name="Sign out").click()
    browse.sees(page, "You have signed out.")
    assert _fetch(url, f"haki_auth={token}")[0] == 403  # its session is over


def test_metrics_and_media_answer_only_a_live_session(new_context, demo_server):
    base, engine = demo_server
    assert _fetch(base + "/_stcore/metrics")[0] == 403
    assert _fetch(base + "/media/0123456789abcdef.csv")[0] == 403
    username, password = browse.new_user(engine)
    token = browse.sign_in(new_context().new_page(), base, username, password)
    assert _fetch(base + "/_stcore/metrics", f"haki_auth={token}")[0] == 200


def test_every_response_carries_the_security_headers(demo_server):
    for path in ("/", "/overview", "/_stcore/health"):
        status, headers, _ = _fetch(demo_server.base + path)
        headers = {k.lower(): v for k, v in headers.items()}
        assert status == 200
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "default-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["cache-control"] == "no-store"
        assert headers["referrer-policy"] == "no-referrer"
        assert "access-control-allow-origin" not in headers  # no cross-origin access


def test_a_cuc_member_typing_the_url_of_an_admin_page_sees_no_data(new_context, demo_server):
    base, engine = demo_server
    page = new_context().new_page()
    browse.sign_in(page, base, "demo-cuc-kilifi", browse.demo_password(engine, "demo-cuc-kilifi"))
    for path in ("users", "audit"):
        page.goto(f"{base}/{path}")
        page.get_by_role("heading", name="Overview").wait_for(timeout=browse.WAIT)
        text = page.locator("[data-testid='stMain']").inner_text()
        assert "demo-admin" not in text and "login_failed" not in text
        assert page.get_by_role("heading", name="Users").count() == 0
        assert page.get_by_role("heading", name="Audit log").count() == 0


def test_two_counties_at_once_never_get_each_others_figures(new_context, demo_server):
    """Two readers of different counties side by side on one server (one shared cache),
    each reloading in turn: each sees their own county's count, every time."""
    base, engine = demo_server
    pages = {}
    for username in ("demo-cuc-kilifi", "demo-cuc-kwale"):
        pages[username] = new_context().new_page()
        browse.sign_in(pages[username], base, username, browse.demo_password(engine, username))
    want = {u: expected_cases(engine, u) for u in pages}
    assert want["demo-cuc-kilifi"] != want["demo-cuc-kwale"]
    for username in ["demo-cuc-kwale", "demo-cuc-kilifi"] * 2:
        page = pages[username]
        page.reload()
        page.get_by_role("heading", name="Overview").wait_for(timeout=browse.WAIT)
        assert browse.metric(page, "Cases reported") == want[username]
    manager = scope_for(Principal("m", "", "project_manager"))
    everyone = headline(engine, manager, _default_filters())
    total = everyone.filter(everyone["measure"] == "cases_reported")["current"].item()
    assert f"{total:,}" not in want.values()  # neither saw the unscoped answer
