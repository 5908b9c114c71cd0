"""Every overview figure equals an independent count over the warehouse, for every role.

The independent side reads whole tables and counts with polars, sharing no code
with figures/ or queries/ but the table definitions; a case's county is taken from
the cases table, not from the county carried on its fact rows.
"""

from datetime import date

import polars as pl
import pytest
from sqlalchemy import select

from auth.policy import Principal, scope_for
from core.scope import Filters, ScopeError
from figures import overview
from queries import overview as overview_queries
from warehouse.schema import case_events, cases, outreach, services, trainings

KILIFI, KWALE, MOMBASA = "003", "002", "001"
SCOPES = {
    "manager": scope_for(Principal("p", "P", "project_manager")),
    "cuc_kilifi": scope_for(Principal("k", "K", "cuc_member", (KILIFI,))),
    "cuc_kwale": scope_for(Principal("w", "W", "cuc_member", (KWALE,))),
}
PERIODS = [
    Filters(date(2025, 10, 1), date(2026, 9, 30)),
    Filters(date(2022, 1, 1), date(2022, 3, 31)),
    Filters(date(2026, 11, 1), date(2026, 11, 15), counties=(KWALE,)),
]


def _table(engine, table):
    with engine.connect() as conn:
        rows = conn.execute(select(table)).mappings().all()
    return pl.DataFrame([dict(r) for r in rows], infer_schema_length=None)


@pytest.fixture(scope="module")
def tables(demo_warehouse):
    return {t.name: _table(demo_warehouse, t) for t in (cases, case_events, services, trainings, outreach)}


def _independent(tables, counties, start, end):
    def within(df, day, county="county_code"):
        df = df.filter(pl.col(day).is_between(start, end))
        return df if counties is None else df.filter(pl.col(county).is_in(list(counties)))

    case_county = tables["cases"].select("case_key", "county_code")
    events = tables["case_events"].join(case_county, on="case_key")
    served = tables["services"].join(case_county, on="case_key")
    out = within(tables["outreach"], "held_on")
    return {
        "cases_reported": within(tables["cases"], "reported_on").height,
        "cases_charged": within(events.filter(pl.col("stage") == "charged"), "occurred_on").height,
        "convictions": within(events.filter(pl.col("stage") == "convicted"), "occurred_on").height,
        "survivors_served": within(served, "provided_on")["case_key"].n_unique(),
        "people_trained": within(tables["trainings"], "held_on")["participant_key"].n_unique(),
        "outreach_participants": int(
            (out["participants_female"] + out["participants_male"]).sum() or 0),
    }


def _allowed(scope, filters):
    if scope.counties is None:
        return filters.counties
    return filters.counties or scope.counties


@pytest.mark.parametrize("filters", PERIODS, ids=["last-year", "2022-Q1", "kwale-nov"])
@pytest.mark.parametrize("who", sorted(SCOPES))
def test_headline_equals_independent_count(demo_warehouse, tables, who, filters):
    scope = SCOPES[who]
    if scope.counties is not None and filters.counties and not set(filters.counties) <= set(scope.counties):
        with pytest.raises(ScopeError):
            overview.headline(demo_warehouse, scope, filters)
        return
    got = overview.headline(demo_warehouse, scope, filters)
    counties = _allowed(scope, filters)
    now = _independent(tables, counties, filters.start, filters.end)
    # The same dates one year earlier, written out by hand.
    start, end = (filters.start.replace(year=filters.start.year - 1),
                  filters.end.replace(year=filters.end.year - 1))
    comparable = start >= tables["cases"]["reported_on"].min()
    before = _independent(tables, counties, start, end)
    assert got["measure"].to_list() == list(now)
    for row in got.iter_rows(named=True):
        for column, expected in (("current", now), ("previous", before)):
            want = expected[row["measure"]]
            if column == "previous" and not comparable:
                want = None
            assert row[column] == want, (who, row["measure"], column)


def test_no_comparison_before_the_data_begins(demo_warehouse, tables):
    # A year that starts with the data: its year-earlier twin lies before it.
    got = overview.headline(demo_warehouse, SCOPES["manager"],
                            Filters(date(2021, 1, 1), date(2021, 12, 31)))
    assert got["previous"].null_count() == got.height
    assert got["previous_withheld"].null_count() == got.height
    assert got.filter(pl.col("measure") == "cases_reported")["current"].item() > 0


