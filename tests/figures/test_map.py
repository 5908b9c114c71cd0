"""The map's ``counties`` table equals an independent count per county, on both backends,
for several scopes and periods; out-of-scope requests are refused."""

from datetime import date

import polars as pl
import pytest

from auth.policy import Principal, scope_for
from core.scope import Filters, ScopeError
from figures import map as county_map
from figures import outreach, training
from queries.run import ReleaseOnly
from tests.figures import independent

KILIFI, KWALE, MOMBASA = "003", "002", "001"
SCOPES = {
    "manager": scope_for(Principal("p", "P", "project_manager")),
    "cuc_kilifi": scope_for(Principal("k", "K", "cuc_member", (KILIFI,))),
    "cuc_kwale": scope_for(Principal("w", "W", "cuc_member", (KWALE,))),
}
PERIODS = {
    "last-year": Filters(date(2025, 10, 1), date(2026, 9, 30)),
    "2022-Q1": Filters(date(2022, 1, 1), date(2022, 3, 31)),
    "to-date": Filters(date(2026, 7, 1), date(2026, 12, 31), as_of=date(2026, 11, 15)),
    "kwale-nov": Filters(date(2026, 11, 1), date(2026, 11, 15), counties=(KWALE,)),
    "coast": Filters(date(2024, 1, 1), date(2024, 12, 31), counties=(KILIFI, MOMBASA)),
}


@pytest.fixture(scope="module")
def raw(demo_warehouse):
    return independent.load(demo_warehouse)


def _refused(scope, filters):
    return (scope.counties is not None and filters.counties
            and not set(filters.counties) <= set(scope.counties))


@pytest.mark.parametrize("period", sorted(PERIODS))
@pytest.mark.parametrize("who", sorted(SCOPES))
def test_every_county_equals_an_independent_count(demo_warehouse, raw, who, period):
    scope, filters = SCOPES[who], PERIODS[period]
    if _refused(scope, filters):
        with pytest.raises(ScopeError):
            county_map.counties(demo_warehouse, scope, filters)
        return
    got = county_map.counties(demo_warehouse, scope, filters)
    codes = independent.allowed(scope, filters)
    want = independent.map_counties(raw, codes, filters.start, filters.end)
    assert got["county_code"].to_list() == sorted(want)
    assert got.height == (47 if codes is None else len(codes))
    for row in got.iter_rows(named=True):
        expected = want[row["county_code"]]
        for column in independent.CONTRACT["map"]["counties"]:
            if column in ("cases_per_100k", "conviction_rate") and expected[column] is not None:
                assert row[column] == pytest.approx(expected[column]), (column, row)
            else:
                assert row[column] == expected[column], (column, row)


def test_the_counts_are_not_trivially_zero(demo_warehouse):
    got = county_map.counties(demo_warehouse, SCOPES["manager"], PERIODS["last-year"])
    coast = got.filter(pl.col("county_code").is_in([KILIFI, KWALE, MOMBASA]))
    for column in ("cases_reported", "charged", "convicted", "people_trained",
                   "outreach_participants", "hotline_reports"):
        assert (coast[column] > 0).all(), column
    assert coast["conviction_rate"].is_not_null().all()
    # A county with no decision in the period has no rate: empty, not 0.
    assert got.filter(pl.col("county_code") == "023")["conviction_rate"].item() is None


def test_columns_are_the_contracts_plus_withheld_reasons(demo_warehouse):
    got = county_map.counties(demo_warehouse, SCOPES["manager"], PERIODS["2022-Q1"])
    contract = independent.CONTRACT["map"]["counties"]
    assert got.columns[:len(contract)] == contract
    assert all(c.endswith("_withheld") for c in got.columns[len(contract):])


def test_kwale_member_receives_kwale_only_and_cannot_ask_for_more(demo_warehouse):
    scope = SCOPES["cuc_kwale"]
    got = county_map.counties(demo_warehouse, scope, PERIODS["last-year"])
    assert got["county"].to_list() == ["Kwale"]
    for asked in [(MOMBASA,), (KWALE, MOMBASA)]:
        with pytest.raises(ScopeError):
            county_map.counties(demo_warehouse, scope,
                                Filters(date(2025, 1, 1), date(2025, 12, 31), counties=asked))


@pytest.mark.parametrize("page", [county_map, training, outreach],
                         ids=["map", "training", "outreach"])
def test_summaries_only_readers_get_nothing_from_these_pages(demo_warehouse, page):
    """Monitors and administrators see these figures only through the protected summary;
    the pages' own computation refuses them outright."""
    monitor = scope_for(Principal("m", "M", "monitor"))
    with pytest.raises(ReleaseOnly):
        page.tables(demo_warehouse, monitor, PERIODS["last-year"])
