"""Server-side records of sign-ins, so that who was signed in, and when, is on file."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import Connection

from warehouse.schema import sessions


def start(conn: Connection, username: str) -> str:
    session_id = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    conn.execute(
        sessions.insert().values(
            id=session_id, username=username, started_at=now, last_seen_at=now
        )
    )
    return session_id


def touch(conn: Connection, session_id: str) -> None:
    conn.execute(
        sessions.update()
        .where(sessions.c.id == session_id, sessions.c.ended_at.is_(None))
        .values(last_seen_at=datetime.now(UTC))
    )


def end(conn: Connection, session_id: str, reason: str) -> None:
    conn.execute(
        sessions.update()
        .where(sessions.c.id == session_id, sessions.c.ended_at.is_(None))
        .values(ended_at=datetime.now(UTC), end_reason=reason)
    )
