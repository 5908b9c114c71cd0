"""Sessions end on the server: a copied cookie stops working at once, in every tab."""

from __future__ import annotations

import time
from datetime import timedelta

import jwt
import pytest
from sqlalchemy import select, update

from auth import sessions, users
from tests.e2e import browse
from tests.e2e.conftest import COOKIE_KEY
from warehouse.schema import sessions as sessions_table

pytestmark = pytest.mark.browser


def _replayed(new_context, base, token):
    """A fresh browser presenting a copied cookie."""
    page = browse.with_cookie(new_context(), base, token).new_page()
    page.goto(base)
    return page


def test_a_cookie_copied_before_sign_out_is_refused_after_it(new_context, demo_server):
    base, engine = demo_server
    username, password = browse.new_user(engine)
    page = new_context().new_page()
    token = browse.sign_in(page, base, username, password)
    # While the session is live the copy works: it is a real sign-in cookie.
    copy = _replayed(new_context, base, token)
    copy.get_by_role("heading", name="Overview").wait_for(timeout=browse.WAIT)
    page.get_by_role("button", name="Sign out").click()
    browse.sees(page, "You have signed out.")
    browse.signed_out_with(_replayed(new_context, base, token), "You are signed out")


@pytest.mark.parametrize(("change", "reason"), [
    (lambda c, u: users.set_password(c, u, "a brand new passphrase for this"),
     "Your password was changed"),
    (lambda c, u: users.reset_password(c, u), "An administrator reset your password"),
    (lambda c, u: (users.set_active(c, u, False), users.set_active(c, u, True)),
     "Your account was disabled"),
])
def test_a_cookie_copied_before_a_change_to_the_user_is_refused_after_it(
        new_context, demo_server, change, reason):
    base, engine = demo_server
    username, password = browse.new_user(engine)
    token = browse.sign_in(new_context().new_page(), base, username, password)
    with engine.begin() as conn:
        change(conn, username)
    browse.signed_out_with(_replayed(new_context, base, token), reason)


def test_signing_out_in_one_tab_signs_the_other_out_at_its_next_click(new_context, demo_server):
    base, engine = demo_server
    username, password = browse.new_user(engine)
    context = new_context()
    first = context.new_page()
    browse.sign_in(first, base, username, password)
    second = context.new_page()
    second.goto(base)  # the same browser: signed in by the cookie
    second.get_by_role("heading", name="Overview").wait_for(timeout=browse.WAIT)
    first.get_by_role("button", name="Sign out").click()
    browse.sees(first, "You have signed out.")
    browse.click_next(second)
    browse.signed_out_with(second, "You are signed out: you signed out here or in another tab")


def _token(payload, key=COOKIE_KEY, algorithm="HS256"):
    return jwt.encode(payload, key, algorithm=algorithm)


def _later(hours=1):
    return time.time() + hours * 3600


FORGED = {
    "garbage": lambda u: "not a token at all",
    "three dots": lambda u: "a.b.c",
    "alg none": lambda u: jwt.encode({"username": u, "exp_date": _later()}, None,
                                     algorithm="none"),
    "wrong key": lambda u: _token({"username": u, "exp_date": _later()}, key="x" * 40),
    # Signed with the real key (as if it had leaked) yet bound to no session: refused.
    "right key, no session": lambda u: _token({"username": u, "exp_date": _later()}),
    "payload a list": lambda u: _token({"username": [u], "exp_date": "tomorrow"}),
    "expired": lambda u: _token({"username": u, "exp_date": _later(-1)}),
}


def test_forged_malformed_and_expired_cookies_give_the_sign_in_page(new_context, demo_server):
    base, engine = demo_server
    username, _ = browse.new_user(engine)
    context = new_context()
    page = context.new_page()
    for kind, make in FORGED.items():
        context.clear_cookies()
        browse.with_cookie(context, base, make(username))
        page.goto(base)
        try:
            browse.signed_out_with(page, "no longer valid")
        except AssertionError as exc:
            raise AssertionError(f"cookie '{kind}': {exc}") from exc


def _move_back(engine, token, **columns):
    with engine.begin() as conn:
        row = conn.execute(select(sessions_table).where(
            sessions_table.c.token_hash == sessions.token_hash(token))).one()
        conn.execute(update(sessions_table).where(sessions_table.c.id == row.id).values(
            **{c: getattr(row, c) - delta for c, delta in columns.items()}))


@pytest.mark.parametrize(("moved", "reason"), [
    ({"last_seen_at": timedelta(minutes=31)}, "after 30 minutes without activity"),
    ({"started_at": timedelta(hours=12, minutes=1)}, "a sign-in lasts at most 12 hours"),
])
def test_an_open_tab_is_signed_out_at_its_next_click_when_the_session_is_over(
        new_context, demo_server, moved, reason):
    """Idle timeout and absolute lifetime, checked on every click: the session's times are
    moved back in the database, as the clock would move them. Its cookie is refused
    afterwards too, with the same reason."""
    base, engine = demo_server
    username, password = browse.new_user(engine)
    page = new_context().new_page()
    token = browse.sign_in(page, base, username, password)
    _move_back(engine, token, **moved)
    browse.click_next(page)
    browse.signed_out_with(page, reason)
    browse.signed_out_with(_replayed(new_context, base, token), reason)
