"""The administrator's pages and the audit trail, in the browser; and, last, a search of
everything the run wrote down for the secrets it used."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from startup.export import export
from tests.e2e import browse
from tests.e2e.conftest import COOKIE_KEY, SECRETS, TODAY
from tests.test_export import _settings
from warehouse.schema import audit_log, sessions, sign_in_attempts, users

pytestmark = pytest.mark.browser
TRAP = "**bold** <b>b</b> <img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>"


def _as_admin(new_context, demo_server):
    page = new_context(viewport={"width": 1400, "height": 1300}).new_page()
    browse.sign_in(page, demo_server.base, "demo-admin",
                   browse.demo_password(demo_server.engine, "demo-admin"))
    return page


def _choose(page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)  # narrows the list to the one option
    page.get_by_role("option", name=option, exact=True).click()


def test_an_administrator_adds_a_user_who_must_choose_a_password_and_can_be_signed_out(
        new_context, demo_server):
    """Add (the display name full of HTML, Markdown and script stays inert text), the
    temporary password changed at the first sign-in, then 'End sessions'."""
    base, engine = demo_server
    admin = _as_admin(new_context, demo_server)
    browse.open_page(admin, "Users")
    admin.get_by_role("heading", name="Users").wait_for(timeout=browse.WAIT)
    form = admin.locator("[data-testid='stForm']").filter(has_text="Add the user")
    form.get_by_role("textbox", name="Username").fill("e2e-html-name")
    form.get_by_role("textbox", name="Display name").fill(TRAP)
    form.get_by_role("button", name="Add the user").click()
    browse.sees(admin, "Temporary password for e2e-html-name")
    temporary = admin.locator("[data-testid='stCode'] code").first.inner_text().strip()
    SECRETS.add(temporary)
    browse.screenshot(admin, "users", ready="[data-testid='stDataFrame'] canvas")

    person = new_context().new_page()
    person.goto(base)
    browse.submit(person, "e2e-html-name", temporary)
    browse.sees(person, "Choose a new password")
    for weak, why in (("password1234", "most common"), ("short", "at least 12")):
        person.get_by_role("textbox", name="New password", exact=True).fill(weak)
        person.get_by_role("textbox", name="New password, again").fill(weak)
        person.get_by_role("button", name="Save the new password").click()
        browse.sees(person, why)
    chosen = "a passphrase chosen by the person"
    SECRETS.add(chosen)
    person.get_by_role("textbox", name="New password", exact=True).fill(chosen)
    person.get_by_role("textbox", name="New password, again").fill(chosen)
    person.get_by_role("button", name="Save the new password").click()
    person.get_by_role("heading", name="Overview").wait_for(timeout=browse.WAIT)
    sidebar = person.locator("[data-testid='stSidebar']")
    assert TRAP in sidebar.inner_text()  # shown as typed, not rendered
    assert person.evaluate("window.__pwned") is None
    assert sidebar.locator("b, img, script").count() == 0

    _choose(admin, "User", "e2e-html-name")
    admin.get_by_role("button", name="End sessions").click()
    browse.sees(admin, "End sessions: done.")
    browse.click_next(person)
    browse.signed_out_with(person, "An administrator ended your session")


def test_the_audit_page_shows_what_happened_and_downloads_it(new_context, demo_server):
    base, engine = demo_server
    # Things to find on it, made here so that this test stands alone too.
    stranger = new_context().new_page()
    stranger.goto(base)
    browse.submit(stranger, "demo-manager", "a wrong passphrase here")
    browse.sees(stranger, "do not match")
    forged = browse.with_cookie(new_context(), base, "forged.cookie.value").new_page()
    forged.goto(base)
    browse.signed_out_with(forged, "no longer valid")

    admin = _as_admin(new_context, demo_server)
    browse.open_page(admin, "Audit log")
    admin.get_by_role("heading", name="Audit log").wait_for(timeout=browse.WAIT)
    browse.sees(admin, "entries, newest first")
    browse.screenshot(admin, "audit", ready="[data-testid='stDownloadButton'] button")
    with admin.expect_download(timeout=browse.WAIT) as info:
        admin.locator("[data-testid='stDownloadButton'] button").click()
    body = open(info.value.path(), "rb").read()
    demo_server.downloads.append(body)
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    seen = {(r["User"], r["Action"]) for r in rows}
    assert {("demo-manager", "login_failed"), ("", "cookie_refused"), ("demo-admin", "login"),
            ("demo-admin", "page_view")} <= seen
    def stored_rows():
        # Newest first means by the time the event happened, as the page says; not by id:
        # two sessions' rows can be numbered in the other order (the time is taken before
        # the insert waits for the write lock), as seen when this run's earlier sessions
        # were still writing page views.
        with engine.connect() as conn:
            return [(r.username or "", r.action) for r in conn.execute(
                select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc()))]

    # The download is put on the trail by the run its click starts.
    browse.until(lambda: ("demo-admin", "download") in stored_rows())
    stored = stored_rows()
    # The page showed the whole (short) log of this run as it was when it was drawn; the
    # download itself, and anything after, came later.
    newer = len(stored) - len(rows)
    assert [(r["User"], r["Action"]) for r in rows] == stored[newer:]
    assert ("demo-admin", "download") in stored[:newer]
    now = datetime.now(UTC).replace(tzinfo=None)
    for r in rows:  # UTC: within the run, never a local clock's hours away
        assert timedelta(0) <= now - datetime.fromisoformat(r["When (UTC)"]) < timedelta(hours=1)
    views = [json.loads(r["Details"]) for r in rows if r["Action"] == "page_view"]
    assert any(v["page"] == "audit" and v["choices"]["user"] == "(everyone)" for v in views)


def test_no_password_token_or_key_is_written_anywhere(demo_server):
    """Runs last: the audit log, every table of sign-ins and sessions, the server's log,
    every file downloaded in this run and a manage.py export hold none of the secrets
    the run typed, read or configured."""
    engine = demo_server.engine
    exported = export(_settings(engine), page="overview", username="demo-manager",
                      as_of=TODAY.isoformat(), fmt="csv")
    with engine.connect() as conn:
        written = [" ".join(str(v) for v in row) for table in (audit_log, sessions,
                                                              sign_in_attempts, users)
                   for row in conn.execute(select(table))]
    haystacks = {"database": "\n".join(written),
                 "server log": demo_server.log.read_text(errors="replace"),
                 "downloads": b"\n".join(demo_server.downloads).decode(errors="replace"),
                 "export": exported.decode()}
    assert COOKIE_KEY in SECRETS and len(SECRETS) > 5
    found = {(where, secret[:6] + "…") for where, text in haystacks.items()
             for secret in SECRETS if secret in text}
    assert found == set()
    assert haystacks["downloads"] and haystacks["server log"]
