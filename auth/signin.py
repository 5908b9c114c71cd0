"""One sign-in attempt, decided: lockout, throttle, password, audit. No Streamlit here.

Every attempt does the same work whatever its outcome: the same reads, one bcrypt
check of the usual cost (against a dummy hash when the user is unknown, disabled,
locked or throttled), the same writes. So an unknown user and a wrong password get the
same answer in the same time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from auth import attempts, audit, passwords, users
from auth.sessions import now

MESSAGES = {
    "failure": "That username and password do not match an active account.",
    "locked": "Too many failed sign-ins for this account: it is locked until {until} UTC. "
              "Ask an administrator if you need in sooner.",
    "throttled": "Too many failed sign-ins from your network address: try again after "
                 "{until} UTC.",
}


@dataclass(frozen=True)
class Outcome:
    result: str  # one of attempts.OUTCOMES
    username: str | None  # set only for an existing account
    until: datetime | None = None  # when a lock or pause ends

    @property
    def ok(self) -> bool:
        return self.result == "success"

    def message(self) -> str:
        if self.ok:
            return ""
        words = MESSAGES[self.result]
        return words.format(until=self.until.strftime("%H:%M") if self.until else "")


def attempt(engine: Engine, settings, typed_username: str, password: str,
            client: str) -> Outcome:
    """Check one attempt and put it on record (attempts table and audit log)."""
    rules = attempts.Rules.of(settings)
    account = attempts.account_key(settings.cookie_key, typed_username)
    username = typed_username.strip().lower()
    at = now()
    with engine.connect() as conn:
        user = users.sign_in_record(conn, username)
        paused = attempts.client_paused_until(conn, client, rules, at)
        locked = attempts.locked_until(conn, account, rules, at)
    stored = user.password_hash if user is not None and user.active else None
    if paused or locked:
        passwords.dummy_check(password)
        result = "throttled" if paused else "locked"
    else:
        result = "success" if passwords.verify(password, stored) else "failure"
    known = user.username if user is not None else None
    with engine.begin() as conn:
        attempts.record(conn, account, client, result, at)
        now_locked = attempts.locked_until(conn, account, rules, at)
        _audit(conn, result, known, client, locked or paused or now_locked)
        if result == "success" and passwords.needs_rehash(user.password_hash):
            users.rehash(conn, username, password)
    if result == "failure" and now_locked:
        return Outcome("locked", known, now_locked)
    return Outcome(result, known, paused or locked)


def _audit(conn, result: str, known: str | None, client: str,
           until: datetime | None) -> None:
    if result == "success":
        return  # the sign-in itself is recorded once its session exists (auth.login)
    detail = {"client": client}
    if known is None:
        detail["account"] = "unknown username"
    if result == "failure" and until is not None:
        audit.record(conn, "account_locked", known, until=until, **detail)
    action = {"failure": "login_failed", "locked": "login_refused_locked",
              "throttled": "login_throttled"}[result]
    audit.record(conn, action, known, **detail)
