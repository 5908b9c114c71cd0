"""What a summaries-only reader sees, attacked over the demo warehouse.

1. Every published cell equals an independent count (polars over the raw tables).
2. Every choice outside the published groupings is refused.
3. The systematic attack: collect every figure the overview shows a monitor over every
   choice it offers (each completed quarter and year x each county group; headline,
   previous-period figure and trend alike), check the same cell is always the same number,
   then give an attacker the tables' equations and all of it: no withheld cell comes out.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
import pytest
from sqlalchemy import func, select

from auth.policy import Principal, scope_for
from core.periods import parse_period
from core.scope import Filters, Scope
from figures import overview
from queries import release
from queries.measures import BY_ID
from queries.overview import reported_stmt
from queries.release import ReleaseError
from queries.run import ReleaseOnly, fetch
from tests.conftest import DEMO_UNTIL
from tests.figures.test_overview import _table
from tests.metrics.test_protection import recovered, subtraction_attack
from warehouse import maintained
from warehouse.schema import (
    case_events,
    cases,
    hotline_months,
    outreach,
    service_months,
    services,
    stage_months,
    trainings,
)

MONITOR = scope_for(Principal("m", "M", "monitor"))
AS_OF = DEMO_UNTIL
PROGRAMME = ("001", "002", "003")
ADDS = {"cases_reported": (True, True), "cases_charged": (True, True),
        "convictions": (True, True), "survivors_served": (True, False),
        "people_trained": (False, False), "outreach_participants": (True, True)}


@pytest.fixture(scope="module")
def raw(demo_warehouse):
    return {t.name: _table(demo_warehouse, t)
            for t in (cases, case_events, services, trainings, outreach)}


def _rows(raw, measure):
    """(day, county_code, key or weight) per measure, from the raw tables by hand."""
    case_county = raw["cases"].select("case_key", pl.col("county_code").alias("home"))
    if measure == "cases_reported":
        return raw["cases"].select(pl.col("reported_on").alias("day"), "county_code",
                                   pl.lit(1).alias("w"), pl.col("case_key").alias("who"))
    if measure in ("cases_charged", "convictions"):
        stage = "charged" if measure == "cases_charged" else "convicted"
        ev = raw["case_events"].filter(pl.col("stage") == stage).join(case_county, on="case_key")
        return ev.select(pl.col("occurred_on").alias("day"), pl.col("home").alias("county_code"),
                         pl.lit(1).alias("w"), pl.col("case_key").alias("who"))
    if measure == "survivors_served":
        sv = raw["services"].join(case_county, on="case_key")
        return sv.select(pl.col("provided_on").alias("day"), pl.col("home").alias("county_code"),
                         pl.lit(1).alias("w"), pl.col("case_key").alias("who"))
    if measure == "people_trained":
        return raw["trainings"].select(pl.col("held_on").alias("day"), "county_code",
                                       pl.lit(1).alias("w"), pl.col("participant_key").alias("who"))
    out = raw["outreach"]
    return out.select(pl.col("held_on").alias("day"), "county_code",
                      (pl.col("participants_female") + pl.col("participants_male")).alias("w"),
                      pl.col("event_key").alias("who"))


def independent(raw, measure, period, group) -> int:
    start, end = parse_period(period)
    rows = _rows(raw, measure).filter(pl.col("day").is_between(start, end))
    if group == "other":
        rows = rows.filter(~pl.col("county_code").is_in(PROGRAMME))
    elif group != "ALL":
        rows = rows.filter(pl.col("county_code") == group)
    if measure in ("survivors_served", "people_trained"):
        return rows["who"].n_unique()
    return int(rows["w"].sum())


@pytest.mark.parametrize("year", [2023, 2025])
@pytest.mark.parametrize("measure", sorted(ADDS))
def test_published_cells_equal_independent_counts(demo_warehouse, raw, measure, year):
    table = release.release_table(demo_warehouse, MONITOR, measure, year, AS_OF)
    assert set(table["period"]) == {f"{year}-Q{q}" for q in range(1, 5)} | {str(year)}
    assert set(table["group"]) == {*PROGRAMME, "other", "ALL"}
    for row in table.iter_rows(named=True):
        truth = independent(raw, measure, row["period"], row["group"])
        if row["value_withheld"] is None:
            assert row["value"] == truth, row
        elif row["value_withheld"] == "small":
            assert 1 <= truth <= 10, row
        else:
            assert truth >= 1, row  # a partner is never a zero: zeros are public anyway


def test_the_running_quarter_and_year_are_not_published(demo_warehouse):
    table = release.release_table(demo_warehouse, MONITOR, "cases_reported", 2026, AS_OF)
    assert set(table["period"]) == {"2026-Q1", "2026-Q2", "2026-Q3"}  # Q4 runs to 15 Nov


@pytest.mark.parametrize(("filters", "message"), [
    (Filters(date(2025, 1, 1), date(2025, 6, 30), as_of=AS_OF), "whole completed quarter"),
    (Filters(date(2026, 10, 1), date(2026, 12, 31), as_of=AS_OF), "not over yet"),
    (Filters(date(2026, 1, 1), date(2026, 12, 31), as_of=AS_OF), "not over yet"),
    (Filters(date(2025, 7, 1), date(2025, 9, 30), counties=("001", "021"), as_of=AS_OF),
     "not other combinations"),
    (Filters(date(2025, 7, 1), date(2025, 9, 30), counties=("021",), as_of=AS_OF),
     "not other combinations"),
])
def test_choices_outside_the_release_are_refused(demo_warehouse, filters, message):
    with pytest.raises(ReleaseError, match=message):
        overview.tables(demo_warehouse, MONITOR, filters)


def test_nothing_but_the_release_reaches_a_summaries_only_reader(demo_warehouse):
    f = Filters(date(2025, 7, 1), date(2025, 9, 30), as_of=AS_OF)
    with pytest.raises(ReleaseOnly):
        fetch(demo_warehouse, reported_stmt(MONITOR, f), MONITOR, schema={"n": pl.Int64},
              counts=("n",))


def _everything_a_monitor_sees(engine):
    """{(measure, period, group): value or None} over every choice the overview offers."""
    names = [f"{i:03d}" for i in range(1, 48)]
    groups = {"ALL": None, **{c: (c,) for c in PROGRAMME},
              "other": release.other_counties(names)}
    periods = [f"{q[0]}-Q{q[1]}" for q in release.published_quarters(AS_OF)]
    periods += [str(y) for y in release.published_years(AS_OF)]
    seen: dict[tuple, set] = {}
    for period in periods:
        start, end = parse_period(period)
        for group, counties in groups.items():
            figs = overview.tables(engine, MONITOR, Filters(start, end, counties, as_of=AS_OF))
            for m, cur, prev, _, prev_withheld in figs["headline"].iter_rows():
                seen.setdefault((m, period, group), set()).add(cur)
                if prev is not None or prev_withheld:  # else: no comparison made at all
                    earlier = str(int(period[:4]) - 1) + period[4:]
                    seen.setdefault((m, earlier, group), set()).add(prev)
            for p, code, _, n, _ in figs["trend"].iter_rows():
                seen.setdefault(("cases_reported", p, code), set()).add(n)
    return seen


def test_no_withheld_figure_can_be_worked_out_from_everything_shown(demo_warehouse, raw):
    seen = _everything_a_monitor_sees(demo_warehouse)
    shown = {}
    for key, values in seen.items():
        numbers = {v for v in values if v is not None}
        # A cell is the same number wherever it appears, or withheld everywhere.
        assert len(numbers) <= 1 and not (numbers and None in values), (key, values)
        shown[key] = numbers.pop() if numbers else None
    assert not [k for k, v in shown.items() if v is not None and 1 <= v <= 10]
    rows = [*PROGRAMME, "other", "ALL"]
    attacked = 0
    for measure, (rows_add, cols_add) in ADDS.items():
        for year in release.published_years(AS_OF):
            cols = [f"{year}-Q{q}" for q in range(1, 5)] + [str(year)]
            truth = np.array([[independent(raw, measure, p, g) for p in cols] for g in rows])
            hidden = np.array([[shown.get((measure, p, g)) is None for p in cols] for g in rows])
            assert recovered(truth, hidden, rows_add, cols_add) == set(), (measure, year)
            assert subtraction_attack(truth, hidden, rows_add, cols_add) == set()
            attacked += int(hidden.sum())
    assert attacked > 0, "the demo warehouse should have withheld cells to attack"


KILIFI = "003"
MADE_UP = {  # measure: its monthly summary, the count column, a row of Kilifi in August 2025
    "cases_charged": (stage_months, "events", {"occurred_month": "2025-08", "stage": "charged"}),
    "survivors_served": (service_months, "service_rows",
                         {"provided_month": "2025-08", "previous_month": None}),
    "hotline_reports": (hotline_months, "reports",
                        {"received_month": "2025-08", "category": "child_trafficking",
                         "channel": "call_116", "referred_to": "none", "linked_to_case": 0}),
}


@pytest.mark.parametrize("measure", sorted(MADE_UP))
def test_the_release_sums_whole_months_from_the_measures_summary(demo_warehouse, measure):
    """Published periods are whole quarters, so the release sums a measure's monthly summary
    (a few rows a month) instead of counting its rows: 1,000 more in a summary row of
    August 2025 show in Kilifi's and all counties' third quarter and year, and nowhere
    else (with the real rows, every cell equals an independent count: above)."""
    summary, count, key = MADE_UP[measure]
    key = {"county_code": KILIFI} | key
    unprotected = Scope(None, 0)

    def cells():
        table = release.release_table(demo_warehouse, unprotected, measure, 2025, AS_OF)
        return {(r["group"], r["period"]): r["value"] for r in table.iter_rows(named=True)}

    before = cells()
    try:
        with demo_warehouse.begin() as conn:
            same = [summary.c[k] == v for k, v in key.items()]
            had = conn.execute(select(func.coalesce(func.sum(summary.c[count]), 0))
                               .where(*same)).scalar_one()
            conn.execute(summary.delete().where(*same))
            conn.execute(summary.insert().values(**key, **{count: had + 1000}))
        after = cells()
    finally:
        with demo_warehouse.begin() as conn:
            maintained.rebuild(conn)
    assert cells() == before
    changed = {cell: after[cell] - before[cell] for cell in before if after[cell] != before[cell]}
    assert changed == {(g, p): 1000 for g in (KILIFI, "ALL") for p in ("2025-Q3", "2025")}


def test_a_monthly_count_is_taken_over_whole_months_only():
    with pytest.raises(ValueError, match="whole months"):
        BY_ID["cases_charged"].per_month(date(2025, 7, 1), date(2025, 8, 15))
    with pytest.raises(ValueError, match="whole months"):
        BY_ID["people_trained"].per_month(date(2025, 7, 1), date(2025, 9, 30))
