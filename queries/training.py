"""Queries behind the training coverage page.

"People" are different participants (``participant_key``), never attendances: a person
at three sessions is one person. Trainings and workforce rows belong to their own county.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine, Select, and_, case, distinct, func, or_, select, union_all

from core.scope import Filters, Scope, effective_counties
from queries.cells import Cells, grouped_by_scope, period_of_day
from queries.measures import BY_ID
from queries.run import fetch
from queries.scoping import in_scope
from warehouse.constructs import quarter_key
from warehouse.schema import targets, trainings, workforce

# The performance-monitoring plan's indicator for people trained (any delivery, per quarter).
PEOPLE_TRAINED = "PEOPLE_TRAINED"
GAIN = 10  # points between pre- and post-test that count as a real gain

t = trainings.c


def trained_stmt(scope: Scope, filters: Filters) -> Select:
    """Different people with a session in the period, by county, cadre, delivery and sex."""
    keys = (t.county_code, t.cadre, t.delivery, t.participant_sex)
    stmt = (select(*keys, func.count(distinct(t.participant_key)).label("people"))
            .where(t.held_on.between(filters.start, filters.end))
            .group_by(*keys).order_by(*keys))
    return in_scope(stmt, t.county_code, scope, filters)


TRAINED_SCHEMA = {"county_code": pl.String, "cadre": pl.String, "delivery": pl.String,
                  "participant_sex": pl.String, "people": pl.Int64}


def trained(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    return fetch(engine, trained_stmt(scope, filters), scope, schema=TRAINED_SCHEMA,
                 counts=("people",))


def trained_to_date_stmt(scope: Scope, filters: Filters) -> Select:
    """Different people with a ``training`` session on or before the period's end."""
    keys = (t.county_code, t.cadre)
    stmt = (select(*keys, func.count(distinct(t.participant_key)).label("trained"))
            .where(t.delivery == "training").where(t.held_on <= filters.end)
            .group_by(*keys).order_by(*keys))
    return in_scope(stmt, t.county_code, scope, filters)


def headcount_stmt(scope: Scope, filters: Filters) -> Select:
    """Each county and cadre's latest workforce row on or before the period's end."""
    w = workforce.c
    latest = in_scope(
        select(w.county_code, w.cadre, func.max(w.as_of).label("as_of"))
        .where(w.as_of <= filters.end).group_by(w.county_code, w.cadre),
        w.county_code, scope, filters).subquery("latest")
    return (select(w.county_code, w.cadre, w.headcount, w.as_of.label("headcount_as_of"))
            .join_from(workforce, latest, and_(w.county_code == latest.c.county_code,
                                               w.cadre == latest.c.cadre,
                                               w.as_of == latest.c.as_of))
            .order_by(w.county_code, w.cadre))


def coverage_parts(engine: Engine, scope: Scope,
                   filters: Filters) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(county_code, cadre, trained) and (county_code, cadre, headcount, headcount_as_of).
    A headcount is not a count of anyone's data, so it is never withheld."""
    done = fetch(engine, trained_to_date_stmt(scope, filters), scope,
                 schema={"county_code": pl.String, "cadre": pl.String, "trained": pl.Int64},
                 counts=("trained",))
    heads = fetch(engine, headcount_stmt(scope, filters), scope,
                  schema={"county_code": pl.String, "cadre": pl.String,
                          "headcount": pl.Int64, "headcount_as_of": pl.Date})
    return done, heads


def _tally(condition):
    return func.sum(case((condition, 1), else_=0))


PRE, POST = t.pre_score, t.post_score
BOTH_SCORES = and_(PRE.is_not(None), POST.is_not(None))
GAINED = and_(BOTH_SCORES, POST - PRE >= GAIN)


def _training_rows(stmt: Select, start, end) -> Select:
    return stmt.where(t.delivery == "training").where(t.held_on.between(start, end))


def learning_stmt(scope: Scope, filters: Filters) -> Select:
    """Training rows in the period by course and cadre, with their pre- and post-test scores:
    means over the rows with both scores; rows with one score counted apart."""
    one = or_(and_(PRE.is_not(None), POST.is_(None)), and_(PRE.is_(None), POST.is_not(None)))
    stmt = (select(t.course, t.cadre, func.count().label("sessions"),
                   _tally(BOTH_SCORES).label("with_both_scores"),
                   func.avg(case((BOTH_SCORES, PRE))).label("mean_pre"),
                   func.avg(case((BOTH_SCORES, POST))).label("mean_post"),
                   _tally(GAINED).label("gained_10"),
                   _tally(one).label("only_one_score"))
            .group_by(t.course, t.cadre).order_by(t.course, t.cadre))
    return in_scope(_training_rows(stmt, filters.start, filters.end), t.county_code, scope,
                    filters)


def learning_by_cells_stmt(scope: Scope, cells: Cells) -> Select:
    """period, county_scope, with_both_scores, gained_10: ``learning_stmt``'s two counts
    summed over its courses and cadres, in each cell (whose periods must be contiguous)
    with a training row; the training rows are few, so they are grouped by period
    directly."""
    period = period_of_day(t.held_on, cells)
    parts = grouped_by_scope(
        lambda label: _training_rows(
            select(period.label("period"), label.label("county_scope"),
                   _tally(BOTH_SCORES).label("with_both_scores"),
                   _tally(GAINED).label("gained_10")), cells.start, cells.end),
        period, t.county_code, scope, cells)
    return parts[0] if len(parts) == 1 else select(union_all(*parts).subquery("learning"))


LEARNING_SCHEMA = {"course": pl.String, "cadre": pl.String, "sessions": pl.Int64,
                   "with_both_scores": pl.Int64, "mean_pre": pl.Float64, "mean_post": pl.Float64,
                   "gained_10": pl.Int64, "only_one_score": pl.Int64}
LEARNING_COUNTS = ("sessions", "with_both_scores", "gained_10", "only_one_score")


def learning(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    return fetch(engine, learning_stmt(scope, filters), scope, schema=LEARNING_SCHEMA,
                 counts=LEARNING_COUNTS)


def quarterly_people_stmt(scope: Scope, filters: Filters) -> Select:
    """Different people with a session of any delivery in each quarter of the period (the
    people_trained measure, per quarter)."""
    measure = BY_ID["people_trained"]
    stmt = measure.grouped({"quarter": quarter_key(measure.day_column)}, filters.start,
                           filters.end).order_by("quarter")
    return in_scope(stmt, measure.county_column, scope, filters)


def quarterly_people(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    return fetch(engine, quarterly_people_stmt(scope, filters), scope,
                 schema={"quarter": pl.String, "people": pl.Int64}, counts=("people",))


def targets_stmt(scope: Scope, filters: Filters, quarters: list[str]) -> Select:
    """PEOPLE_TRAINED targets for those quarters: programme-wide ('ALL') for a reader of
    every county, else one row per county read."""
    allowed = effective_counties(scope, filters)
    where = (targets.c.county_scope == "ALL" if allowed is None
             else targets.c.county_scope.in_(allowed))
    return (select(targets.c.period.label("quarter"), targets.c.county_scope, targets.c.target)
            .where(targets.c.indicator_code == PEOPLE_TRAINED)
            .where(targets.c.period.in_(quarters)).where(where)
            .order_by(targets.c.period, targets.c.county_scope))


def quarterly_targets(engine: Engine, scope: Scope, filters: Filters,
                      quarters: list[str]) -> pl.DataFrame:
    return fetch(engine, targets_stmt(scope, filters, quarters), scope,
                 schema={"quarter": pl.String, "county_scope": pl.String,
                         "target": pl.Float64})
