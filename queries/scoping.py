"""Limiting a statement to the counties a reader may see and chose: every query uses it."""

from __future__ import annotations

from sqlalchemy import Select
from sqlalchemy.sql import ColumnElement

from core.scope import Filters, Scope, effective_counties


def in_scope(stmt: Select, county_column: ColumnElement, scope: Scope,
             filters: Filters) -> Select:
    """``stmt`` limited to the effective counties (ScopeError when asked outside the scope)."""
    allowed = effective_counties(scope, filters)
    return stmt if allowed is None else stmt.where(county_column.in_(allowed))
