import bcrypt
import pytest
from sqlalchemy import select

from auth import users
from warehouse.schema import users as users_table

GOOD = "correct horse battery"


def test_add_user_stores_only_a_bcrypt_hash(empty_warehouse):
    with empty_warehouse.begin() as conn:
        users.add_user(conn, "amina", role="cuc_member", password=GOOD,
                       display_name="Amina", county_codes=("003",))
        row = conn.execute(select(users_table)).one()
    assert GOOD not in row.password_hash
    assert bcrypt.checkpw(GOOD.encode(), row.password_hash.encode())
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
