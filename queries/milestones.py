"""Where a case stands on a day: "reached", "open", "current stage" and the cohort, once.

Every expression reads ``case_milestones`` (one row per case, the date it reached each
progression stage and its terminal event; ``warehouse.maintained``), so the funnel and
progress pages, ``manage.py export`` and the benchmarks all ask the same question the
same way. The rules, as the figures contract states them:

- A case has **reached** a progression stage on day D when it has an event at that stage
  or a later progression stage dated on or before D; verdicts count as judgment. Every
  case has reached ``reported`` on its report date. It reached ``convicted`` when its
  conviction is dated on or before D.
- A case is **open (pending)** on D when it was reported on or before D and has no
  terminal event (convicted, acquitted, withdrawn, closed with no further action) dated
  on or before D.
- Its **current stage** on D is the latest progression stage it has reached by D, and
  the **date of its current stage** is when it reached it (the report date for
  ``reported``).
- The **cohort** of a period: the cases reported in it, in the reader's scope.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Select, and_, case, literal, or_, select
from sqlalchemy.sql import ColumnElement

from core.scope import Filters, Scope
from queries.scoping import in_scope
from warehouse import maintained_progress, vocab
from warehouse.maintained import REACHED_COLUMNS
from warehouse.schema import case_milestones as m

CONVICTED = "convicted"
# Stage -> the milestone column holding the day the case reached it.
_REACHED_ON = {"reported": m.c.reported_on} | {
    stage: m.c[column] for column, stage in REACHED_COLUMNS.items()}


Day = date | ColumnElement  # a date, or a date column (one per row of a list of days)


def day(value: Day) -> ColumnElement:
    """A date as a bound parameter typed as a date (so both dialects compare dates); a
    date column as it is."""
    return literal(value, Date) if isinstance(value, date) else value


def reached_on(stage: str) -> ColumnElement:
    """The milestone column holding the day a case reached a progression ``stage``."""
    return _REACHED_ON[stage]


def reached(stage: str, on: Day) -> ColumnElement:
    """The case had reached ``stage`` (a progression stage, or ``convicted``) by ``on``."""
    if stage == CONVICTED:
        return and_(m.c.terminal_stage == CONVICTED, m.c.terminal_on <= day(on))
    return reached_on(stage) <= day(on)


def ended(terminal_stage: str, on: Day) -> ColumnElement:
    """The case's terminal event is ``terminal_stage``, dated on or before ``on``."""
    return and_(m.c.terminal_stage == terminal_stage, m.c.terminal_on <= day(on))


def open_on(on: Day) -> ColumnElement:
    """The case was open (pending) on ``on``."""
    return and_(m.c.reported_on <= day(on),
                or_(m.c.terminal_on.is_(None), m.c.terminal_on > day(on)))


def closed_from() -> ColumnElement:
    """The first day a case no longer counts as open: its terminal event's date (never before
    its report date; null while it has none). So a case is open on D exactly when
    ``reported_on <= D < closed_from()``, which lets a count of open cases over many days be
    taken as the cases opened by each day less the cases closed by it (``caseload_days``
    holds both by county and day, with the same definition)."""
    return maintained_progress.closed_from(m.c)


def _latest_first(on: Day) -> list[tuple[ColumnElement, str]]:
    later_first = reversed(vocab.PROGRESSION_STAGES[1:])
    return [(reached_on(stage) <= day(on), stage) for stage in later_first]


def current_stage(on: Day) -> ColumnElement:
    """The latest progression stage the case had reached by ``on`` (``reported`` at least)."""
    return case(*_latest_first(on), else_=literal(vocab.PROGRESSION_STAGES[0]))


def current_stage_on(on: Day) -> ColumnElement:
    """The day the case reached its current stage on ``on`` (its report date at least)."""
    whens = [(condition, reached_on(stage)) for condition, stage in _latest_first(on)]
    return case(*whens, else_=m.c.reported_on)


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
