"""What an administrator does to accounts, each change audited in the same transaction.

Used by the Users page (actor: the signed-in administrator) and by ``manage.py users``
(actor: "manage.py"). Passwords an administrator hands over are random temporary ones,
returned once and to be changed at the next sign-in; they are never stored or logged in
clear.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, select

from auth import audit, sessions, users
from auth.policy import ROLE_LABELS
from warehouse.schema import counties


class SelfChangeError(users.UserError):
    pass


def _not_self(actor: str, target: str) -> None:
    if actor == target:
        raise SelfChangeError("administrators cannot change their own account here; ask "
                              "another administrator")


def add(conn: Connection, actor: str, username: str, *, role: str, display_name: str | None,
        county_codes: tuple[str, ...]) -> str:
    """A new account with a temporary password (returned), to be changed at first sign-in."""
    temporary = users.temporary_password(username)
    users.add_user(conn, username, role=role, password=temporary, display_name=display_name,
                   county_codes=county_codes, must_change_password=True)
    audit.record(conn, "user_add", actor, target=username, role=role, counties=list(county_codes))
    return temporary


def set_role(conn: Connection, actor: str, username: str, role: str,
             county_codes: tuple[str, ...]) -> None:
    _not_self(actor, username)
    users.set_role(conn, username, role, county_codes)
    audit.record(conn, "user_set_role", actor, target=username, role=role,
                 counties=list(county_codes))


def set_active(conn: Connection, actor: str, username: str, active: bool) -> None:
    _not_self(actor, username)
    users.set_active(conn, username, active)
    audit.record(conn, "user_enable" if active else "user_disable", actor, target=username)


def reset_password(conn: Connection, actor: str, username: str) -> str:
    _not_self(actor, username)
    temporary = users.reset_password(conn, username)
    audit.record(conn, "user_reset_password", actor, target=username)
    return temporary


def end_sessions(conn: Connection, actor: str, username: str) -> int:
    ended = users.end_sessions(conn, username)
    audit.record(conn, "user_end_sessions", actor, target=username, sessions_ended=ended)
    return ended


def table(conn: Connection, limits: sessions.Limits) -> pl.DataFrame:
    """The accounts as the Users page lists them (no hashes)."""
    rows = users.list_users(conn)
    names = dict(conn.execute(select(counties.c.code, counties.c.name)).all())
    return pl.DataFrame({
        "Username": [r.username for r in rows],
        "Name": [r.display_name for r in rows],
        "Role": [ROLE_LABELS.get(r.role, r.role) for r in rows],
        "Counties": [", ".join(names.get(c, c) for c in r.counties.split(",") if c) or "all"
                     for r in rows],
        "Active": [bool(r.active) for r in rows],
        "Must change password": [bool(r.must_change_password) for r in rows],
        "Signed-in browsers": [sessions.open_sessions(conn, r.username, limits) for r in rows],
    }, schema={"Username": pl.String, "Name": pl.String, "Role": pl.String,
               "Counties": pl.String, "Active": pl.Boolean, "Must change password": pl.Boolean,
               "Signed-in browsers": pl.Int64})
