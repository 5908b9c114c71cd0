"""Users live in the warehouse's ``users`` table; passwords only as bcrypt hashes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import bcrypt
from sqlalchemy import Connection, select

from auth.policy import PolicyError, Principal, validate
from warehouse.schema import counties, users

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
MIN_PASSWORD_LENGTH = 12


class UserError(ValueError):
    """A user command cannot be carried out; the message says why."""


def hash_password(password: str) -> str:
    # Same format streamlit-authenticator's Hasher.hash() writes and its login checks.
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters long")
    if len(password.encode()) > 72:
        raise UserError("the password must be at most 72 bytes (a bcrypt limit)")
    if password.strip() != password:
        raise UserError("the password must not begin or end with spaces")


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
    enforce_password_rules: bool = True,
) -> Principal:
    if not USERNAME.match(username):
        raise UserError(
            "a username is 3-64 characters: lower-case letters, digits, '.', '_' or '-'"
        )
    if conn.execute(select(users.c.id).where(users.c.username == username)).first():
        raise UserError(f"user {username!r} already exists")
    principal = _checked(username, display_name or username, role, county_codes)
    if enforce_password_rules:
        check_password_rules(password)
    now = datetime.now(UTC)
    conn.execute(
        users.insert().values(
            username=username,
            display_name=principal.display_name,
            password_hash=hash_password(password),
            role=role,
            counties=",".join(county_codes),
            active=True,
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


def set_role(conn: Connection, username: str, role: str, county_codes: tuple[str, ...]) -> Principal:
    row = _require(conn, username)
    principal = _checked(username, row.display_name, role, county_codes)
    conn.execute(
        users.update()
        .where(users.c.username == username)
        .values(role=role, counties=",".join(county_codes), updated_at=datetime.now(UTC))
    )
    return principal


def set_password(conn: Connection, username: str, password: str) -> None:
    _require(conn, username)
    check_password_rules(password)
    conn.execute(
        users.update()
        .where(users.c.username == username)
        .values(password_hash=hash_password(password), updated_at=datetime.now(UTC))
    )


def set_active(conn: Connection, username: str, active: bool) -> None:
    _require(conn, username)
    conn.execute(
        users.update()
        .where(users.c.username == username)
        .values(active=active, updated_at=datetime.now(UTC))
    )


def list_users(conn: Connection) -> list:
    return list(conn.execute(select(users).order_by(users.c.username)))


def active_principal(conn: Connection, username: str) -> Principal | None:
    """The user as the warehouse says now, or None when unknown or disabled."""
    row = conn.execute(
        select(users).where(users.c.username == username, users.c.active.is_(True))
    ).first()
    return _principal(row) if row else None


def credentials(conn: Connection) -> dict:
    """Active users in the shape streamlit-authenticator expects."""
    rows = conn.execute(
        select(users.c.username, users.c.display_name, users.c.password_hash, users.c.role).where(
            users.c.active.is_(True)
        )
    )
    return {
        "usernames": {
            r.username: {
                "name": r.display_name,
                "password": r.password_hash,
                "email": None,
                "roles": [r.role],
            }
            for r in rows
        }
    }
