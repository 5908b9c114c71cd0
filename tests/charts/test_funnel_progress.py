"""The funnel and progress charts: stage order kept, every bar labelled, room for 47 counties,
the shared palette, withheld values drawn as no bar (never a zero)."""

import polars as pl

from charts.bars import ROW_HEIGHT, hbars, ticks
from charts.funnel import durations, nested
from charts.progress import adjournment_rate, pending_by_month
from charts.theme import PALETTE

STAGES = ["Reported", "Investigation opened", "Suspect arrested", "Charged", "Trial started",
          "Judgment", "Convicted"]


def _values(spec):
    return [v for d in spec["datasets"].values() for v in d]


def test_bars_keep_the_frames_order_and_carry_their_labels():
    df = pl.DataFrame({"category": STAGES, "cases": [50, 40, 30, 20, 10, None, 0],
                       "label": ["50", "40", "30", "20", "10", "withheld", "0"]})
    spec = hbars(df, value="cases", value_title="Cases").to_dict()
    bars, text = spec["layer"]
    assert bars["encoding"]["y"]["sort"] == STAGES
    assert text["mark"]["type"] == "text" and text["encoding"]["text"]["field"] == "label"
    values = _values(spec)
    assert {v["category"]: v["cases"] for v in values}["Judgment"] is None  # no bar, a label
    assert bars["encoding"]["x"]["axis"]["values"] == [0, 20, 40]  # no ticks past the bars
    assert spec["config"]["range"]["category"] == list(PALETTE)


def test_a_note_adds_a_second_line_and_room():
    df = pl.DataFrame({"category": ["A", "B"], "cases": [3, 1], "label": ["3", "1"],
                       "note": ["x", "y"]})
    spec = hbars(df, value="cases", value_title="Cases", note="note").to_dict()
    assert [layer["encoding"]["text"]["field"] for layer in spec["layer"][1:]] == ["label",
                                                                                 "note"]


def test_a_breakdown_of_47_counties_gets_a_row_each():
    names = [f"County {i:02d}" for i in range(47)]
    df = pl.DataFrame({"category": names, "Reported": list(range(47, 0, -1)),
                       "Charged": [n // 2 for n in range(47, 0, -1)],
                       "Convicted": [n // 5 for n in range(47, 0, -1)],
                       "label": ["x"] * 47})
    spec = nested(df, category_title="County").to_dict()
    assert spec["height"] >= 47 * ROW_HEIGHT
    bars = spec["layer"][0]
    assert bars["encoding"]["y"]["sort"] == names
    assert bars["encoding"]["color"]["scale"]["domain"] == ["Reported", "Charged", "Convicted"]
    assert bars["encoding"]["x"]["stack"] is None  # nested, not stacked


def test_durations_draw_median_and_75th_percentile():
    df = pl.DataFrame({"category": ["Report to charge", "Charge to judgment"],
                       "median_days": [41.0, None], "p75_days": [58.0, None],
                       "label": ["median 41 days", "no case has reached both yet"],
                       "note": ["3 in 4 within 58 days · 337 cases", ""]})
    spec = durations(df).to_dict()
    spread, median = spec["layer"][:2]
    assert spread["encoding"]["x2"]["field"] == "p75_days"
    assert median["encoding"]["x"]["field"] == "median_days"


def test_months_stay_in_calendar_order_and_the_running_one_is_marked():
    months = ["Dec 2025", "Jan 2026", "Feb 2026"]
    df = pl.DataFrame({"month_label": months, "month_words": months, "pending": [3, 4, 5],
                       "to_date": [False, False, True], "hearings": [1, 0, 2],
                       "adjourned": [1, 0, 1], "adjournment_rate": [1.0, None, 0.5],
                       "rate_words": ["100%", "–", "50%"]})
    spec = pending_by_month(df).to_dict()
    assert spec["layer"][0]["encoding"]["x"]["sort"] == months
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == ["month's end",
                                                                         "to date"]
    rate = adjournment_rate(df).to_dict()
    assert rate["layer"][0]["encoding"]["y"]["axis"]["format"] == ".0%"


def test_ticks_are_round_and_stop_at_the_top():
    assert ticks(1065) == [0, 500, 1000]
    assert ticks(0) == [0]
    assert ticks(0.86, whole=False) == [0, 0.25, 0.5, 0.75]
