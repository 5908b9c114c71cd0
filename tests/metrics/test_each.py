"""Columns worked out in Python (metrics/each.py): the values ``map_elements`` gave, computed
in the calling thread, on the rows of the frame being selected from; and no server code
hands polars a Python function (that hung the whole server under 20 sessions)."""

from __future__ import annotations

import ast
import threading
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from metrics.each import each, each_row, select, with_columns

ROOT = Path(__file__).resolve().parents[2]
SERVER = ["app.py", "server.py", "manage.py", "auth", "charts", "core", "figures", "metrics",
          "queries", "startup", "ui", "views", "warehouse"]
# Every polars call that runs a Python function on polars' thread pool.
ON_THE_POOL = {"map_elements", "map_batches", "map_rows", "map_groups", "apply"}

FRAME = pl.DataFrame({"code": ["a", None, "c"], "n": [3, 1, None],
                      "day": ["2026-01-01", "2026-02-01", None]})


@pytest.mark.parametrize("skip_nulls", [True, False])
def test_the_values_map_elements_gives(skip_nulls):
    def how(v):
        return f"<{v}>"

    expected = FRAME.select(pl.col("code").map_elements(how, return_dtype=pl.String,
                                                        skip_nulls=skip_nulls))
    assert_frame_equal(select(FRAME, each(how, "code", skip_nulls=skip_nulls)), expected)


def test_expressions_several_inputs_and_types():
    out = with_columns(
        FRAME,
        each(lambda c, n: f"{c}:{n}", "code", pl.col("n") * 2).alias("both"),
        each(date.fromisoformat, "day", dtype=pl.Date, skip_nulls=True).alias("date"),
        each(lambda n: n > 2, "n", dtype=pl.Boolean, skip_nulls=True).alias("big"),
    )
    assert out["both"].to_list() == ["a:6", "None:2", "c:None"]
    assert out["date"].to_list() == [date(2026, 1, 1), date(2026, 2, 1), None]
    assert out["big"].to_list() == [True, False, None]
    assert out.columns == [*FRAME.columns, "both", "date", "big"]


def test_whole_rows_and_lists_of_columns():
    out = with_columns(FRAME, [each_row(lambda r: f"{r['code']}/{r['n']}").alias("row")],
                       pl.lit(1).alias("one"))
    assert out["row"].to_list() == ["a/3", "None/1", "c/None"]
    assert out["one"].to_list() == [1, 1, 1]


def test_a_column_is_computed_on_the_frame_selected_from():
    ordered = FRAME.sort("n", nulls_last=True)
    out = select(ordered, "n", each(lambda c: c, "code").alias("code"))
    assert out.rows() == [(1, None), (3, "a"), (None, "c")]


def test_the_function_runs_in_the_calling_thread():
    big = pl.DataFrame({"n": list(range(50_000))})
    threads = set(select(big, each(lambda _: threading.get_ident(), "n", dtype=pl.Int64))["n"])
    assert threads == {threading.get_ident()}


def test_an_empty_frame_gives_an_empty_column_of_its_type():
    out = select(FRAME.clear(), each(lambda v: v > 1, "n", dtype=pl.Boolean).alias("big"))
    assert out.schema == pl.Schema({"big": pl.Boolean}) and out.height == 0


def _calls_on_the_pool(source: str, name: str) -> list[str]:
    return [f"{name}:{node.lineno} .{node.attr}" for node in ast.walk(ast.parse(source, name))
            if isinstance(node, ast.Attribute) and node.attr in ON_THE_POOL]


def test_no_server_code_hands_polars_a_python_function():
    files = [p for name in SERVER for p in ((ROOT / name).rglob("*.py")
                                            if (ROOT / name).is_dir() else [ROOT / name])]
    assert len(files) > 50
    assert [call for p in files
            for call in _calls_on_the_pool(p.read_text(), str(p.relative_to(ROOT)))] == []


def test_the_guard_sees_such_a_call_but_not_words_about_one():
    source = '"""Never map_elements."""\nimport polars as pl\nX = pl.col("a").map_elements(str)\n'
    assert _calls_on_the_pool(source, "probe.py") == ["probe.py:3 .map_elements"]
