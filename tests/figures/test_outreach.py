"""The outreach page's tables equal independent counts over the raw tables, on both
backends, for several scopes and periods."""

import polars as pl
import pytest

from core.scope import ScopeError
from figures import outreach
from tests.figures import independent
from tests.figures.test_map import KWALE, PERIODS, SCOPES, _refused


@pytest.fixture(scope="module")
def raw(demo_warehouse):
    return independent.load(demo_warehouse)


CASES = [(who, period) for who in sorted(SCOPES) for period in sorted(PERIODS)]


@pytest.mark.parametrize(("who", "period"), CASES)
def test_sessions_hotline_and_monthly(demo_warehouse, raw, who, period):
    scope, f = SCOPES[who], PERIODS[period]
    if _refused(scope, f):
        with pytest.raises(ScopeError):
            outreach.tables(demo_warehouse, scope, f)
        return
    tables = outreach.tables(demo_warehouse, scope, f)
    codes = independent.allowed(scope, f)
    contract = independent.CONTRACT["outreach"]
    for name, columns in contract.items():
        assert tables[name].columns[:len(columns)] == columns, name

    sessions = tables["sessions"].select(contract["sessions"])
    assert {r[:2]: r[2:] for r in sessions.iter_rows()} == independent.sessions(
        raw, codes, f.start, f.end)

    hotline = tables["hotline"].select(contract["hotline"])
    assert {r[:4]: r[4:] for r in hotline.iter_rows()} == independent.hotline(
        raw, codes, f.start, f.end)

    monthly = tables["monthly"].select(contract["monthly"])
    want = independent.monthly(raw, codes, f.start, f.end)
    got = {r[:2]: r[2:] for r in monthly.iter_rows()}
    assert {k: v for k, v in got.items() if any(v)} == want
    # Every month of the period for every county with data: a month without any is 0.
    months = sorted({m for m, _ in got})
    assert months[0] == f.start.strftime("%Y-%m") and months[-1] == f.end.strftime("%Y-%m")
    counties = {c for _, c in want}
    assert set(got) == {(m, c) for m in months for c in counties}


@pytest.mark.parametrize(("who", "period"), CASES)
def test_sessions_by_month_and_sub_county_add_up(demo_warehouse, raw, who, period):
    scope, f = SCOPES[who], PERIODS[period]
    if _refused(scope, f):
        return
    detail = outreach.extra_tables(demo_warehouse, scope, f)["sessions_detail"]
    codes = independent.allowed(scope, f)
    rows = raw["outreach"].filter(pl.col("held_on").is_between(f.start, f.end))
    if codes is not None:
        rows = rows.filter(pl.col("county_code").is_in(list(codes)))
    names = dict(zip(raw["sub_counties"]["id"], raw["sub_counties"]["name"], strict=True))
    want = {}
    for r in rows.iter_rows(named=True):
        key = (r["held_on"].strftime("%Y-%m"), r["county_code"],
               names.get(r["sub_county_id"]), r["audience"])
        n, fem, male = want.get(key, (0, 0, 0))
        want[key] = (n + 1, fem + r["participants_female"], male + r["participants_male"])
    got = {r[:4]: r[4:7] for r in detail.iter_rows()}
    assert got == want


def test_reports_linked_to_cases_are_a_part_of_all_reports(demo_warehouse):
    tables = outreach.tables(demo_warehouse, SCOPES["cuc_kwale"], PERIODS["last-year"])
    hotline = tables["hotline"]
    assert set(hotline["county_code"]) == {KWALE}
    assert 0 < hotline["linked_to_case"].sum() < hotline["reports"].sum()


def test_a_report_counts_as_a_case_only_when_its_case_is_in_the_warehouse(empty_warehouse):
    from datetime import date

    from core.scope import Filters, Scope
    from warehouse import maintained
    from warehouse.schema import cases, hotline_reports

    key = "c" * 64
    with empty_warehouse.begin() as conn:
        conn.execute(cases.insert().values(
            case_key=key, county_code=KWALE, reported_on=date(2025, 5, 2),
            referral_source="hotline_116", offence="child_trafficking", victim_age_band="15-17",
            victim_sex="female"))
        conn.execute(hotline_reports.insert(), [
            {"report_key": f"{i}" * 64, "received_on": date(2025, 5, 1), "county_code": KWALE,
             "channel": "call_116", "category": "child_trafficking", "referred_to": "police",
             "case_key": case_key}
            for i, case_key in enumerate([key, "d" * 64, None])])
        maintained.rebuild(conn)  # as every writer keeps the summaries (hotline_months)
    got = outreach.tables(empty_warehouse, Scope(None),
                          Filters(date(2025, 5, 1), date(2025, 5, 31)))["hotline"]
    assert got.select("reports", "linked_to_case").row(0) == (3, 1)
