"""manage.py as an operator uses it: in a subprocess, password on standard input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.auth.test_users import matches
from warehouse.engine import get_engine
from warehouse.schema import audit_log, case_events, cases, ingest_batches, users

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "a long enough password"


def run(url, *args, stdin=""):
    env = {"PATH": "/usr/bin:/bin", "HAKI_WAREHOUSE_URL": url, "HAKI_SECRETS_FILE": "/nonexistent",
           "HOME": str(ROOT)}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def url(tmp_path):
    return "sqlite:///" + str(tmp_path / "w.db")


def test_init_then_user_lifecycle(url):
    assert run(url, "init").returncode == 0
    r = run(url, "users", "add", "amina", "--role", "cuc_member", "--counties", "3,2",
            "--name", "Amina W.", stdin=PASSWORD + "\n")
    assert r.returncode == 0, r.stderr
    with get_engine(url).connect() as conn:
        row = conn.execute(select(users)).one()
    assert (row.username, row.role, row.counties, row.display_name) == (
        "amina", "cuc_member", "002,003", "Amina W.")
    assert matches(PASSWORD, row.password_hash)

    listing = run(url, "users", "list").stdout
    assert "amina" in listing and "002,003" in listing and row.password_hash not in listing

    assert run(url, "users", "disable", "amina").returncode == 0
    assert run(url, "users", "set-role", "amina", "--role", "monitor").returncode == 0
    with get_engine(url).connect() as conn:
        row = conn.execute(select(users)).one()
        actions = [a.action for a in conn.execute(select(audit_log).order_by(audit_log.c.id))]
    assert (row.active, row.role, row.counties) == (False, "monitor", "")
    assert actions == ["user_add", "user_disable", "user_set_role"]

    reset = run(url, "users", "reset-password", "amina")
    assert reset.returncode == 0, reset.stderr
    temporary = reset.stdout.strip().rsplit(" ", 1)[-1]
    with get_engine(url).connect() as conn:
        row = conn.execute(select(users)).one()
        last = conn.execute(select(audit_log).order_by(audit_log.c.id.desc())).first()
    assert row.must_change_password and matches(temporary, row.password_hash)
    assert (last.action, last.username) == ("user_reset_password", "manage.py")
    assert temporary not in last.detail


def test_password_is_never_an_argument(url):
    run(url, "init")
    r = run(url, "users", "add", "bob", "--role", "monitor", "--password", PASSWORD)
    assert r.returncode == 2 and "unrecognized arguments" in r.stderr


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["users", "add", "cuc", "--role", "cuc_member"], PASSWORD + "\n", "at least one county"),
        (["users", "add", "bob", "--role", "monitor"], "short\n", "at least 12 characters"),
        (["users", "add", "bob", "--role", "monitor"], "password1234\n", "most common"),
        (["users", "add", "bob", "--role", "monitor"], "bob-is-my-name-ok\n", "username"),
        (["users", "add", "bob", "--role", "monitor"], "", "no password"),
        (["users", "add", "cuc", "--role", "cuc_member", "--counties", "99"], PASSWORD + "\n",
         "not a county code"),
        (["users", "disable", "nobody"], "", "no user 'nobody'"),
    ],
)
def test_bad_commands_say_why_and_change_nothing(url, args, stdin, message):
    run(url, "init")
    r = run(url, *args, stdin=stdin)
    assert r.returncode == 1 and message in r.stderr
    with get_engine(url).connect() as conn:
        assert conn.execute(select(users)).all() == []


def test_demo_fills_a_warehouse_and_shows_progress_lines(url):
    r = run(url, "demo", "--cases", "200", "--seed", "3", "--until", "2026-06-30")
    assert r.returncode == 0, r.stderr
    assert "cases: 200 rows" in r.stdout.replace(",", "")
    assert "100%" in r.stderr  # plain progress lines when not on a terminal
    again = run(url, "demo", "--cases", "200", "--seed", "3")
    assert again.returncode == 1 and "error:" in again.stderr


@pytest.mark.postgres
def test_init_and_demo_on_postgresql(pg_databases):
    pg = pg_databases.new()
    assert run(pg, "init").returncode == 0
    r = run(pg, "demo", "--cases", "150", "--seed", "5", "--until", "2026-06-30")
    assert r.returncode == 0, r.stderr
    with get_engine(pg).connect() as conn:
        assert len(conn.execute(select(users)).all()) == 5


# --- ingest -----------------------------------------------------------------------------------

KEYS = {"HAKI_COOKIE_KEY": "cookie-key-for-tests-0123456789abcdef",
        "HAKI_PSEUDONYM_KEY": "pseudonym-key-for-tests-0123456789abcdef"}
EXAMPLES = ROOT / "docs" / "examples"


def ingest(url, *args, **env):
    full = {"PATH": "/usr/bin:/bin", "HAKI_WAREHOUSE_URL": url,
            "HAKI_SECRETS_FILE": "/nonexistent", "HOME": str(ROOT), **KEYS, **env}
    return subprocess.run([sys.executable, "manage.py", "ingest", *args], cwd=ROOT, env=full,
                          capture_output=True, text=True, timeout=300)


def _count(url, table):
    with get_engine(url).connect() as conn:
        return len(conn.execute(select(table)).all())


def test_ingest_exit_statuses_reports_and_records(url, tmp_path):
    assert run(url, "init").returncode == 0
    dry = ingest(url, str(EXAMPLES), "--dry-run", "--report", str(tmp_path / "dry.json"))
    assert dry.returncode == 0, dry.stderr
    assert "dry run: nothing written" in dry.stdout
    assert (_count(url, ingest_batches), _count(url, cases)) == (0, 0)
    assert json.loads((tmp_path / "dry.json").read_text())["exit_status"] == 0

    loaded = ingest(url, str(EXAMPLES))
    assert loaded.returncode == 0, loaded.stderr + loaded.stdout
    assert _count(url, cases) == 5 and _count(url, ingest_batches) == 9

    bad = tmp_path / "case_events-fix.csv"
    bad.write_text("source_case_id,stage,occurred_on\nEX-C-0004,investigation_opened,"
                   "2025-02-20\nEX-C-0004,charged,31/31/2025\n")
    refused = ingest(url, str(bad), "--report", str(tmp_path / "bad.json"))
    assert refused.returncode == 1
    assert "not_a_date (column occurred_on): 1 row(s), line(s) 3" in refused.stdout
    body = json.loads((tmp_path / "bad.json").read_text())
    assert body["files"][0]["problems"] == [
        {"rule": "not_a_date", "column": "occurred_on", "rows": 1, "lines": [3]}]
    assert _count(url, case_events) == 18
    partial = ingest(url, str(bad), "--partial")
    assert partial.returncode == 1 and _count(url, case_events) == 19

    garbage = tmp_path / "cases.csv"
    garbage.write_bytes(b"\x00\x01binary")
    unreadable = ingest(url, str(garbage))
    assert unreadable.returncode == 2 and "binary data" in unreadable.stdout

    with get_engine(url).connect() as conn:
        audited = conn.execute(select(audit_log.c.action, audit_log.c.username)).all()
        statuses = [b.status for b in conn.execute(select(ingest_batches))]
    assert audited == [("ingest", "manage.py")] * 12
    assert statuses == ["loaded"] * 9 + ["rejected", "partial", "unreadable"]
    for result in (dry, loaded, refused, partial, unreadable):  # the key is never shown
        assert KEYS["HAKI_PSEUDONYM_KEY"] not in result.stdout + result.stderr


def test_ingest_records_who_with_as(url):
    run(url, "init")
    run(url, "users", "add", "amina", "--role", "project_manager", stdin=PASSWORD + "\n")
    run(url, "users", "add", "mo", "--role", "monitor", stdin=PASSWORD + "\n")
    refused = ingest(url, str(EXAMPLES / "cases.csv"), "--as", "mo")
    assert refused.returncode == 1 and "may upload" in refused.stderr
    assert ingest(url, str(EXAMPLES / "cases.csv"), "--as", "amina").returncode == 0
    with get_engine(url).connect() as conn:
        assert conn.execute(select(ingest_batches.c.uploaded_by)).scalars().all() == ["amina"]


@pytest.mark.parametrize(
    ("env", "message"),
    [({"HAKI_PSEUDONYM_KEY": "change-me-pseudonym-key-example-value-not-secret"},
      "HAKI_PSEUDONYM_KEY is still the example value"),
     ({"HAKI_PSEUDONYM_KEY": "short"}, "HAKI_PSEUDONYM_KEY is shorter than 32 bytes")],
)
def test_ingest_refuses_unsafe_keys(url, env, message):
    run(url, "init")
    r = ingest(url, str(EXAMPLES / "cases.csv"), **env)
    assert r.returncode == 1 and message in r.stderr
    assert _count(url, cases) == 0


def test_ingest_refuses_a_demo_warehouse_and_a_missing_one(url, tmp_path):
    missing = ingest("sqlite:///" + str(tmp_path / "none.db"), str(EXAMPLES / "cases.csv"))
    assert missing.returncode == 1 and "python manage.py init" in missing.stderr
    assert run(url, "demo", "--cases", "50", "--until", "2026-06-30").returncode == 0
    r = ingest(url, str(EXAMPLES / "cases.csv"))
    assert r.returncode == 1
    assert "synthetic demo data" in r.stdout and "python manage.py init" in r.stdout
    assert _count(url, cases) == 50
    assert ingest(url, "no/such/file.csv").returncode == 2
