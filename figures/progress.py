"""The case progress page's figures, the court view (contract: page ``progress``), one builder
per table."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine

from core.scope import Filters, Scope
from metrics.progress import testimony_shares, with_rate
from metrics.tables import withhold_with
from queries import progress as q


def adjournments(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    return with_rate(q.adjournments(engine, scope, filters))


def adjournments_by_station(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    return with_rate(q.adjournments_by_station(engine, scope, filters))


def testimony(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    return testimony_shares(q.testimony(engine, scope, filters))


def time_to_service(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    return withhold_with(q.time_to_service(engine, scope, filters), "cases", ("median_days",))


BUILDERS = {
    "pending_by_month": q.pending_by_month,
    "pending_age": q.pending_age,
    "adjournments": adjournments,
    "adjournment_reasons": q.adjournment_reasons,
    "adjournments_by_station": adjournments_by_station,
    "testimony": testimony,
    "services": q.services_received,
    "time_to_service": time_to_service,
}
TABLES = tuple(BUILDERS)


def tables(engine: Engine, scope: Scope, filters: Filters) -> dict[str, pl.DataFrame]:
    return {name: build(engine, scope, filters) for name, build in BUILDERS.items()}
