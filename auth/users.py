"""Users live in the warehouse's ``users`` table; passwords only as hashes (auth.passwords).

Every change that should take effect at once ends the user's sessions in the same
transaction: disabling them, changing their role or counties, setting or resetting their
password. A copied cookie of theirs is refused from then on, in every tab.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime

from sqlalchemy import Connection, select

from auth import passwords, sessions
from auth.policy import PolicyError, Principal, validate
from warehouse.schema import counties, users

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD_LENGTH = passwords.MIN_LENGTH


class UserError(ValueError):
    """A user command cannot be carried out; the message says why."""


def check_password_rules(password: str, username: str) -> None:
    found = passwords.problems(password, username)
    if found:
        raise UserError("; ".join(found))


def parse_counties(conn: Connection, text: str | None) -> tuple[str, ...]:
    """'3,002' -> ('002', '003'), checked against the counties table."""
    if not text:
        return ()
    codes = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit() or not 1 <= int(part) <= 47:
            raise UserError(f"{part!r} is not a county code (001 to 047)")
        codes.append(f"{int(part):03d}")
    known = set(conn.execute(select(counties.c.code)).scalars())
    missing = sorted(set(codes) - known)
    if missing:
        raise UserError(f"county codes not in the reference data: {', '.join(missing)}")
    return tuple(sorted(set(codes)))


def _principal(row) -> Principal:
    return Principal(
        username=row.username,
        display_name=row.display_name,
        role=row.role,
        counties=tuple(c for c in row.counties.split(",") if c),
    )


def _checked(username: str, display_name: str, role: str, codes: tuple[str, ...]) -> Principal:
    principal = Principal(username=username, display_name=display_name, role=role, counties=codes)
    try:
        validate(principal)
    except PolicyError as exc:
        raise UserError(str(exc)) from None
    return principal


def add_user(
    conn: Connection,
    username: str,
    *,
    role: str,
    password: str,
    display_name: str | None = None,
    county_codes: tuple[str, ...] = (),
    must_change_password: bool = False,
) -> Principal:
    if not USERNAME.match(username):
        raise UserError(
            "a username is 3-64 characters: lower-case letters, digits, '.', '_' or '-'"
        )
    if conn.execute(select(users.c.id).where(users.c.username == username)).first():
        raise UserError(f"user {username!r} already exists")
    principal = _checked(username, display_name or username, role, county_codes)
    check_password_rules(password, username)
    now = datetime.now(UTC)
    conn.execute(
        users.insert().values(
            username=username,
            display_name=principal.display_name,
            password_hash=passwords.hash_password(password),
            role=role,
            counties=",".join(county_codes),
            active=True,
            must_change_password=must_change_password,
            created_at=now,
            updated_at=now,
        )
    )
    return principal


def _require(conn: Connection, username: str):
    row = conn.execute(select(users).where(users.c.username == username)).first()
    if row is None:
        raise UserError(f"no user {username!r}")
    return row


def _update(conn: Connection, username: str, **values) -> None:
    conn.execute(users.update().where(users.c.username == username)
                 .values(updated_at=datetime.now(UTC), **values))


def set_role(conn: Connection, username: str, role: str, county_codes: tuple[str, ...]) -> Principal:
    row = _require(conn, username)
    principal = _checked(username, row.display_name, role, county_codes)
    _update(conn, username, role=role, counties=",".join(county_codes))
    sessions.end_all(conn, username, "role_changed")
    return principal


def set_password(conn: Connection, username: str, password: str, *,
                 keep_session: str | None = None) -> None:
    """A new password chosen by its user (or set by an operator on the command line).

    Ends every session of the user except ``keep_session``: the one in which the user
    chose it."""
    _require(conn, username)
    check_password_rules(password, username)
    _update(conn, username, password_hash=passwords.hash_password(password),
            must_change_password=False)
    sessions.end_all(conn, username, "password_changed", keep=keep_session)


def temporary_password(username: str) -> str:
    """Random, 26 characters, easy to read out: three groups of eight; meets the rules."""
    while True:
        candidate = "-".join(secrets.token_urlsafe(6) for _ in range(3))
        if not passwords.problems(candidate, username):
            return candidate


def reset_password(conn: Connection, username: str) -> str:
    """An administrator's reset: a random temporary password, to be changed at the next
    sign-in. Returned once, to be handed over; never stored or logged in clear."""
    _require(conn, username)
    temporary = temporary_password(username)
    _update(conn, username, password_hash=passwords.hash_password(temporary),
            must_change_password=True)
    sessions.end_all(conn, username, "password_reset")
    return temporary


def rehash(conn: Connection, username: str, password: str) -> None:
    """Store an old-scheme hash in the current scheme, after a successful check."""
    conn.execute(users.update().where(users.c.username == username)
                 .values(password_hash=passwords.hash_password(password)))


def set_active(conn: Connection, username: str, active: bool) -> None:
    _require(conn, username)
    _update(conn, username, active=active)
    if not active:
        sessions.end_all(conn, username, "user_disabled")


def end_sessions(conn: Connection, username: str) -> int:
    _require(conn, username)
    return sessions.end_all(conn, username, "admin")


def sign_in_record(conn: Connection, username: str):
    """What a sign-in needs to know about ``username``: None when unknown."""
    return conn.execute(
        select(users.c.username, users.c.password_hash, users.c.active,
               users.c.must_change_password).where(users.c.username == username)
    ).first()


def must_change_password(conn: Connection, username: str) -> bool:
    return bool(conn.execute(select(users.c.must_change_password)
                             .where(users.c.username == username)).scalar())


def list_users(conn: Connection) -> list:
    return list(conn.execute(select(users).order_by(users.c.username)))


def active_principal(conn: Connection, username: str) -> Principal | None:
    """The user as the warehouse says now, or None when unknown or disabled."""
    row = conn.execute(
        select(users).where(users.c.username == username, users.c.active.is_(True))
    ).first()
    return _principal(row) if row else None


def credentials(conn: Connection) -> dict:
    """Active users in the shape streamlit-authenticator expects, without their hashes:
    Haki checks passwords itself (auth.login), so the authenticator could not sign anyone
    in on its own even if its check were reached."""
    rows = conn.execute(
        select(users.c.username, users.c.display_name, users.c.role).where(
            users.c.active.is_(True)
        )
    )
    return {
        "usernames": {
            r.username: {
                "name": r.display_name,
                "password": "",
                "email": None,
                "roles": [r.role],
            }
            for r in rows
        }
    }
