"""Facts about the warehouse itself, kept in the warehouse: the demo flag, the last load."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, select

from warehouse.schema import warehouse_meta

DEMO_KEY = "demo"


def set_meta(conn: Connection, key: str, value: str) -> None:
    conn.execute(warehouse_meta.delete().where(warehouse_meta.c.key == key))
    conn.execute(warehouse_meta.insert().values(key=key, value=value))


def get_meta(conn: Connection, key: str) -> str | None:
    return conn.execute(
        select(warehouse_meta.c.value).where(warehouse_meta.c.key == key)
    ).scalar_one_or_none()


def is_demo(engine: Engine) -> bool:
    with engine.connect() as conn:
        return get_meta(conn, DEMO_KEY) == "true"

