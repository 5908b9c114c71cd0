"""Facts about the warehouse that pages show: when data was last loaded, where it begins,
county names. None of them is a count about people, so none needs disclosure control."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine, func, select

from queries.run import connected
from warehouse.schema import cases, counties, ingest_batches

LOADED = ("loaded", "partial")


def last_load_at(engine: Engine) -> datetime | None:
    """When the last successful load (an upload or the demo generator) finished."""
    stmt = select(func.max(ingest_batches.c.finished_at)).where(
        ingest_batches.c.status.in_(LOADED))
    with connected(engine) as conn:
        return conn.execute(stmt).scalar_one_or_none()


def data_version(engine: Engine) -> int:
    """Changes whenever data is loaded: cached figures key on it, so a load shows at once."""
    stmt = select(func.coalesce(func.max(ingest_batches.c.id), 0)).where(
        ingest_batches.c.status.in_(LOADED))
    with connected(engine) as conn:
        return int(conn.execute(stmt).scalar_one())


def first_report_on(engine: Engine) -> date | None:
    """The earliest report date in the whole warehouse: comparisons never reach before it."""
    with connected(engine) as conn:
        return conn.execute(select(func.min(cases.c.reported_on))).scalar_one_or_none()


def county_names(engine: Engine) -> dict[str, str]:
    with connected(engine) as conn:
        return dict(conn.execute(select(counties.c.code, counties.c.name)).all())
