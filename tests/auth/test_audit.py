"""The audit log: insert-only, UTC, searchable, and never a secret."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from auth import audit
from warehouse.schema import audit_log

ROOT = Path(__file__).resolve().parents[2]
APP_CODE = [p for p in ROOT.rglob("*.py") if "tests" not in p.parts and ".git" not in p.parts]


def test_no_code_updates_or_deletes_audit_rows():
    pattern = re.compile(r"audit_log\s*\.\s*(update|delete)|\b(update|delete)\(\s*audit_log"
                         r"|(UPDATE|DELETE\s+FROM)\s+audit_log", re.I)
    offenders = [str(p.relative_to(ROOT)) for p in APP_CODE if pattern.search(p.read_text())]
    assert offenders == []
    for sample in ("audit_log.update().values(x=1)", "delete(audit_log)", "DELETE FROM audit_log"):
        assert pattern.search(sample)  # the check can see each form


@pytest.mark.parametrize("key", ["password", "new_password", "token", "cookie", "cookie_key",
                                 "pseudonym_key", "password_hash", "secret"])
def test_details_that_could_hold_a_secret_are_refused(empty_warehouse, key):
    with empty_warehouse.begin() as conn, pytest.raises(audit.AuditError):
        audit.record(conn, "login", "amina", **{key: "x"})


def test_rows_are_in_utc_and_found_by_user_action_and_day(empty_warehouse):
    with empty_warehouse.begin() as conn:
        audit.record(conn, "login", "amina", client="local")
        audit.record(conn, "logout", "amina", reason="logout")
        audit.record(conn, "login", "bakari", client="local")
        # An old row, as if written on 1 March 2026 at 23:30 UTC.
        old = conn.execute(select(audit_log.c.id).order_by(audit_log.c.id)).scalars().first()
        conn.execute(update(audit_log).where(audit_log.c.id == old)
                     .values(at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC)))
    today = datetime.now(UTC).date()
    with empty_warehouse.connect() as conn:
        assert [r.action for r in audit.search(conn, username="amina")] == ["logout", "login"]
        assert [r.username for r in audit.search(conn, action="login")] == ["bakari", "amina"]
        assert len(audit.search(conn, first=date(2026, 3, 1), last=date(2026, 3, 1))) == 1
        assert len(audit.search(conn, first=date(2026, 3, 2), last=today)) == 2
        assert audit.actions(conn) == ["login", "logout"]
        assert audit.usernames(conn) == ["amina", "bakari"]
        shown = audit.table(audit.search(conn, username="amina", last=date(2026, 3, 1)))
    assert shown["When (UTC)"].to_list() == ["2026-03-01 23:30:00"]
