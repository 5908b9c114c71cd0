"""Server-side sessions: one row per signed-in browser, checked on every rerun.

The sign-in cookie holds a token that streamlit-authenticator signs (username and expiry
only). Haki binds that exact token to a row here by its SHA-256, so the row, not the
cookie, decides: a token whose row has ended (sign-out, an administrator, a change to
the user) or gone stale (idle timeout, absolute lifetime) is refused at once, in every
tab, whatever the browser still holds. The token itself is never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, select

from warehouse.schema import sessions, users

# Why a session ended, as stored in sessions.end_reason and the audit log.
END_REASONS = ("logout", "idle", "lifetime", "admin", "user_disabled", "role_changed",
               "password_changed", "password_reset", "account_invalid", "schema_upgrade")


@dataclass(frozen=True)
class Limits:
    idle: timedelta
    lifetime: timedelta

    @classmethod
    def of(cls, settings) -> Limits:
        return cls(idle=timedelta(minutes=settings.session_idle_minutes),
                   lifetime=timedelta(hours=settings.session_lifetime_hours))


def now() -> datetime:
    return datetime.now(UTC)


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything Haki stores is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(conn: Connection, username: str, token: str) -> str:
    session_id = secrets.token_urlsafe(32)
    moment = now()
    conn.execute(sessions.insert().values(
        id=session_id, username=username, started_at=moment, last_seen_at=moment,
        token_hash=token_hash(token)))
    return session_id


def problem(row, limits: Limits, at: datetime | None = None) -> str | None:
    """Why the session ``row`` may not be used at ``at``; None while it is live."""
    if row is None:
        return "unknown"
    if row.ended_at is not None:
        return row.end_reason or "ended"
    at = at or now()
    if at - _utc(row.started_at) >= limits.lifetime:
        return "lifetime"
    if at - _utc(row.last_seen_at) >= limits.idle:
        return "idle"
    return None


def _row(conn: Connection, session_id: str):
    return conn.execute(select(sessions).where(sessions.c.id == session_id)).first()


def check(conn: Connection, session_id: str | None, limits: Limits) -> str | None:
    """On every rerun: None and the session's last-seen time moved on, or why it is over
    (a session found stale is ended on the record with that reason)."""
    if not session_id:
        return "unknown"
    row = _row(conn, session_id)
    found = problem(row, limits)
    if found in ("idle", "lifetime"):
        end(conn, session_id, found)
    if found is None:
        conn.execute(sessions.update().where(sessions.c.id == session_id,
                                             sessions.c.ended_at.is_(None))
                     .values(last_seen_at=now()))
    return found


def resume(conn: Connection, token: str, limits: Limits) -> tuple[str | None, str | None]:
    """A cookie presented when a tab opens: (session id, None) when its session is live,
    else (None, why). Anything not issued by Haki (forged, malformed, ``alg=none``, from
    another server) matches no row and is 'unknown'; nothing here parses the token."""
    row = conn.execute(select(sessions).where(sessions.c.token_hash == token_hash(token))).first()
    found = problem(row, limits)
    if found in ("idle", "lifetime"):
        end(conn, row.id, found)
    return (row.id, None) if found is None else (None, found)


def live_username(conn: Connection, token: str, limits: Limits) -> str | None:
    """For requests outside a script run (downloads, metrics): the user whose live session
    ``token`` names, while that user is active; None otherwise. Changes nothing."""
    row = conn.execute(
        select(sessions, users.c.active)
        .join(users, users.c.username == sessions.c.username)
        .where(sessions.c.token_hash == token_hash(token))
    ).first()
    if row is None or not row.active or problem(row, limits) is not None:
        return None
    return row.username


def session_of(conn: Connection, token: str) -> str | None:
    return conn.execute(select(sessions.c.id)
                        .where(sessions.c.token_hash == token_hash(token))).scalar()


def end(conn: Connection, session_id: str, reason: str) -> None:
    conn.execute(
        sessions.update()
        .where(sessions.c.id == session_id, sessions.c.ended_at.is_(None))
        .values(ended_at=now(), end_reason=reason)
    )


def end_all(conn: Connection, username: str, reason: str, *, keep: str | None = None) -> int:
    """End every open session of ``username`` (except ``keep``); returns how many."""
    where = [sessions.c.username == username, sessions.c.ended_at.is_(None)]
    if keep:
        where.append(sessions.c.id != keep)
    return conn.execute(sessions.update().where(*where)
                        .values(ended_at=now(), end_reason=reason)).rowcount


def open_sessions(conn: Connection, username: str, limits: Limits) -> int:
    rows = conn.execute(select(sessions).where(sessions.c.username == username,
                                               sessions.c.ended_at.is_(None)))
    return sum(problem(r, limits) is None for r in rows)


def download_tag(session_id: str, key: str) -> str:
    """A per-session value for download file names: unguessable without the session, and
    checkable by the server for the browser holding it (startup.guard)."""
    digest = hmac.new(key.encode(), b"download:" + session_id.encode(), hashlib.sha256)
    return digest.hexdigest()[:16]
