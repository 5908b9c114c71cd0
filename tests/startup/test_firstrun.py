"""First start: no warehouse -> a complete demo warehouse, or nothing at all; and never a
demo warehouse by accident."""

import os
import stat
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from startup import firstrun
from startup.demo_accounts import listed
from warehouse.config import DEFAULT_WAREHOUSE_URL, load_settings, normalize_url
from warehouse.engine import get_engine
from warehouse.meta import is_demo
from warehouse.migrate import init_warehouse
from warehouse.schema import cases


def _settings(tmp_path, url, **env):
    s = load_settings({"HAKI_SECRETS_FILE": str(tmp_path / "none.toml"), **env})
    return replace(s, warehouse_url=url, demo_cases=300)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_missing_sqlite_warehouse_becomes_a_complete_private_demo(tmp_path):
    db = tmp_path / "data" / "warehouse.db"
    url = "sqlite:///" + str(db)
    said = []
    assert firstrun.ensure_ready(_settings(tmp_path, url), say=said.append,
                                 allow_demo=True) is True
    assert db.exists() and not Path(str(db) + ".partial").exists()
    assert "building a demo warehouse of 300 synthetic cases" in said[0]
    assert said[-1].startswith("… done in")
    engine = get_engine(url)
    assert is_demo(engine)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(cases)).scalar_one() == 300
        conn.exec_driver_sql("SELECT 1")  # the -wal and -shm files exist while connected
        assert _mode(db.parent) == 0o700
        for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            assert _mode(path) == 0o600, path
    assert len(listed(engine)) == 5
    # A second start uses it as it is.
    assert firstrun.ensure_ready(_settings(tmp_path, url)) is True


def test_only_the_out_of_the_box_start_builds_a_demo():
    default = load_settings({"HAKI_SECRETS_FILE": "/nonexistent.toml"})
    assert default.warehouse_url == normalize_url(DEFAULT_WAREHOUSE_URL)
    assert firstrun.may_build_demo(default)
    assert not firstrun.may_build_demo(replace(default, warehouse_url="sqlite:////tmp/x.db"))
    assert not firstrun.may_build_demo(replace(default, cookie_key="k" * 40))
    assert not firstrun.may_build_demo(replace(default, pseudonym_key="k" * 40))


@pytest.mark.parametrize("env", [{}, {"HAKI_COOKIE_KEY": "k" * 40}])
def test_a_mistyped_path_is_named_not_filled_with_a_demo(tmp_path, env):
    db = tmp_path / "warehuose.db"
    with pytest.raises(firstrun.WarehouseNotReady, match="no warehouse at .*manage.py init"):
        firstrun.ensure_ready(_settings(tmp_path, "sqlite:///" + str(db), **env))
    assert not db.exists()


def test_interrupted_first_run_leaves_no_warehouse(tmp_path, monkeypatch):
    db = tmp_path / "warehouse.db"
    url = "sqlite:///" + str(db)

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(firstrun, "generate", boom)
    with pytest.raises(KeyboardInterrupt):
        firstrun.ensure_ready(_settings(tmp_path, url), allow_demo=True)
    assert not db.exists()
    monkeypatch.undo()
    assert firstrun.ensure_ready(_settings(tmp_path, url), allow_demo=True) is True


def test_a_run_killed_mid_load_leaves_nothing_the_next_one_trips_on(tmp_path):
    """The demo load writes with a rollback journal: a process killed mid-load leaves a hot
    ``-journal`` beside the partial file. The next start makes a new, empty partial file,
    and SQLite discards a journal found beside an empty file instead of playing it back."""
    db = tmp_path / "warehouse.db"
    partial = Path(f"{db}.partial")
    killed = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA journal_mode = DELETE'); c.execute('PRAGMA cache_size = 10')\n"
        "c.execute('CREATE TABLE t (x)'); c.execute('INSERT INTO t VALUES (1)')\n"
        "c.execute('BEGIN'); c.execute('UPDATE t SET x = 2')\n"
        "c.executemany('INSERT INTO t VALUES (?)', ((i,) for i in range(100000)))\n"
        "os._exit(1)\n"
    )
    subprocess.run([sys.executable, "-c", killed, str(partial)], check=False)
    assert Path(f"{partial}-journal").stat().st_size > 0  # hot: the kill left it
    url = "sqlite:///" + str(db)
    assert firstrun.ensure_ready(_settings(tmp_path, url), allow_demo=True) is True
    assert not Path(f"{partial}-journal").exists()
    with get_engine(url).connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
        assert conn.execute(select(func.count()).select_from(cases)).scalar_one() == 300
    assert "t" not in inspect(get_engine(url)).get_table_names()  # nothing of the dead run


def test_empty_database_without_schema_is_refused_with_the_command_to_run(tmp_path):
    db = tmp_path / "blank.db"
    db.touch()
    with pytest.raises(firstrun.WarehouseNotReady, match="manage.py init"):
        firstrun.ensure_ready(_settings(tmp_path, "sqlite:///" + str(db)))


def test_a_warehouse_made_by_init_is_not_demo_and_has_no_demo_accounts(tmp_path):
    url = "sqlite:///" + str(tmp_path / "real.db")
    init_warehouse(get_engine(url))
    assert firstrun.ensure_ready(_settings(tmp_path, url)) is False
    assert listed(get_engine(url)) == []
