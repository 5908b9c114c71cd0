"""The cohort of a period, and where its cases stand on a day (the rules themselves live in
``warehouse.standing``, shared with the summaries maintained at load time).

- The **cohort** of a period: the cases reported in it, in the reader's scope.
"""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.sql import ColumnElement

from core.scope import Filters, Scope
from queries.scoping import in_scope
from warehouse.schema import case_milestones as m
from warehouse.standing import (  # noqa: F401 - the rules, read through this module
    CONVICTED,
    Day,
    closed_from,
    current_stage,
    current_stage_on,
    day,
    ended,
    open_on,
    reached,
    reached_on,
)


def reported_in(filters: Filters) -> ColumnElement:
    return m.c.reported_on.between(filters.start, filters.end)


def cohort(stmt: Select, scope: Scope, filters: Filters) -> Select:
    """``stmt`` (reading ``case_milestones``) limited to the period's cohort in scope."""
    return in_scope(stmt.where(reported_in(filters)), m.c.county_code, scope, filters)


def in_scope_cases(stmt: Select, scope: Scope, filters: Filters) -> Select:
    """``stmt`` (reading ``case_milestones``) limited to every case in scope, whenever
    reported: the court view's caseload."""
    return in_scope(stmt, m.c.county_code, scope, filters)


def cohort_select(*columns, scope: Scope, filters: Filters) -> Select:
    return cohort(select(*columns).select_from(m), scope, filters)
