"""Frames leave polars through Arrow: the same pandas frame as ``to_pandas()``, and no page
code calls ``to_pandas()`` (under concurrent sessions it hung the server: charts/frames.py)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl
from pandas.testing import assert_frame_equal

from charts.frames import pandas

ROOT = Path(__file__).resolve().parents[2]


def test_the_same_frame_as_to_pandas():
    df = pl.DataFrame({"day": [date(2026, 1, 1), None], "county": ["Kilifi", None],
                       "cases": [3, None], "share": [0.5, 1.0], "late": [True, False]})
    assert_frame_equal(pandas(df), df.to_pandas())


def test_no_page_code_calls_to_pandas():
    calls = [f"{p.relative_to(ROOT)}:{i}" for folder in ("charts", "ui", "views", "metrics",
                                                         "figures")
             for p in (ROOT / folder).rglob("*.py") if p.name != "frames.py"
             for i, line in enumerate(p.read_text().splitlines(), 1)
             if re.search(r"\.to_pandas\(", line)]
    assert calls == []
