"""The audit log: who did what, when (UTC). Details name pages, scopes, choices and
counts only: never a password, key, cookie, token, figure or source identifier.

Rows are only ever inserted: this module, the only writer, has no update or delete,
and nothing else in Haki writes to the table.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import polars as pl
from sqlalchemy import Connection, select

from warehouse.schema import audit_log

# Detail keys that could carry a secret are refused outright, so a careless caller
# fails loudly in tests instead of writing one to the log.
FORBIDDEN_KEYS = ("password", "token", "cookie", "secret", "key", "hash")


class AuditError(ValueError):
    pass


def record(conn: Connection, action: str, username: str | None, **detail) -> None:
    bad = [k for k in detail if any(word in k.lower() for word in FORBIDDEN_KEYS)]
    if bad:
        raise AuditError(f"audit details may not hold {', '.join(bad)}")
    conn.execute(
        audit_log.insert().values(
            at=datetime.now(UTC),
            username=username,
            action=action,
            detail=json.dumps(detail, default=str, sort_keys=True),
        )
    )


def search(conn: Connection, *, username: str | None = None, action: str | None = None,
           first: date | None = None, last: date | None = None, limit: int = 5000) -> list:
    """Rows newest first; ``first``/``last`` are UTC days, both included."""
    stmt = select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
    if username:
        stmt = stmt.where(audit_log.c.username == username)
    if action:
        stmt = stmt.where(audit_log.c.action == action)
    if first:
        stmt = stmt.where(audit_log.c.at >= datetime.combine(first, time(), UTC))
    if last:
        stmt = stmt.where(audit_log.c.at < datetime.combine(last + timedelta(days=1), time(), UTC))
    return list(conn.execute(stmt.limit(limit)))


def actions(conn: Connection) -> list[str]:
    return list(conn.execute(select(audit_log.c.action).distinct()
                             .order_by(audit_log.c.action)).scalars())


def usernames(conn: Connection) -> list[str]:
    return list(conn.execute(select(audit_log.c.username).distinct()
                             .where(audit_log.c.username.is_not(None))
                             .order_by(audit_log.c.username)).scalars())


def table(rows: list) -> pl.DataFrame:
    """Rows as the audit page shows and downloads them: UTC times written out."""
    return pl.DataFrame({
        "When (UTC)": [_utc(r.at).strftime("%Y-%m-%d %H:%M:%S") for r in rows],
        "User": [r.username or "" for r in rows],
        "Action": [r.action for r in rows],
        "Details": [r.detail for r in rows],
    }, schema={"When (UTC)": pl.String, "User": pl.String, "Action": pl.String,
               "Details": pl.String})


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment
