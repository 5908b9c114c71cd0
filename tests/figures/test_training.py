"""The training page's tables equal independent counts over the raw tables, on both
backends, for several scopes and periods."""

from datetime import date

import polars as pl
import pytest

from core.scope import Filters, ScopeError
from figures import training
from tests.figures import independent
from tests.figures.test_map import KILIFI, KWALE, MOMBASA, PERIODS, SCOPES, _refused


@pytest.fixture(scope="module")
def raw(demo_warehouse):
    return independent.load(demo_warehouse)


CASES = [(who, period) for who in sorted(SCOPES) for period in sorted(PERIODS)]


def _both(demo_warehouse, who, period):
    scope, filters = SCOPES[who], PERIODS[period]
    if _refused(scope, filters):
        with pytest.raises(ScopeError):
            training.tables(demo_warehouse, scope, filters)
        return None
    return (training.tables(demo_warehouse, scope, filters),
            independent.allowed(scope, filters), filters)


@pytest.mark.parametrize(("who", "period"), CASES)
def test_people_trained_are_different_participants(demo_warehouse, raw, who, period):
    got = _both(demo_warehouse, who, period)
    if got is None:
        return
    tables, codes, f = got
    want = independent.trained(raw, codes, f.start, f.end)
    table = tables["trained"]
    assert table.columns[:5] == independent.CONTRACT["training"]["trained"]
    assert {tuple(r[:4]): r[4] for r in table.select(
        independent.CONTRACT["training"]["trained"]).iter_rows()} == want


@pytest.mark.parametrize(("who", "period"), CASES)
def test_coverage_against_the_latest_headcount(demo_warehouse, raw, who, period):
    got = _both(demo_warehouse, who, period)
    if got is None:
        return
    tables, codes, f = got
    want = independent.coverage(raw, codes, f.end)
    table = tables["coverage"]
    assert table.columns[:6] == independent.CONTRACT["training"]["coverage"]
    assert {(r["county_code"], r["cadre"]) for r in table.iter_rows(named=True)} == set(want)
    for r in table.iter_rows(named=True):
        w = want[(r["county_code"], r["cadre"])]
        assert (r["trained"], r["headcount"], r["headcount_as_of"]) == (
            w["trained"], w["headcount"], w["headcount_as_of"])
        assert r["coverage"] == (None if w["coverage"] is None else pytest.approx(w["coverage"]))


@pytest.mark.parametrize(("who", "period"), CASES)
def test_learning_by_course_and_cadre(demo_warehouse, raw, who, period):
    got = _both(demo_warehouse, who, period)
    if got is None:
        return
    tables, codes, f = got
    want = independent.learning(raw, codes, f.start, f.end)
    table = tables["learning"]
    assert table.columns[:8] == independent.CONTRACT["training"]["learning"]
    assert {(r["course"], r["cadre"]) for r in table.iter_rows(named=True)} == set(want)
    for r in table.iter_rows(named=True):
        w = want[(r["course"], r["cadre"])]
        for column in ("sessions", "with_both_scores", "gained_10", "only_one_score"):
            assert r[column] == w[column], column
        for column in ("mean_pre", "mean_post"):
            assert r[column] == (None if w[column] is None else pytest.approx(w[column]))


def test_one_score_rows_are_counted_apart_not_dropped(demo_warehouse, raw):
    tables = training.tables(demo_warehouse, SCOPES["manager"], PERIODS["last-year"])
    learning = tables["learning"]
    assert learning["only_one_score"].sum() > 0
    assert (learning["with_both_scores"] + learning["only_one_score"]
            <= learning["sessions"]).all()


@pytest.mark.parametrize(("who", "period"), CASES)
def test_quarterly_people_and_targets(demo_warehouse, raw, who, period):
    scope, f = SCOPES[who], PERIODS[period]
    if _refused(scope, f):
        return
    got = training.quarterly(demo_warehouse, scope, f)
    codes = independent.allowed(scope, f)
    people = independent.quarterly_people(raw, codes, f.start, f.end)
    tg = raw["targets"].filter(pl.col("indicator_code") == "PEOPLE_TRAINED")
    running_people, running_target = 0, 0.0
    for r in got.iter_rows(named=True):
        q = r["quarter"]
        assert r["people"] == people.get(q, 0)
        scopes = ["ALL"] if codes is None else list(codes)
        mine = tg.filter((pl.col("period") == q) & pl.col("county_scope").is_in(scopes))
        target = mine["target"].sum() if mine.height == len(scopes) else None
        assert r["target"] == target
        running_people += r["people"]
        assert r["cumulative_people"] == running_people
        running_target = None if running_target is None or target is None else (
            running_target + target)
        assert r["cumulative_target"] == running_target
    assert got["quarter"].to_list() == sorted({independent.quarter_of(d) for d in pl.date_range(
        f.start, f.end, eager=True).to_list()})


def test_coverage_over_100_percent_is_kept_not_capped(empty_warehouse):
    from warehouse.schema import trainings, workforce

    with empty_warehouse.begin() as conn:
        conn.execute(workforce.insert(), [{"county_code": KILIFI, "cadre": "magistrate",
                                           "headcount": 2, "as_of": date(2025, 1, 1)},
                                          {"county_code": KILIFI, "cadre": "magistrate",
                                           "headcount": 9, "as_of": date(2026, 1, 1)}])
        conn.execute(trainings.insert(), [
            {"participant_key": f"{i:064d}", "participant_sex": "female", "cadre": "magistrate",
             "county_code": KILIFI, "course": "child_friendly_courts", "delivery": "training",
             "held_on": date(2025, 3, 1)} for i in range(3)])
    got = training.coverage(empty_warehouse, SCOPES["manager"],
                            Filters(date(2025, 1, 1), date(2025, 12, 31)))
    row = got.row(0, named=True)
    assert (row["trained"], row["headcount"], row["headcount_as_of"]) == (3, 2, date(2025, 1, 1))
    assert row["coverage"] == pytest.approx(1.5)
    later = training.coverage(empty_warehouse, SCOPES["manager"],
                              Filters(date(2026, 1, 1), date(2026, 3, 31))).row(0, named=True)
    assert (later["headcount"], later["coverage"]) == (9, pytest.approx(3 / 9))


def test_a_cuc_member_sees_only_their_county(demo_warehouse):
    tables = training.tables(demo_warehouse, SCOPES["cuc_kwale"], PERIODS["last-year"])
    for name in ("trained", "coverage"):
        assert set(tables[name]["county_code"]) == {KWALE}, name
    assert MOMBASA not in set(tables["coverage"]["county_code"])
