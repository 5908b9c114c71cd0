"""Page runs take turns (ui/runs.py): a second run waits until the first has ended, however
it ended, and app.py runs every page inside the lock. (Why: polars can hang the whole server
when two scripts use it at once; bench/results/load-2026-11-28-protocol-20-hang.md.)"""

from __future__ import annotations

import ast
import threading
from pathlib import Path

import pytest

from ui.runs import one_at_a_time

ROOT = Path(__file__).resolve().parents[2]


def test_a_second_run_waits_for_the_first_to_end():
    inside, release, order = threading.Event(), threading.Event(), []

    def first():
        with one_at_a_time():
            order.append("first in")
            inside.set()
            release.wait(5)
            order.append("first out")

    def second():
        inside.wait(5)
        with one_at_a_time():
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    inside.wait(5)
    threads[1].join(0.3)
    assert order == ["first in"], "the second run entered while the first was running"
    release.set()
    for t in threads:
        t.join(5)
    assert order == ["first in", "first out", "second in"]


def test_a_run_that_fails_or_stops_lets_the_next_one_in():
    with pytest.raises(RuntimeError), one_at_a_time():
        raise RuntimeError("a page failed")
    entered = threading.Event()

    def other():
        with one_at_a_time():
            entered.set()

    worker = threading.Thread(target=other)
    worker.start()
    assert entered.wait(2), "the lock was left held after a failed run"
    worker.join(2)


def test_app_runs_sign_in_and_every_page_inside_the_lock():
    tree = ast.parse((ROOT / "app.py").read_text())
    locked = [node for node in ast.walk(tree) if isinstance(node, ast.With)
              and any(isinstance(item.context_expr, ast.Call)
                      and getattr(item.context_expr.func, "id", "") == "one_at_a_time"
                      for item in node.items)]
    assert len(locked) == 1
    inside = ast.unparse(locked[0])
    for call in ("sign_in(runtime)", "st.navigation(pages).run()", "ui_runtime.get()"):
        assert call in inside, call
    outside = [ast.unparse(call.func) for n in tree.body if n is not locked[0]
               for call in ast.walk(n) if isinstance(call, ast.Call)]
    assert not [f for f in outside if "navigation" in f or f == "sign_in"], outside
