"""Guessing passwords in the browser: the same answer for an unknown user and a wrong
password, and an account locked after five failures, the right password included."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.e2e import browse
from warehouse.schema import sign_in_attempts

pytestmark = pytest.mark.browser
FAILURE = "That username and password do not match an active account."


def _answer(page, username, password) -> str:
    """What the page says to one attempt (the error under the form)."""
    browse.submit(page, username, password)
    error = page.locator('[data-testid="stAlertContentError"]').first
    error.wait_for(timeout=browse.WAIT)
    text = error.inner_text().strip()
    page.goto(page.url)  # a fresh form for the next attempt
    return text


def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(new_context, demo_server):
    base, engine = demo_server
    username, _ = browse.new_user(engine)
    page = new_context().new_page()
    page.goto(base)
    assert _answer(page, "no-such-person", "a wrong passphrase") == FAILURE
    assert _answer(page, username, "a wrong passphrase") == FAILURE


def test_the_sixth_attempt_is_refused_even_with_the_right_password_until_the_lock_ends(
        new_context, demo_server):
    base, engine = demo_server
    username, password = browse.new_user(engine)
    page = new_context().new_page()
    page.goto(base)
    answers = [_answer(page, username, f"wrong guess number {i}") for i in range(5)]
    assert answers[:4] == [FAILURE] * 4
    assert "locked until" in answers[4]
    assert "locked until" in _answer(page, username, password)  # the right one: refused
    assert page.get_by_role("heading", name="Overview").count() == 0
    # Fifteen minutes later (the attempts moved back in the database, as the clock would).
    with engine.begin() as conn:
        for row in conn.execute(select(sign_in_attempts)).all():
            conn.execute(update(sign_in_attempts).where(sign_in_attempts.c.id == row.id)
                         .values(at=row.at - timedelta(minutes=16)))
    browse.sign_in(page, base, username, password)
