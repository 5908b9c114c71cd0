"""Measures read from a monthly summary for a period's whole months equal a count by hand:
survivors served (distinct survivors; ``service_months``), cases reported
(``cohort_months``) and the stage measures (``stage_months``), over periods that start on a
month's first day or mid-month and end on a month's last day or mid-month (days left
over), for all counties and for one."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from sqlalchemy import delete, insert, select

from core.scope import Filters, Scope
from queries.indicators import totals
from queries.measures import BY_ID, LINKED
from tests.conftest import DEMO_UNTIL
from warehouse import maintained
from warehouse.schema import case_events, cases, service_months, services, stage_months

MANAGER = Scope(None, 0)
SERVED = (BY_ID["survivors_served"],)
KILIFI = "003"
PERIODS = [
    (date(2026, 7, 1), date(2026, 9, 30)),    # a quarter: whole months
    (date(2026, 7, 1), date(2026, 11, 15)),   # whole months, then days left over
    (date(2026, 7, 15), date(2026, 10, 31)),  # a mid-month start: row by row
    (date(2025, 1, 1), date(2025, 12, 31)),   # a year
    (date(2026, 8, 1), date(2026, 8, 31)),    # one month
    (date(2026, 9, 20), date(2026, 9, 25)),   # days only
]


def _with_county(engine, table, *columns: str) -> pl.DataFrame:
    """``columns`` of every row of ``table``, then ``county``: its case's county, read from
    ``cases`` (not the county the row carries, which the summaries are built from)."""
    stmt = select(*[table.c[c] for c in columns], cases.c.county_code)
    if table is not cases:
        stmt = stmt.join(cases, cases.c.case_key == table.c.case_key)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return pl.DataFrame([tuple(r) for r in rows], schema=[*columns, "county"], orient="row")


@pytest.fixture(scope="module")
def reported(demo_warehouse):
    return _with_county(demo_warehouse, cases, "reported_on")


@pytest.mark.parametrize("counties", [None, (KILIFI,)])
@pytest.mark.parametrize("start, end", PERIODS)
def test_cases_reported_equals_a_count_by_hand(demo_warehouse, reported, start, end, counties):
    rows = reported.filter(pl.col("reported_on").is_between(start, end))
    if counties is not None:
        rows = rows.filter(pl.col("county").is_in(list(counties)))
    f = Filters(start, end, counties, as_of=DEMO_UNTIL)
    assert rows.height > 0
    assert totals(demo_warehouse, MANAGER, f, (BY_ID["cases_reported"],)) == {
        "cases_reported": rows.height}


@pytest.fixture(scope="module")
def served(demo_warehouse):
    return _with_county(demo_warehouse, services, "case_key", "provided_on")


def _by_hand(served, start, end, counties):
    rows = served.filter(pl.col("provided_on").is_between(start, end))
    if counties is not None:
        rows = rows.filter(pl.col("county").is_in(list(counties)))
    return rows["case_key"].n_unique()


def _total(engine, start, end, counties=None):
    f = Filters(start, end, counties, as_of=DEMO_UNTIL)
    return totals(engine, MANAGER, f, SERVED)["survivors_served"]


@pytest.mark.parametrize("counties", [None, (KILIFI,)])
@pytest.mark.parametrize("start, end", PERIODS)
def test_survivors_served_equals_a_count_by_hand(demo_warehouse, served, start, end, counties):
    want = _by_hand(served, start, end, counties)
    assert want > 0
    assert _total(demo_warehouse, start, end, counties) == want


def test_whole_months_are_read_from_the_summary_and_a_mid_month_start_is_not(demo_warehouse):
    """A made-up summary row shows in the periods whose whole months include it, and only
    in those (it is taken out again)."""
    periods = {"quarter": (date(2026, 7, 1), date(2026, 9, 30)),
               "then days": (date(2026, 8, 1), date(2026, 11, 15)),
               "mid-month start": (date(2026, 7, 15), date(2026, 9, 30)),
               "other months": (date(2026, 9, 1), date(2026, 9, 30))}
    before = {k: _total(demo_warehouse, *p, (KILIFI,)) for k, p in periods.items()}
    made_up = {"county_code": KILIFI, "provided_month": "2026-08", "previous_month": None,
               "service_rows": 1000}
    with demo_warehouse.begin() as conn:
        conn.execute(insert(service_months).values(made_up))
    try:
        after = {k: _total(demo_warehouse, *p, (KILIFI,)) for k, p in periods.items()}
    finally:
        with demo_warehouse.begin() as conn:
            conn.execute(delete(service_months).where(service_months.c.service_rows == 1000,
                                                      service_months.c.provided_month == "2026-08",
                                                      service_months.c.county_code == KILIFI))
    assert {k: after[k] - before[k] for k in periods} == {
        "quarter": 1000, "then days": 1000, "mid-month start": 0, "other months": 0}


# --- stage measures (``stage_months``) ------------------------------------------------

STAGE_MEASURES = {"cases_charged": ("charged",), "convictions": ("convicted",),
                  "decided": ("convicted", "acquitted", "withdrawn"),
                  "investigations_opened": ("investigation_opened",),
                  "acquitted_or_withdrawn": ("acquitted", "withdrawn")}


@pytest.fixture(scope="module")
def events(demo_warehouse):
    return _with_county(demo_warehouse, case_events, "stage", "occurred_on")


def _stage_measure(measure_id: str):
    if measure_id in BY_ID:
        return BY_ID[measure_id]
    return next(m for family in LINKED for m in family.parts if m.id == measure_id)


@pytest.mark.parametrize("counties", [None, (KILIFI,)])
@pytest.mark.parametrize("start, end", PERIODS)
def test_stage_measures_equal_a_count_by_hand(demo_warehouse, events, start, end, counties):
    rows = events.filter(pl.col("occurred_on").is_between(start, end))
    if counties is not None:
        rows = rows.filter(pl.col("county").is_in(list(counties)))
    want = {m: rows.filter(pl.col("stage").is_in(list(stages))).height
            for m, stages in STAGE_MEASURES.items()}
    assert rows.height > 0
    f = Filters(start, end, counties, as_of=DEMO_UNTIL)
    got = totals(demo_warehouse, MANAGER, f, tuple(_stage_measure(m) for m in STAGE_MEASURES))
    assert got == want


def test_stage_measures_read_whole_months_from_the_summary(demo_warehouse):
    """A made-up summary row of charges shows in the periods whose whole months include it,
    and only in those, and only in the measures of its stage (it is taken out again)."""
    periods = {"quarter": (date(2026, 7, 1), date(2026, 9, 30)),
               "then days": (date(2026, 8, 1), date(2026, 11, 15)),
               "days only": (date(2026, 8, 2), date(2026, 8, 30)),
               "other months": (date(2026, 9, 1), date(2026, 9, 30))}
    measures = (BY_ID["cases_charged"], BY_ID["convictions"])

    def charged(start, end):
        return totals(demo_warehouse, MANAGER, Filters(start, end, (KILIFI,),
                                                       as_of=DEMO_UNTIL), measures)

    before = {k: charged(*p) for k, p in periods.items()}
    made_up = {"county_code": KILIFI, "occurred_month": "2026-08", "stage": "charged",
               "events": 1000}
    with demo_warehouse.begin() as conn:
        conn.execute(delete(stage_months).where(*[stage_months.c[k] == v
                                                  for k, v in made_up.items() if k != "events"]))
    try:
        with demo_warehouse.begin() as conn:
            conn.execute(insert(stage_months).values(made_up))
        after = {k: charged(*p) for k, p in periods.items()}
    finally:
        with demo_warehouse.begin() as conn:
            maintained.rebuild(conn)
    assert all(after[k]["convictions"] == before[k]["convictions"] for k in periods)
    changed = {k: after[k]["cases_charged"] - before[k]["cases_charged"] for k in periods}
    assert {k: v != 0 for k, v in changed.items()} == {
        "quarter": True, "then days": True, "days only": False, "other months": False}
