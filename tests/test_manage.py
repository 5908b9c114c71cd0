"""manage.py as an operator uses it: in a subprocess, password on standard input."""

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.auth.test_users import matches
from warehouse.engine import get_engine
from warehouse.schema import audit_log, users

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
