"""First start: no warehouse -> a complete demo warehouse, or nothing at all."""

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from auth.demo_accounts import listed
from warehouse import firstrun
from warehouse.config import load_settings
from warehouse.engine import get_engine
from warehouse.meta import is_demo
from warehouse.migrate import init_warehouse
from warehouse.schema import cases


def _settings(tmp_path, url):
    s = load_settings({"HAKI_SECRETS_FILE": str(tmp_path / "none.toml")})
    return replace(s, warehouse_url=url, demo_cases=300)


def test_missing_sqlite_warehouse_becomes_a_complete_demo(tmp_path):
    db = tmp_path / "data" / "warehouse.db"
    url = "sqlite:///" + str(db)
    assert firstrun.ensure_ready(_settings(tmp_path, url)) is True
    assert db.exists() and not Path(str(db) + ".partial").exists()
    engine = get_engine(url)
    assert is_demo(engine)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(cases)).scalar_one() == 300
    assert len(listed(engine)) == 5
    # A second start uses it as it is.
    assert firstrun.ensure_ready(_settings(tmp_path, url)) is True


def test_interrupted_first_run_leaves_no_warehouse(tmp_path, monkeypatch):
    db = tmp_path / "warehouse.db"
    url = "sqlite:///" + str(db)

    def boom(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("warehouse.demo.generate", boom)
    with pytest.raises(KeyboardInterrupt):
        firstrun.ensure_ready(_settings(tmp_path, url))
    assert not db.exists()
    monkeypatch.undo()
    assert firstrun.ensure_ready(_settings(tmp_path, url)) is True  # next start recovers


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
