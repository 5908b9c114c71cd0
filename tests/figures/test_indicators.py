"""The indicator register and its computations.

Every indicator's value equals an independent computation (tests/figures/indicators_by_hand.py)
for several periods and counties, on SQLite and PostgreSQL; each code has exactly one
computation; targets, percentages and statuses follow their stated rules."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from core.periods import key_end, key_start
from core.scope import Filters, Scope
from figures import indicators as figures
from figures.indicator_values import ATTACHED, MEASURED, values
from metrics.indicators import status, target_for, target_index
from tests.conftest import DEMO_UNTIL
from tests.figures import indicators_by_hand as by_hand
from warehouse import vocab
from warehouse.demo.params import INDICATORS as DEMO_INDICATORS
from warehouse.indicators import BY_CODE, CODES, REGISTER, code_for

MANAGER = Scope(None, 0)
AS_OF = DEMO_UNTIL


@pytest.fixture(scope="module")
def raw(demo_warehouse):
    return by_hand.load(demo_warehouse)


CHOICES = [
    (date(2025, 4, 1), date(2025, 6, 30), None),
    (date(2026, 7, 1), date(2026, 9, 30), ("003",)),
    (date(2024, 1, 1), date(2024, 12, 31), ("001",)),
    (date(2026, 10, 1), date(2026, 11, 15), ("002",)),  # the running quarter, to date
    (date(2023, 1, 1), date(2023, 3, 31), ("001", "047")),
]


@pytest.mark.parametrize(("start", "end", "counties"), CHOICES)
def test_every_indicator_equals_an_independent_computation(demo_warehouse, raw, start, end,
                                                           counties):
    got = values(demo_warehouse, MANAGER, Filters(start, end, counties, as_of=AS_OF))
    assert got["indicator_code"].to_list() == list(CODES)
    for code, actual, base in got.iter_rows():
        want, want_base = by_hand.indicator(raw, code, counties, start, end, AS_OF)
        assert actual == pytest.approx(want, rel=1e-12), code
        if BY_CODE[code].kind != "count":
            assert base == want_base, code


def test_the_values_are_not_trivially_empty(demo_warehouse):
    got = values(demo_warehouse, MANAGER, Filters(date(2025, 1, 1), date(2025, 12, 31),
                                                  as_of=AS_OF))
    assert got["actual"].null_count() == 0
    assert (got["actual"] > 0).all()


def test_each_indicator_has_exactly_one_computation():
    assert sorted(ATTACHED) == sorted(CODES)
    assert len(ATTACHED) == len(set(ATTACHED))


def test_the_register_is_complete_and_says_what_each_counts():
    assert {"PS.5.1-28", "PS.5.1-29", "PS.5.3-15"} <= {i.code for i in REGISTER if i.standard}
    for i in REGISTER:
        assert i.name and i.numerator and i.unit and i.disaggregations[0] == "county"
        assert (i.denominator is not None) == (i.kind == "share"), i.code
        assert i.direction in ("up", "down")
    assert BY_CODE["PS.5.1-28"].disaggregations[1:] == ("participant_sex", "cadre")
    assert {"participant_sex", "cadre"} <= set(BY_CODE["PS.5.3-15"].disaggregations)


def test_the_demo_and_the_targets_template_take_their_codes_from_the_register():
    assert set(DEMO_INDICATORS) <= set(CODES)
    # The ingest's targets template validates against vocab.INDICATOR_CODES: the register's.
    assert tuple(getattr(vocab, "INDICATOR_CODES", CODES)) == CODES


@pytest.mark.parametrize(("typed", "code"), [
    ("PS.5.1-28", "PS.5.1-28"), ("ps 5.1 28", "PS.5.1-28"), (" ps_5_1_29 ", "PS.5.1-29"),
    ("cases reported", "CASES_REPORTED"), ("Cases-Charged", "CASES_CHARGED"),
    ("PS.5.1-2", None), ("", None), ("CASES", None)])
def test_codes_typed_in_a_spreadsheet_are_matched(typed, code):
    assert code_for(typed) == code


@pytest.mark.parametrize(("pct", "direction", "want"), [
    (1.2, "up", "on_track"), (0.9, "up", "on_track"), (0.8999, "up", "at_risk"),
    (0.75, "up", "at_risk"), (0.7499, "up", "off_track"), (0.0, "up", "off_track"),
    (0.5, "down", "on_track"), (1.1, "down", "on_track"), (1.1001, "down", "at_risk"),
    (1.25, "down", "at_risk"), (1.2501, "down", "off_track"), (None, "up", None)])
def test_status_thresholds(pct, direction, want):
    assert status(pct, direction) == want


def test_a_years_target_is_its_own_row_or_the_sum_of_four_quarters_for_events():
    t = pl.DataFrame({
        "indicator_code": ["CASES_REPORTED"] * 4 + ["PEOPLE_TRAINED"] * 4 + ["CONVICTIONS"] * 5,
        "period": [f"2025-Q{q}" for q in range(1, 5)] * 2 + [f"2025-Q{q}" for q in range(1, 5)]
        + ["2025"],
        "county_scope": ["ALL"] * 13, "target": [10.0, 20, 30, 40] * 3 + [77]})
    t = target_index(rows := t)
    assert target_for(t, "CASES_REPORTED", "2025", "ALL") == 100
    assert target_for(t, "CASES_REPORTED", "2025-Q2", "ALL") == 20
    assert target_for(t, "CONVICTIONS", "2025", "ALL") == 77  # its own row wins
    # Different people do not add up over quarters: no year target without a year row.
    assert target_for(t, "PEOPLE_TRAINED", "2025", "ALL") is None
    assert target_for(t, "CASES_REPORTED", "2025", "001") is None
    three = target_index(rows.filter(pl.col("period") != "2025-Q4"))
    assert target_for(three, "CASES_REPORTED", "2025", "ALL") is None


@pytest.mark.parametrize(("start", "end", "counties"), [
    (date(2026, 7, 1), date(2026, 9, 30), None), (date(2025, 1, 1), date(2025, 12, 31),
                                                   ("003",)),
    # Two counties, each a scope of its own: counted together, grouped by county.
    (date(2026, 7, 1), date(2026, 9, 30), ("001", "047"))])
def test_the_indicators_table_against_independent_targets(demo_warehouse, raw, start, end,
                                                          counties):
    table = figures.indicators(demo_warehouse, MANAGER, Filters(start, end, counties,
                                                                as_of=AS_OF))
    assert table.columns == ["indicator_code", "period", "county_scope", "actual", "target",
                             "pct_of_target", "status"]
    scopes = ["ALL", "001", "002", "003"] if counties is None else list(counties)
    assert table["county_scope"].unique(maintain_order=True).to_list() == scopes
    period = "2026-Q3" if start.month == 7 else "2025"
    seen_status = 0
    for r in table.iter_rows(named=True):
        assert r["period"] == period
        codes = None if r["county_scope"] == "ALL" else (r["county_scope"],)
        want, _ = by_hand.indicator(raw, r["indicator_code"], codes, start, end, AS_OF)
        assert r["actual"] == pytest.approx(want, rel=1e-12)
        tgt = by_hand.target(raw, r["indicator_code"], period, r["county_scope"])
        if tgt is None and period == "2025" and r["indicator_code"] in MEASURED \
                and BY_CODE[r["indicator_code"]].targets_add:
            parts = [by_hand.target(raw, r["indicator_code"], f"2025-Q{q}", r["county_scope"])
                     for q in range(1, 5)]
            tgt = sum(parts) if None not in parts else None
        assert r["target"] == tgt
        if tgt and want is not None:
            assert r["pct_of_target"] == pytest.approx(want / tgt)
            assert r["status"] == status(want / tgt, BY_CODE[r["indicator_code"]].direction)
            seen_status += 1
        else:
            assert r["status"] is None
    assert seen_status > 0, "the demo warehouse sets targets"


def test_a_period_that_is_not_a_quarter_or_a_year_is_refused(demo_warehouse):
    with pytest.raises(figures.PeriodChoiceError, match="one quarter or one calendar year"):
        figures.indicators(demo_warehouse, MANAGER,
                           Filters(date(2025, 2, 1), date(2025, 6, 30), as_of=AS_OF))


def test_the_trend_and_drill_downs(demo_warehouse, raw):
    f = Filters(date(2026, 7, 1), date(2026, 9, 30), as_of=AS_OF)
    trend = figures.trend(demo_warehouse, MANAGER, f)
    assert trend["period"].unique(maintain_order=True).to_list() == [
        "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    row = trend.filter((pl.col("indicator_code") == "CASES_REPORTED")
                       & (pl.col("period") == "2025-Q2")).row(0, named=True)
    assert row["actual"] == by_hand.indicator(raw, "CASES_REPORTED", None, date(2025, 4, 1),
                                              date(2025, 6, 30), AS_OF)[0]
    parts = figures.disaggregations(demo_warehouse, MANAGER, f)
    total, _ = by_hand.indicator(raw, "OUTREACH_PARTICIPANTS", None, f.start, f.end, AS_OF)
    for dim in ("sex", "audience"):
        split = parts.filter((pl.col("indicator_code") == "OUTREACH_PARTICIPANTS")
                             & (pl.col("dimension") == dim))
        assert split["actual"].sum() == total
    sex = parts.filter((pl.col("indicator_code") == "PS.5.1-28")
                       & (pl.col("dimension") == "participant_sex"))
    t = raw["trainings"].filter(
        pl.col("held_on").is_between(f.start, f.end) & (pl.col("delivery") == "training")
        & pl.col("course").is_in(["trauma_informed_investigation", "referral_pathways_nrm"])
        & pl.col("cadre").is_in(by_hand.FIRST_RESPONDERS))
    want = t.group_by("participant_sex").agg(pl.col("participant_key").n_unique())
    assert dict(sex.select("value", "actual").iter_rows()) == {
        s: float(n) for s, n in want.iter_rows()}


@pytest.mark.parametrize(("start", "end", "counties", "as_of"), [
    (date(2026, 7, 1), date(2026, 9, 30), None, AS_OF),  # eight whole quarters
    # The last quarter cut short at the as-of date (counted row by row), one county.
    (date(2026, 10, 1), date(2026, 11, 15), ("002",), AS_OF),
    # As of a day before some of the cohorts' later steps: the cohorts row by row.
    (date(2025, 1, 1), date(2025, 3, 31), None, date(2025, 4, 20)),
])
def test_every_indicator_of_every_trend_quarter_equals_an_independent_computation(
        demo_warehouse, raw, start, end, counties, as_of):
    """The trend counts its quarters together, one statement per figure (queries.cells):
    each quarter's every indicator is still the independent count of that quarter alone."""
    trend = figures.trend(demo_warehouse, MANAGER, Filters(start, end, counties, as_of=as_of))
    assert trend.height == len(CODES) * figures.TREND_QUARTERS
    for r in trend.iter_rows(named=True):
        first, last = key_start(r["period"]), min(key_end(r["period"]), as_of)
        want, _ = by_hand.indicator(raw, r["indicator_code"], counties, first, last, as_of)
        assert r["actual"] == pytest.approx(want, rel=1e-12), (r["period"], r["indicator_code"])


