"""Sign-in attempts against a real warehouse (both backends): lockout, throttle, the same
answer and the same work for an unknown user and a wrong password, and what is recorded."""

from datetime import timedelta

import bcrypt
import pytest
from sqlalchemy import event, select, update

from auth import signin, users
from warehouse.config import load_settings
from warehouse.schema import audit_log, sign_in_attempts

RIGHT = "the right long password"
KEY = "k" * 40


@pytest.fixture
def warehouse(empty_warehouse, tmp_path):
    with empty_warehouse.begin() as conn:
        users.add_user(conn, "amina", role="monitor", password=RIGHT)
        users.add_user(conn, "bakari", role="monitor", password=RIGHT)
    settings = load_settings({"HAKI_SECRETS_FILE": str(tmp_path / "none.toml"),
                              "HAKI_COOKIE_KEY": KEY})
    return empty_warehouse, settings


def _try(warehouse, username, password, client="198.51.100.1"):
    engine, settings = warehouse
    return signin.attempt(engine, settings, username, password, client)


def _age(engine, minutes):
    """Move every recorded attempt ``minutes`` into the past (as if time had passed)."""
    with engine.begin() as conn:
        for row in conn.execute(select(sign_in_attempts.c.id, sign_in_attempts.c.at)).all():
            conn.execute(update(sign_in_attempts).where(sign_in_attempts.c.id == row.id)
                         .values(at=row.at - timedelta(minutes=minutes)))


def test_five_failures_lock_the_account_and_the_right_password_is_refused_until_it_ends(
        warehouse):
    engine, _ = warehouse
    results = [_try(warehouse, "amina", f"wrong guess number {i}").result for i in range(5)]
    assert results == ["failure"] * 4 + ["locked"]  # the fifth failure locks
    locked = _try(warehouse, "amina", RIGHT)
    assert locked.result == "locked" and "locked until" in locked.message()
    assert _try(warehouse, "bakari", RIGHT).ok  # other accounts are not affected
    _age(engine, 14)
    assert _try(warehouse, "amina", RIGHT).result == "locked"  # 14 minutes on: still locked
    _age(engine, 2)
    assert _try(warehouse, "amina", RIGHT).ok  # past 15 minutes: the lock is over


def test_failures_spread_over_more_than_the_window_do_not_lock(warehouse):
    engine, _ = warehouse
    for _ in range(4):
        assert _try(warehouse, "amina", "a wrong long password").result == "failure"
    _age(engine, 16)
    assert _try(warehouse, "amina", "a wrong long password").result == "failure"
    assert _try(warehouse, "amina", RIGHT).ok


def test_a_successful_sign_in_starts_the_count_again(warehouse):
    for _ in range(4):
        _try(warehouse, "amina", "a wrong long password")
    assert _try(warehouse, "amina", RIGHT).ok
    assert _try(warehouse, "amina", "a wrong long password").result == "failure"


def test_an_unknown_user_gets_the_same_answer_and_locks_the_same_way(warehouse):
    unknown = _try(warehouse, "nobody-here", "a wrong long password")
    wrong = _try(warehouse, "amina", "a wrong long password")
    assert unknown.message() == wrong.message() == signin.MESSAGES["failure"]
    for _ in range(3):
        _try(warehouse, "nobody-here", "a wrong long password")
    assert _try(warehouse, "nobody-here", "a wrong long password").result == "locked"


def test_a_disabled_user_with_the_right_password_is_refused_like_anyone(warehouse):
    engine, _ = warehouse
    with engine.begin() as conn:
        users.set_active(conn, "amina", False)
    assert _try(warehouse, "amina", RIGHT).message() == signin.MESSAGES["failure"]


def test_one_client_failing_too_often_is_paused_whatever_the_account(warehouse):
    engine, settings = warehouse
    for i in range(settings.client_failures):
        _try(warehouse, f"guess{i}", "a wrong long password", client="203.0.113.9")
    paused = _try(warehouse, "amina", RIGHT, client="203.0.113.9")
    assert paused.result == "throttled" and "network address" in paused.message()
    assert _try(warehouse, "amina", RIGHT, client="203.0.113.10").ok
    _age(engine, 16)
    assert _try(warehouse, "amina", RIGHT, client="203.0.113.9").ok


def test_the_record_names_known_users_only_and_never_what_was_typed(warehouse):
    engine, _ = warehouse
    typed_as_name = "my secret passphrase typed in the wrong box"
    _try(warehouse, typed_as_name, "a wrong long password")
    for i in range(5):
        _try(warehouse, "amina", f"guess {i} of amina's password")
    with engine.connect() as conn:
        audit = conn.execute(select(audit_log).order_by(audit_log.c.id)).all()
        attempts = conn.execute(select(sign_in_attempts)).all()
    stored = " ".join(f"{r.username} {r.detail}" for r in audit) + " ".join(
        f"{r.account_key} {r.client}" for r in attempts)
    assert typed_as_name not in stored and "guess" not in stored and RIGHT not in stored
    assert [(r.action, r.username) for r in audit] == (
        [("login_failed", None)] + [("login_failed", "amina")] * 4
        + [("account_locked", "amina"), ("login_failed", "amina")])
    assert "unknown username" in audit[0].detail


def test_an_unknown_user_and_a_wrong_password_do_the_same_work(warehouse, monkeypatch):
    """The same SQL statements and one bcrypt check of the same cost: so the same time,
    within noise (bench/sign_in_timing.py measures it through the browser)."""
    engine, _ = warehouse
    statements, checks = [], []
    real_check = bcrypt.checkpw
    monkeypatch.setattr(bcrypt, "checkpw", lambda pw, h: checks.append(h[:7]) or real_check(pw, h))

    def seen(conn, cursor, statement, *args):
        statements.append(statement.split("WHERE")[0])

    event.listen(engine, "before_cursor_execute", seen)
    try:
        work = {}
        for username in ("amina", "nobody-here"):
            statements.clear()
            checks.clear()
            _try(warehouse, username, "a wrong long password")
            work[username] = (list(statements), list(checks))
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert work["amina"] == work["nobody-here"]
    assert work["amina"][1] == [b"$2b$12$"]
