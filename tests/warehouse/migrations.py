"""Helpers of the migration tests: run one Alembic step on a warehouse, read a table whole."""

from __future__ import annotations

from sqlalchemy import Table, select

from warehouse.migrate import alembic_config


def migrate(engine, step, revision: str) -> None:
    """``step`` (alembic.command.upgrade or downgrade) to ``revision``, in one transaction."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        step(cfg, revision)


def rows(conn, table: Table) -> list[tuple]:
    """Every row of ``table``, in a fixed order."""
    return sorted((tuple(r) for r in conn.execute(select(table))), key=repr)
