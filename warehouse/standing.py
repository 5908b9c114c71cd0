"""Where a case stands on a day: "reached", "open" and "current stage", once.

Every expression reads ``case_milestones`` (one row per case, the date it reached each
progression stage and its terminal event; ``warehouse.maintained``), so the funnel and
progress pages, the cohort summaries maintained from the milestones
(``warehouse.maintained_cohort``), ``manage.py export`` and the benchmarks all ask the
same question the same way. The rules, as the figures contract states them:

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

A stage reached on D was reached on every later day, and a case that reached a stage
reached every stage before it (its event counts for them too): so the stages a case had
reached by D are exactly those up to its current stage.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, and_, case, literal, or_
from sqlalchemy.sql import ColumnElement

from warehouse import maintained_progress, vocab
from warehouse.schema import case_milestones as m

CONVICTED = "convicted"


def reached_from(stage: str) -> tuple[str, ...]:
    """The stages whose event shows a case reached ``stage``: it and every later progression
    stage, verdicts counting as judgment (the figures contract's "reached a stage")."""
    later = vocab.PROGRESSION_STAGES[vocab.PROGRESSION_STAGES.index(stage):]
    return later + vocab.VERDICT_STAGES


# Milestone column -> the progression stage whose reach date it holds.
REACHED_COLUMNS = {f"{s}_on": s for s in vocab.PROGRESSION_STAGES[1:]}

# Stage -> the milestone column holding the day the case reached it.
_REACHED_ON = {"reported": m.c.reported_on} | {
    stage: m.c[column] for column, stage in REACHED_COLUMNS.items()}
# A day after every date the warehouse holds: a case "as of the end of time" (what the
# summaries maintained at load time hold) is a case as of this day.
END_OF_TIME = date(9999, 12, 31)

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
        return ended(CONVICTED, on)
    return reached_on(stage) <= day(on)


def ended(terminal_stage: str, on: Day) -> ColumnElement:
    """The case's terminal event is ``terminal_stage``, dated on or before ``on``."""
    return and_(m.c.terminal_stage == terminal_stage, m.c.terminal_on <= day(on))


def terminal_stage(on: Day) -> ColumnElement:
    """The case's terminal stage if it is dated on or before ``on``; null otherwise."""
    return case((m.c.terminal_on <= day(on), m.c.terminal_stage))


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
