"""The case progress page's figures, the court view (contract: page ``progress``)."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine

from core.scope import Filters, Scope
from metrics.progress import testimony_shares, with_rate
from metrics.tables import withhold_with
from queries import progress as q

TABLES = ("pending_by_month", "pending_age", "adjournments", "adjournment_reasons",
          "adjournments_by_station", "testimony", "services", "time_to_service")


def tables(engine: Engine, scope: Scope, filters: Filters) -> dict[str, pl.DataFrame]:
    return {
        "pending_by_month": q.pending_by_month(engine, scope, filters),
        "pending_age": q.pending_age(engine, scope, filters),
        "adjournments": with_rate(q.adjournments(engine, scope, filters)),
        "adjournment_reasons": q.adjournment_reasons(engine, scope, filters),
        "adjournments_by_station": with_rate(q.adjournments_by_station(engine, scope, filters)),
        "testimony": testimony_shares(q.testimony(engine, scope, filters)),
        "services": q.services_received(engine, scope, filters),
        "time_to_service": withhold_with(q.time_to_service(engine, scope, filters), "cases",
                                         ("median_days",)),
    }
