"""The indicators and summary pages, driven with AppTest: each shows what ``manage.py
export`` writes for its reader and choices; the summary never shows a small count to a
summaries-only reader; its PDF button gives the summary as PDF."""

# ruff: noqa: F811  (app_on is a fixture imported from test_app)
from __future__ import annotations

import json

import pytest

from metrics.indicators import STATUS_WORDS, value_words
from startup.export import export
from tests.app.test_app import TODAY, _signed_in, app_on, downloads  # noqa: F401 (fixtures)
from tests.app.test_pages import _open
from tests.test_export import _settings
from warehouse.indicators import BY_CODE


def _exported(engine, username, page, period, counties=None) -> dict:
    body = json.loads(export(_settings(engine), page=page, username=username, period=period,
                             counties=counties, as_of=TODAY))
    return {name: [dict(zip(t["columns"], row, strict=True)) for row in t["rows"]]
            for name, t in body["tables"].items()}


def _words(row) -> tuple:
    """A manager's row as the page words it (nothing is withheld from a manager)."""
    code = row["indicator_code"]
    return code, value_words(code, row["actual"]), STATUS_WORDS.get(row["status"], "–")


@pytest.mark.parametrize(("period", "county"), [("2026-Q4", None), ("2025", "002")])
def test_the_indicators_page_shows_what_the_export_writes(app_on, period, county):
    at = _open(_signed_in(app_on, "demo-manager"), "indicators")
    at.sidebar.selectbox(key="indicator_period").set_value(period)
    at.sidebar.selectbox(key="indicator_group").set_value(county).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Indicators"
    rows = _exported(app_on, "demo-manager", "indicators", period.replace("-", ""),
                     county)["indicators"]
    scope = county or "ALL"
    want = [_words(r) for r in rows if r["county_scope"] == scope]
    table = at.dataframe[0].value
    assert list(zip(table["Code"], table["Actual"], table["Status"], strict=True)) == want
    assert any("on track at 90% of target" in c.value for c in at.caption)
    assert len(table["Trend"][0]) >= 1


def test_the_drill_down_shows_each_dimension(app_on):
    at = _open(_signed_in(app_on, "demo-manager"), "indicators")
    at.selectbox(key="indicator_drill").set_value("PS.5.1-28").run()
    assert not at.exception, at.exception
    texts = [t.value for t in at.text]
    assert any(t.startswith("Counts: Different people of the first-responder") for t in texts)
    headings = [m.value for m in at.markdown]
    assert {"**By county**", "**By sex**", "**By cadre**"} <= set(headings)
    # Another indicator: its own splits, computed for it (the page computes one at a time).
    at.selectbox(key="indicator_drill").set_value("PS.5.1-29").run()
    assert not at.exception, at.exception
    headings = {m.value for m in at.markdown}
    assert {"**By referred to**", "**By channel**"} <= headings
    assert not {"**By sex**", "**By cadre**"} & headings


def _cards(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("username", ["demo-monitor", "demo-admin", "demo-manager"])
def test_the_summary_shows_what_the_export_writes(app_on, username):
    at = _open(_signed_in(app_on, username), "summary")
    assert at.title[0].value == "Quarterly summary"
    tables = _exported(app_on, username, "summary", "2026Q3")
    cards = _cards(at)
    for row in tables["headline"]:
        code = row["indicator_code"]
        i = BY_CODE[code]
        label = f"{i.name} ({code})" if i.standard else i.name
        want = "Withheld" if row["actual"] is None else value_words(code, row["actual"])
        assert cards[label] == want
    frames = [d.value for d in at.dataframe]
    sections = [f for f in frames if list(f.columns) == ["Figure", "Value"]]
    shown = [["withheld" if v.startswith("withheld") else v for v in f["Value"]]
             for f in sections]
    assert shown == [
        [_value(r, v) for r in tables[name]] for name, v in (("funnel", "cases"), ("training", "people"), ("outreach", "value"))]
    if username != "demo-manager":
        for value in [*cards.values(), *(v for f in sections for v in f["Value"])]:
            digits = value.replace(",", "")
            assert not (digits.isdigit() and 1 <= int(digits) <= 10), value


def _value(row, column) -> str:
    return "withheld" if row[column] is None else f"{row[column]:,}"


def test_the_summary_offers_its_pdf(app_on, downloads):
    at = _open(_signed_in(app_on, "demo-monitor"), "summary")
    assert at.get("download_button")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download this summary as PDF" in labels


def test_a_cuc_member_is_not_offered_either_page(app_on):
    at = _signed_in(app_on, "demo-cuc-kwale")
    for page in ("indicators", "summary"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"views/{page}.py")


def test_a_manager_previewing_sees_the_monitors_summary_and_no_indicators(app_on):
    at = _signed_in(app_on, "demo-manager")
    at.sidebar.toggle(key="preview_as_monitor").set_value(True).run()
    summary = _open(at, "summary")
    assert any("Preview" in i.value for i in summary.info)
    monitor = _open(_signed_in(app_on, "demo-monitor"), "summary")
    assert _cards(summary) == _cards(monitor)
    indicators = _open(at, "indicators")
    assert not indicators.dataframe
    assert any("A monitor does not see" in i.value for i in indicators.info)
