import pytest

from startup import demo_accounts
from warehouse.meta import set_meta


def test_demo_accounts_only_in_a_demo_warehouse(empty_warehouse):
    with empty_warehouse.begin() as conn, pytest.raises(demo_accounts.NotDemoError):
        demo_accounts.create(conn)
    assert demo_accounts.listed(empty_warehouse) == []
    with empty_warehouse.begin() as conn:
        set_meta(conn, "demo", "true")
        passwords = demo_accounts.create(conn)
    listed = demo_accounts.listed(empty_warehouse)
    assert {a["username"] for a in listed} == set(passwords)
    roles = {a["role"] for a in listed}
    assert roles == {"admin", "project_manager", "cuc_member", "monitor"}
    scoped = {a["username"]: a["counties"] for a in listed if a["role"] == "cuc_member"}
    assert scoped == {"demo-cuc-kilifi": ("003",), "demo-cuc-kwale": ("002",)}
    # Should the flag ever be taken away, the accounts are no longer listed.
    with empty_warehouse.begin() as conn:
        set_meta(conn, "demo", "false")
    assert demo_accounts.listed(empty_warehouse) == []
