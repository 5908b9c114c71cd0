"""The county map's figures (contract: page ``map``, table ``counties``)."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine

from core.scope import Filters, Scope
from metrics.map import with_rates
from queries.map import county_figures

TABLES = ("counties",)


def counties(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """One row per county in scope (every county when unlimited, zeros included): its
    population, cases reported (and per 100,000), charged and convicted (events dated in the
    period), conviction rate, people trained, outreach participants and hotline reports."""
    return with_rates(county_figures(engine, scope, filters))


def tables(engine: Engine, scope: Scope, filters: Filters) -> dict[str, pl.DataFrame]:
    return {"counties": counties(engine, scope, filters)}
