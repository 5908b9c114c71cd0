"""Demo accounts: one per role, created only in a demo-flagged warehouse.

Their passwords are random per warehouse and kept (in plain text, on purpose)
in the demo warehouse's own metadata so the login page can list them. A
warehouse made by ``manage.py init`` is not demo-flagged and never gets them.
"""

from __future__ import annotations

import json
import secrets

from sqlalchemy import Connection, Engine

from auth.users import add_user
from warehouse.meta import DEMO_KEY, get_meta, set_meta

META_KEY = "demo_accounts"

# username, display name, role, counties
DEMO_USERS = (
    ("demo-admin", "Demo administrator", "admin", ()),
    ("demo-manager", "Demo project manager", "project_manager", ()),
    ("demo-cuc-kilifi", "Demo CUC member, Kilifi", "cuc_member", ("003",)),
    ("demo-cuc-kwale", "Demo CUC member, Kwale", "cuc_member", ("002",)),
    ("demo-monitor", "Demo State Department monitor", "monitor", ()),
)


class NotDemoError(RuntimeError):
    pass


def create(conn: Connection) -> dict[str, str]:
    """Add the demo users; returns username -> password."""
    if get_meta(conn, DEMO_KEY) != "true":
        raise NotDemoError("demo accounts may only be created in a demo warehouse")
    passwords = {}
    for username, name, role, codes in DEMO_USERS:
        password = "demo-" + secrets.token_urlsafe(9)
        add_user(conn, username, role=role, password=password, display_name=name,
                 county_codes=codes)
        passwords[username] = password
    set_meta(conn, META_KEY, json.dumps(passwords))
    return passwords


def listed(engine: Engine) -> list[dict]:
    """The demo accounts to show on the login page: only for a demo warehouse."""
    with engine.connect() as conn:
        if get_meta(conn, DEMO_KEY) != "true":
            return []
        passwords = json.loads(get_meta(conn, META_KEY) or "{}")
    by_name = {u[0]: u for u in DEMO_USERS}
    return [
        {"username": u, "password": p, "role": by_name[u][2], "counties": by_name[u][3]}
        for u, p in passwords.items()
        if u in by_name
    ]