def test_the_figures_are_not_trivially_zero(demo_warehouse):
    got = overview.headline(demo_warehouse, SCOPES["manager"], PERIODS[0])
    assert got.filter(pl.col("measure") == "cases_reported")["current"].item() > 0, got


@pytest.mark.parametrize("filters", PERIODS[:2])
def test_trend_sums_to_the_headline_and_stays_in_scope(demo_warehouse, filters):
    for who in ("manager", "cuc_kilifi", "cuc_kwale"):
        scope = SCOPES[who]
        trend = overview.trend(demo_warehouse, scope, filters)
        head = overview.headline(demo_warehouse, scope, filters)
        reported = head.filter(pl.col("measure") == "cases_reported")["current"].item()
        assert trend["cases"].sum() == reported
        if scope.counties is not None:
            assert set(trend["county_code"]) <= set(scope.counties)


@pytest.mark.parametrize("grain", ["month", "quarter"])
def test_counties_outside_the_programme_are_grouped_unless_chosen(demo_warehouse, tables, grain):
    whole = Filters(date(2021, 1, 1), date(2026, 11, 15))
    trend = overview_queries.reported_trend(demo_warehouse, SCOPES["manager"], whole, grain)
    assert set(trend["county"]) == {"Kilifi", "Kwale", "Mombasa", "Other counties"}
    others = tables["cases"].filter(~pl.col("county_code").is_in([KILIFI, KWALE, MOMBASA]))
    assert trend.filter(pl.col("county") == "Other counties")["cases"].sum() == others.height
    assert trend["cases"].sum() == tables["cases"].height
    chosen = others["county_code"][0]
    alone = overview_queries.reported_trend(demo_warehouse, SCOPES["manager"],
                                    Filters(whole.start, whole.end, (chosen,)), grain)
    assert set(alone["county_code"]) == {chosen}
    assert alone["cases"].sum() == others.filter(pl.col("county_code") == chosen).height


@pytest.mark.parametrize("grain", ["month", "quarter"])
def test_trend_periods_match_an_independent_bucketing(demo_warehouse, tables, grain):
    f = Filters(date(2024, 2, 10), date(2025, 8, 20))
    got = overview_queries.reported_trend(demo_warehouse, SCOPES["cuc_kilifi"], f, grain)
    kilifi = tables["cases"].filter(
        (pl.col("county_code") == KILIFI) & pl.col("reported_on").is_between(f.start, f.end))
    if grain == "month":
        key = pl.col("reported_on").dt.strftime("%Y-%m")
    else:
        key = pl.format("{}-Q{}", pl.col("reported_on").dt.year(), pl.col("reported_on").dt.quarter())
    want = kilifi.group_by(key.alias("period")).len().sort("period")
    assert got.select("period", pl.col("cases").cast(pl.UInt32).alias("len")).sort("period").equals(
        want.rename({"len": "len"}))


def test_kilifi_member_never_receives_a_mombasa_figure(demo_warehouse, tables):
    scope = SCOPES["cuc_kilifi"]
    whole = Filters(date(2021, 1, 1), date(2026, 11, 15))
    trend = overview_queries.reported_trend(demo_warehouse, scope, whole, "month")
    assert set(trend["county"]) == {"Kilifi"}
    kilifi_cases = tables["cases"].filter(pl.col("county_code") == KILIFI).height
    got = overview.headline(demo_warehouse, scope, whole)
    assert got.filter(pl.col("measure") == "cases_reported")["current"].item() == kilifi_cases
    for asked in [(MOMBASA,), (KILIFI, MOMBASA)]:
        with pytest.raises(ScopeError):
            overview.headline(demo_warehouse, scope, Filters(whole.start, whole.end, asked))
        with pytest.raises(ScopeError):
            overview_queries.reported_trend(demo_warehouse, scope, Filters(whole.start, whole.end, asked), "month")


def test_values_are_bound_parameters_not_sql_text():
    stmt = overview_queries.reported_stmt(SCOPES["cuc_kilifi"], PERIODS[0])
    compiled = stmt.compile()
    sql = str(compiled)
    assert "003" not in sql and "2025" not in sql
    assert KILIFI in str(compiled.params.values())