@pytest.mark.parametrize("counties, start, end", [
    (None, date(2026, 7, 1), date(2026, 9, 30)),
    (("003",), date(2026, 7, 1), date(2026, 9, 30)),
    (None, date(2025, 1, 1), date(2025, 12, 31)),  # a year: no quarter of it is the table's
])
def test_the_trend_reads_the_chosen_quarter_from_the_indicators_table(demo_warehouse, counties,
                                                                       start, end):
    f = Filters(start, end, counties, as_of=AS_OF)
    table = figures.indicators(demo_warehouse, MANAGER, f)
    assert_frame_equal(figures.trend(demo_warehouse, MANAGER, f, table),
                       figures.trend(demo_warehouse, MANAGER, f))
    # Read, not computed again: a changed table shows in the chosen quarter only.
    doctored = table.with_columns(pl.lit(-1.0).alias("actual"))
    trend = figures.trend(demo_warehouse, MANAGER, f, doctored)
    reused = trend.filter(pl.col("period") == figures.chosen_period(f))
    assert reused["actual"].to_list() == ([-1.0] * len(CODES) if "Q" in figures.chosen_period(f)
                                          else [])
    assert (trend.filter(pl.col("period") != figures.chosen_period(f))["actual"] != -1.0).all()


def test_the_trend_refuses_a_table_without_the_quarter(demo_warehouse):
    f = Filters(date(2026, 7, 1), date(2026, 9, 30), as_of=AS_OF)
    table = figures.indicators(demo_warehouse, MANAGER, f).filter(
        pl.col("county_scope") != "ALL")
    with pytest.raises(ValueError, match="no 2026-Q3 rows for ALL"):
        figures.trend(demo_warehouse, MANAGER, f, table)
