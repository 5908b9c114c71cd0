import base64
import hashlib

import bcrypt
import pytest
from sqlalchemy import select

from auth import users
from warehouse.schema import sessions as sessions_table
from warehouse.schema import users as users_table

GOOD = "correct horse battery"


def matches(password: str, stored: str) -> bool:
    """The README's scheme, computed here independently of auth.passwords."""
    prefix = "sha256-bcrypt$"
    assert stored.startswith(prefix)
    prehash = base64.b64encode(hashlib.sha256(password.encode()).digest())
    return bcrypt.checkpw(prehash, stored[len(prefix):].encode())


def test_add_user_stores_only_a_bcrypt_hash(empty_warehouse):
    with empty_warehouse.begin() as conn:
        users.add_user(conn, "amina", role="cuc_member", password=GOOD,
                       display_name="Amina", county_codes=("003",))
        row = conn.execute(select(users_table)).one()
    assert GOOD not in row.password_hash
    assert matches(GOOD, row.password_hash) and not matches(GOOD + "x", row.password_hash)
    assert (row.role, row.counties, row.active) == ("cuc_member", "003", True)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"username": "Bad Name!", "role": "monitor"}, "username"),
        ({"username": "pm1", "role": "project_manager", "county_codes": ("003",)}, "all counties"),
        ({"username": "cuc1", "role": "cuc_member"}, "at least one county"),
        ({"username": "xx1", "role": "monitor", "password": "short"}, "at least 12"),
    ],
)
def test_bad_users_are_refused_and_nothing_is_stored(empty_warehouse, kwargs, message):
    kwargs = {"password": GOOD, **kwargs}
    username = kwargs.pop("username")
    with empty_warehouse.begin() as conn, pytest.raises(users.UserError, match=message):
        users.add_user(conn, username, **kwargs)
    with empty_warehouse.connect() as conn:
        assert conn.execute(select(users_table)).all() == []


def test_parse_counties_accepts_codes_and_rejects_unknowns(empty_warehouse):
    with empty_warehouse.connect() as conn:
        assert users.parse_counties(conn, "3, 002") == ("002", "003")
        with pytest.raises(users.UserError, match="county code"):
            users.parse_counties(conn, "Kilifi")
        with pytest.raises(users.UserError, match="county code"):
            users.parse_counties(conn, "48")


def test_disabled_user_is_no_principal_and_not_in_credentials(empty_warehouse):
    with empty_warehouse.begin() as conn:
        users.add_user(conn, "monitor1", role="monitor", password=GOOD)
        assert users.active_principal(conn, "monitor1").role == "monitor"
        users.set_active(conn, "monitor1", False)
        assert users.active_principal(conn, "monitor1") is None
        assert "monitor1" not in users.credentials(conn)["usernames"]


def test_set_role_takes_effect(empty_warehouse):
    with empty_warehouse.begin() as conn:
        users.add_user(conn, "cuc1", role="cuc_member", password=GOOD, county_codes=("003",))
        users.set_role(conn, "cuc1", "cuc_member", ("002",))
        assert users.active_principal(conn, "cuc1").counties == ("002",)


def _open_session(conn, username, session_id):
    from datetime import UTC, datetime
    now = datetime.now(UTC)
    conn.execute(sessions_table.insert().values(id=session_id, username=username, started_at=now,
                                                last_seen_at=now, token_hash=session_id))


def _open(conn, username):
    return sorted(r.id for r in conn.execute(select(sessions_table).where(
        sessions_table.c.username == username, sessions_table.c.ended_at.is_(None))))


@pytest.mark.parametrize(("change", "reason"), [
    (lambda c: users.set_active(c, "amina", False), "user_disabled"),
    (lambda c: users.set_role(c, "amina", "cuc_member", ("002",)), "role_changed"),
    (lambda c: users.set_password(c, "amina", "another long passphrase"), "password_changed"),
    (lambda c: users.reset_password(c, "amina"), "password_reset"),
    (lambda c: users.end_sessions(c, "amina"), "admin"),
])
def test_every_change_to_a_user_ends_their_sessions_at_once(empty_warehouse, change, reason):
    with empty_warehouse.begin() as conn:
        users.add_user(conn, "amina", role="cuc_member", password=GOOD, county_codes=("003",))
        users.add_user(conn, "bakari", role="monitor", password=GOOD)
        for sid, who in (("s1", "amina"), ("s2", "amina"), ("s3", "bakari")):
            _open_session(conn, who, sid)
        change(conn)
        assert _open(conn, "amina") == [] and _open(conn, "bakari") == ["s3"]
        reasons = set(conn.execute(select(sessions_table.c.end_reason).where(
            sessions_table.c.username == "amina")).scalars())
    assert reasons == {reason}


def test_a_user_choosing_a_password_keeps_the_session_they_chose_it_in(empty_warehouse):
    with empty_warehouse.begin() as conn:
        users.add_user(conn, "amina", role="monitor", password=GOOD, must_change_password=True)
        _open_session(conn, "amina", "here")
        _open_session(conn, "amina", "elsewhere")
        users.set_password(conn, "amina", "my own new passphrase", keep_session="here")
        assert _open(conn, "amina") == ["here"]
        assert users.must_change_password(conn, "amina") is False


def test_a_reset_password_is_random_must_be_changed_and_is_not_stored(empty_warehouse):
    with empty_warehouse.begin() as conn:
        users.add_user(conn, "amina", role="monitor", password=GOOD)
        first = users.reset_password(conn, "amina")
        row = conn.execute(select(users_table)).one()
        second = users.reset_password(conn, "amina")
    assert first != second and len(first) >= 12
    assert row.must_change_password is True
    assert first not in row.password_hash and matches(first, row.password_hash)
