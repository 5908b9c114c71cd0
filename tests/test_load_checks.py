"""The load test's own checks, without a server: the headline check that makes a leak a leak,
and the protocol client's model of what the frontend keeps (widget states, cached elements)."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.load_expect import Expected, check_headline
from bench.load_wire import Connection, Page

EXPECTED = Expected(names={"001": "Mombasa", "002": "Kwale"},
                    daily={"reported": {("001", date(2026, 1, 5)): 40,
                                        ("002", date(2026, 1, 6)): 4},
                           "convicted": {("002", date(2026, 1, 7)): 12}})
CAPTION = "1 Jan 2026 to 31 Mar 2026, Kwale · each figure is compared"


def test_the_headline_check_wants_the_raw_count_of_the_named_county():
    assert check_headline(EXPECTED, CAPTION, {"Cases reported": "4", "Convictions": "12"},
                          {"002"}) == []
    problems = check_headline(EXPECTED, CAPTION, {"Cases reported": "44"}, {"002"})
    assert problems == ["Cases reported shows 44, raw rows give 4 for 2026-01-01..2026-03-31, "
                        "Kwale"]


def test_a_small_count_shown_to_a_withholding_reader_is_a_leak_and_withheld_is_not():
    cards = {"Cases reported": "4", "Convictions": "12"}
    assert [p.split(":")[0] for p in check_headline(EXPECTED, CAPTION, cards, {"001", "002"},
                                                    suppress_below=11)] == [
        "Cases reported shows 4"]
    cards["Cases reported"] = "Withheld"
    assert check_headline(EXPECTED, CAPTION, cards, {"001", "002"}, suppress_below=11) == []


def test_a_caption_naming_a_county_outside_the_scope_is_a_problem():
    assert check_headline(EXPECTED, CAPTION, {"Cases reported": "4"}, {"001"}) != []


def _delta(path: tuple[int, ...], kind: str, **fields) -> ForwardMsg:
    msg = ForwardMsg()
    msg.metadata.delta_path.extend(path)
    widget = getattr(msg.delta.new_element, kind)
    for name, value in fields.items():
        if isinstance(value, list):
            getattr(widget, name).extend(value)
        else:
            setattr(widget, name, value)
    return msg


def _finished() -> ForwardMsg:
    msg = ForwardMsg()
    msg.script_finished = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
    return msg


def test_the_page_keeps_a_chosen_value_and_forgets_a_widget_no_longer_drawn():
    page = Page()
    for run in range(2):
        page.draw(_delta((1, 0), "selectbox", id="period", label="Period",
                         options=["Q1", "Q2"], default=0))
        if run == 0:
            page.draw(_delta((1, 1), "checkbox", id="gone", label="Gone", default=True))
        page.finish(_finished().script_finished)
        if run == 0:
            assert {s.id: s.WhichOneof("value") for s in page.states()} == {
                "period": "string_value", "gone": "bool_value"}
            sent = page.choose(WidgetState(id="period", string_value="Q2"))
            assert [s.string_value for s in sent if s.id == "period"] == ["Q2"]
    assert [(s.id, s.string_value) for s in page.states()] == [("period", "Q2")]


def test_a_ref_hash_is_answered_from_the_cache_and_an_unknown_one_fails():
    conn = Connection("http://127.0.0.1:1")
    full = _delta((0, 3), "markdown", body="a large table's caption")
    full.hash, full.metadata.cacheable = "h1", True
    conn._cached(full, full.SerializeToString())
    ref = ForwardMsg(ref_hash="h1")
    ref.metadata.delta_path.extend([0, 5])
    drawn = conn._cached(ref, ref.SerializeToString())
    assert (drawn.delta.new_element.markdown.body, list(drawn.metadata.delta_path)) == (
        "a large table's caption", [0, 5])
    with pytest.raises(RuntimeError, match="miss"):
        conn._cached(ForwardMsg(ref_hash="h2"), b"")
