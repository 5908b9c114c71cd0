"""Facts about the warehouse that pages show: when data was last loaded, county names."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, func, select

from warehouse.schema import counties, ingest_batches


def last_load_at(engine: Engine) -> datetime | None:
    """When the last successful load (an upload or the demo generator) finished."""
    stmt = select(func.max(ingest_batches.c.finished_at)).where(
        ingest_batches.c.status.in_(("loaded", "partial"))
    )
    with engine.connect() as conn:
        return conn.execute(stmt).scalar_one_or_none()


def county_names(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(select(counties.c.code, counties.c.name)).all())
