"""Shaping the funnel and progress figures: complete tables, shares with empty denominators,
withheld cells, and the words a reader sees (labels, never codes)."""

from datetime import date

import polars as pl
import pytest

from metrics import funnel as shape
from metrics import progress as court
from metrics.tables import complete, ratio, with_value, withhold_with
from metrics.words import days, percent, word

STAGES = ["reported", "investigation_opened", "suspect_arrested", "charged", "trial_started",
          "judgment", "convicted"]


def _funnel(cases, withheld=None):
    withheld = withheld or [None] * len(cases)
    return pl.DataFrame({"stage": STAGES[:len(cases)], "cases": cases,
                         "cases_withheld": withheld},
                        schema={"stage": pl.String, "cases": pl.Int64,
                                "cases_withheld": pl.String})


def test_missing_rows_are_zeros_in_order_and_strays_are_refused():
    df = pl.DataFrame({"k": ["b", "d"], "n": [3, None], "n_withheld": [None, "small"],
                       "m": [1.5, None]})
    out = complete(df, "k", ["a", "b", "c", "d"], zeros=("n",))
    assert out["k"].to_list() == ["a", "b", "c", "d"]
    assert out["n"].to_list() == [0, 3, 0, None]  # a withheld count stays withheld
    assert out["m"].to_list() == [None, 1.5, None, None]  # a median of nothing is empty
    with pytest.raises(ValueError, match="outside the table's rows"):
        complete(df, "k", ["a", "b"], zeros=("n",))


def test_shares_are_exact_and_empty_without_a_denominator():
    got = shape.with_shares(_funnel([5, 3, 0, 0, 0, 0, 0]))
    assert got["share_of_reported"].to_list() == [1.0, 3 / 5, 0.0, 0.0, 0.0, 0.0, 0.0]
    assert got["share_of_reported"][1] == 0.6  # not 3 x (1/5) = 0.6000000000000001
    assert got["conversion"].to_list() == [None, 0.6, 0.0, None, None, None, None]
    nobody = shape.with_shares(_funnel([0] * 7))
    assert nobody["share_of_reported"].null_count() == 7 and nobody["conversion"].null_count() == 7


def test_ratio_of_a_withheld_count_is_empty():
    df = pl.DataFrame({"a": [1, None, 4], "b": [2, 5, 0]})
    assert df.select(ratio(pl.col("a"), pl.col("b")).alias("r"))["r"].to_list() == [0.5, None, None]
    assert with_value(df, "t", 7)["t"].to_list() == [7, 7, 7]


def test_a_median_over_a_withheld_count_is_withheld_too():
    df = pl.DataFrame({"cases": [None, 40], "cases_withheld": ["small", None],
                       "median_days": [12.0, 30.5]})
    out = withhold_with(df, "cases", ("median_days",))
    assert out["median_days"].to_list() == [None, 30.5]
    assert out["median_days_withheld"].to_list() == ["small", None]


def test_readers_see_words_not_codes():
    table = shape.funnel_table(shape.with_shares(_funnel([10, 8, 4, 2, 1, 1, 1])), 0)
    assert table["Stage"].to_list() == ["Reported", "Investigation opened", "Suspect arrested",
                                        "Charged", "Trial started", "Judgment", "Convicted"]
    assert table["Share of reported"].to_list()[:3] == ["100%", "80%", "40%"]
    assert table["Of the stage before"].to_list()[:3] == ["–", "80%", "50%"]
    for code, words in [("closed_no_further_action", "Closed, no further action"),
                        ("still_open", "Still open"), ("6_to_12_months", "6–12 months"),
                        ("any", "Any protective measure"), ("video_link", "Video link"),
                        ("report_to_judgment", "Report to judgment"),
                        ("victim_age_band", "Victim's age"), ("15-17", "15–17 years")]:
        assert word(code) == words


@pytest.mark.parametrize(("share", "words"), [(None, "–"), (0.0, "0%"), (0.004, "0.4%"),
                                              (0.5, "50%"), (0.996, "99.6%"), (1.0, "100%")])
def test_percentages(share, words):
    assert percent(share) == words


def test_days():
    assert [days(v) for v in (None, 1.0, 44.0, 431.5, 54.75, 1200.0)] == [
        "–", "1 day", "44 days", "431.5 days", "54.75 days", "1,200 days"]


def test_the_funnel_chart_labels_count_share_and_conversion():
    bars = shape.funnel_bars(shape.with_shares(_funnel([10, 8, 4, 0, 0, 0, 0])))
    assert bars["label"].to_list()[:3] == ["10", "8", "4"]
    assert bars["note"].to_list()[:3] == ["", "80% of reported · 80% of the stage before",
                                          "40% of reported · 50% of the stage before"]


def test_breakdown_lists_counties_by_name_most_cases_first():
    bd = pl.DataFrame({"dimension": ["county"] * 3 + ["victim_sex"],
                       "value": ["001", "002", "003", "female"],
                       "reported": [5, 9, 0, 14], "charged": [2, 3, 0, 5],
                       "convicted": [1, 0, 0, 1]})
    names = {"001": "Mombasa", "002": "Kwale", "003": "Kilifi"}
    table = shape.breakdown_table(bd, "county", names, 0)
    assert table["County"].to_list() == ["Kwale", "Mombasa", "Kilifi"]
    assert table["Charged, % of reported"].to_list() == ["33%", "40%", "–"]
    assert shape.breakdown_bars(bd, "victim_sex", names)["category"].to_list() == ["Female"]


def test_testimony_shares_divide_by_the_hearings_with_testimony():
    counts = pl.DataFrame({"measure": ["testified", "any", "in_camera"], "hearings": [5, 3, 0],
                           "hearings_withheld": [None, None, None]})
    got = court.testimony_shares(counts)
    assert got["measure"].to_list() == ["any", "in_camera"]
    assert got["share"].to_list() == [0.6, 0.0]
    none = court.testimony_shares(counts.with_columns(pl.lit(0, pl.Int64).alias("hearings")))
    assert none["share"].to_list() == [None, None]


def test_a_month_under_way_says_so():
    pending = pl.DataFrame({"month": ["2026-10", "2026-11"], "pending": [4, 5],
                            "pending_withheld": [None, None]})
    table = court.pending_months_table(pending, date(2026, 11, 15), 0)
    assert table["Month"].to_list() == ["Oct 2026", "Nov 2026 (to date)"]
    assert table["Counted on"].to_list() == ["31 Oct 2026", "15 Nov 2026"]
    assert court.pending_months(pending, date(2026, 11, 15))["to_date"].to_list() == [False, True]
