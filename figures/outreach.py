"""The outreach page's figures (contract: page ``outreach``, tables ``sessions``, ``hotline``
and ``monthly``), and the sessions by month and sub-county that the page also shows."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine

from core.periods import period_keys
from core.scope import Filters, Scope
from metrics import outreach as shape
from queries import outreach as q

TABLES = ("sessions", "hotline", "monthly")


def monthly(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """month, county_code, outreach_participants, hotline_reports, cases_reported: every
    month of the period for every county with any of the three; 0 where none."""
    return shape.monthly(q.monthly(engine, scope, filters),
                         period_keys(filters.start, filters.end, "month"))


def tables(engine: Engine, scope: Scope, filters: Filters) -> dict[str, pl.DataFrame]:
    return {"sessions": q.sessions(engine, scope, filters),
            "hotline": q.hotline(engine, scope, filters),
            "monthly": monthly(engine, scope, filters)}


def extra_tables(engine: Engine, scope: Scope, filters: Filters,
                 given: dict[str, pl.DataFrame] | None = None) -> dict[str, pl.DataFrame]:
    """``sessions_detail``: month, county_code, sub_county, audience, sessions,
    participants_female, participants_male. Not in the figures contract."""
    return {"sessions_detail": q.sessions_by_month(engine, scope, filters)}
