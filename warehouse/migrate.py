"""Create or upgrade a warehouse: Alembic migrations, then the reference data."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from warehouse.reference import sync_reference
from warehouse.statistics import analyze

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def init_warehouse(engine: Engine) -> str:
    """Bring the warehouse at ``engine`` to the newest schema; returns the revision."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        before = MigrationContext.configure(conn).get_current_revision()
        command.upgrade(cfg, "head")
        sync_reference(conn)
        if before is not None and before != head_revision():
            # An upgrade of a warehouse with data may add tables and indexes: without their
            # statistics the planner guesses (warehouse.statistics) until the next load.
            analyze(conn)
    return head_revision()
