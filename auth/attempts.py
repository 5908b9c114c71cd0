"""Lockout and throttling, kept in the warehouse so they hold across reruns, tabs and
processes.

- An account is locked for ``lockout_minutes`` once ``lockout_failures`` wrong passwords
  fall within ``lockout_window_minutes`` (since its last successful sign-in). While it is
  locked no password is checked, the right one included.
- A client address is paused once ``client_failures`` failed sign-ins (any account) fall
  within the same window, until the oldest of them leaves it.

Accounts are named by a keyed hash of the username as typed, so unknown usernames lock
exactly like real ones (the lock does not reveal which exist) and a password typed into
the username box is never stored.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, func, select

from warehouse.schema import sign_in_attempts as attempts

OUTCOMES = ("success", "failure", "locked", "throttled")


@dataclass(frozen=True)
class Rules:
    failures: int
    window: timedelta
    lock: timedelta
    client_failures: int

    @classmethod
    def of(cls, settings) -> Rules:
        return cls(failures=settings.lockout_failures,
                   window=timedelta(minutes=settings.lockout_window_minutes),
                   lock=timedelta(minutes=settings.lockout_minutes),
                   client_failures=settings.client_failures)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def account_key(secret: str, username: str) -> str:
    name = username.strip().casefold()
    return hmac.new(secret.encode(), b"account:" + name.encode(), hashlib.sha256).hexdigest()


def record(conn: Connection, account: str, client: str, outcome: str, at: datetime) -> None:
    conn.execute(attempts.insert().values(at=at, account_key=account, client=client[:64],
                                          outcome=outcome))


def locked_until(conn: Connection, account: str, rules: Rules, at: datetime) -> datetime | None:
    """When the account's lock ends, if it is locked at ``at``."""
    last_success = conn.execute(
        select(func.max(attempts.c.at)).where(attempts.c.account_key == account,
                                              attempts.c.outcome == "success")).scalar()
    since = at - rules.window - rules.lock
    if last_success is not None:
        since = max(since, _utc(last_success))
    failures = [_utc(t) for t in conn.execute(
        select(attempts.c.at).where(attempts.c.account_key == account,
                                    attempts.c.outcome == "failure", attempts.c.at > since)
        .order_by(attempts.c.at)).scalars()]
    until = None
    counted: list[datetime] = []
    for moment in failures:
        if until is not None and moment < until:
            continue  # written by another process while the lock already held
        counted = [t for t in counted if moment - t < rules.window] + [moment]
        if len(counted) >= rules.failures:
            until, counted = moment + rules.lock, []
    return until if until is not None and until > at else None


def client_paused_until(conn: Connection, client: str, rules: Rules,
                        at: datetime) -> datetime | None:
    """When the client address may try again, if it has failed too often lately."""
    recent = [_utc(t) for t in conn.execute(
        select(attempts.c.at).where(attempts.c.client == client[:64],
                                    attempts.c.outcome == "failure",
                                    attempts.c.at > at - rules.window)
        .order_by(attempts.c.at.desc()).limit(rules.client_failures)).scalars()]
    if len(recent) < rules.client_failures:
        return None
    return recent[-1] + rules.window
