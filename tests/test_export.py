"""``manage.py export``: the figures contract's files, for every role, equal to independent
counts; usage errors exit 2 and write nothing; every export is audited."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from figures.export import to_csv
from startup.export import ExportError, export
from tests.conftest import DEMO_UNTIL
from tests.figures.test_overview import _independent, _table
from warehouse.config import load_settings
from warehouse.schema import audit_log, case_events, cases, outreach, services, trainings

ROOT = Path(__file__).resolve().parents[1]
AS_OF = DEMO_UNTIL.isoformat()
ROLES = {"demo-manager": None, "demo-cuc-kilifi": ("003",), "demo-cuc-kwale": ("002",),
         "demo-monitor": None, "demo-admin": None}


def _url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _settings(engine):
    return replace(load_settings({"HAKI_SECRETS_FILE": "/nonexistent"}),
                   warehouse_url=_url(engine))


@pytest.fixture(scope="module")
def raw(demo_warehouse):
    return {t.name: _table(demo_warehouse, t)
            for t in (cases, case_events, services, trainings, outreach)}


def _json(engine, **choices) -> dict:
    return json.loads(export(_settings(engine), page="overview", as_of=AS_OF, **choices))


@pytest.mark.parametrize("username", sorted(ROLES))
@pytest.mark.parametrize("period", ["2025Q3", "2026"])
def test_json_headline_equals_an_independent_count(demo_warehouse, raw, username, period):
    summaries_only = username in ("demo-monitor", "demo-admin")
    if summaries_only and period == "2026":
        with pytest.raises(ExportError, match="not over yet"):
            _json(demo_warehouse, username=username, period=period)
        return
    body = _json(demo_warehouse, username=username, period=period)
    start, end = (date(2025, 7, 1), date(2025, 9, 30)) if period == "2025Q3" else (
        date(2026, 1, 1), DEMO_UNTIL)  # a period running past the as-of date ends on it
    assert body["period"] == {"start": start.isoformat(), "end": end.isoformat()}
    assert (body["page"], body["as"], body["as_of"], body["demo"]) == (
        "overview", username, AS_OF, True)
    assert body["suppressed_below"] == (11 if summaries_only else None)
    assert body["counties"] == (list(ROLES[username]) if ROLES[username] else None)
    headline = body["tables"]["headline"]
    assert headline["columns"] == ["measure", "current", "previous"]
    want = _independent(raw, ROLES[username], start, end)
    for measure, current, _previous in headline["rows"]:
        if summaries_only and current is None:
            continue  # withheld: tests/figures/test_release.py attacks what is withheld
        assert current == want[measure], measure
    trend = body["tables"]["trend"]
    assert trend["columns"] == ["period", "county_code", "county", "cases"]
    shown = [r[3] for r in trend["rows"]]
    if summaries_only:
        assert not [n for n in shown if n is not None and 1 <= n <= 10]
        assert {r[1] for r in trend["rows"]} == {"001", "002", "003", "other"}
    else:
        assert sum(shown) == want["cases_reported"]


def test_default_period_is_the_last_complete_quarter(demo_warehouse):
    body = _json(demo_warehouse, username="demo-manager")
    assert body["period"] == {"start": "2026-07-01", "end": "2026-09-30"}


def test_a_monitor_may_ask_for_the_other_counties_together(demo_warehouse, raw):
    body = _json(demo_warehouse, username="demo-monitor", period="2025", counties="other")
    assert len(body["counties"]) == 44 and "001" not in body["counties"]
    assert {r[1] for r in body["tables"]["trend"]["rows"]} == {"other"}


def test_csv_and_xlsx_hold_the_json_figures(demo_warehouse):
    body = _json(demo_warehouse, username="demo-monitor", period="2025Q3")
    settings = _settings(demo_warehouse)
    for name, table in body["tables"].items():
        text = export(settings, page="overview", username="demo-monitor", period="2025Q3",
                      as_of=AS_OF, fmt="csv", table=name).decode()
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == table["columns"]
        assert rows[1:] == [["suppressed" if v is None else str(v) for v in r]
                            for r in table["rows"]]
    book = load_workbook(io.BytesIO(export(settings, page="overview", username="demo-monitor",
                                           period="2025Q3", as_of=AS_OF, fmt="xlsx")))
    assert book.sheetnames == ["headline", "trend", "about"]
    for name, table in body["tables"].items():
        rows = [list(r) for r in book[name].iter_rows(values_only=True)]
        assert rows[0] == table["columns"]
        assert rows[1:] == [["suppressed" if v is None else v for v in r] for r in table["rows"]]
    about = dict(book["about"].iter_rows(values_only=True))
    assert (about["page"], about["as"], about["suppressed_below"]) == (
        "overview", "demo-monitor", 11)


def test_the_csv_default_table_is_the_pages_first(demo_warehouse):
    text = export(_settings(demo_warehouse), page="overview", username="demo-manager",
                  period="2025Q3", as_of=AS_OF, fmt="csv").decode()
    assert text.splitlines()[0] == "measure,current,previous"


@pytest.mark.parametrize(("choices", "message"), [
    ({"username": "nobody"}, "no active user 'nobody'"),
    ({"username": "demo-manager", "page": "nowhere"}, "no page 'nowhere'"),
    ({"username": "demo-cuc-kilifi", "counties": "001"}, "outside this account's scope"),
    ({"username": "demo-manager", "counties": "099"}, "not a county code"),
    ({"username": "demo-manager", "period": "2025Q5"}, "not a period"),
    ({"username": "demo-manager", "period": "2025", "start": "2025-01-01"}, "not both"),
    ({"username": "demo-manager", "start": "2025-01-01"}, "go together"),
    ({"username": "demo-manager", "start": "2025-02-01", "end": "2025-01-01"}, "before it starts"),
    ({"username": "demo-manager", "table": "nope"}, "no table 'nope'"),
    ({"username": "demo-monitor", "start": "2025-01-01", "end": "2025-02-15"},
     "whole completed quarter"),
    ({"username": "demo-monitor", "period": "2025Q3", "counties": "001,002"},
     "not other combinations"),
])
def test_usage_errors_say_why(demo_warehouse, choices, message):
    choices = {"page": "overview", **choices}
    with pytest.raises(ExportError, match=message):
        export(_settings(demo_warehouse), as_of=AS_OF, **choices)


def test_every_export_is_audited_without_figures(demo_warehouse):
    export(_settings(demo_warehouse), page="overview", username="demo-cuc-kwale",
           period="2025Q3", as_of=AS_OF, fmt="csv")
    with demo_warehouse.connect() as conn:
        row = conn.execute(select(audit_log).where(audit_log.c.action == "export")
                           .order_by(audit_log.c.id.desc()).limit(1)).one()
    detail = json.loads(row.detail)
    assert row.username == "demo-cuc-kwale"
    assert detail["page"] == "overview" and detail["format"] == "csv"
    assert detail["period"] == ["2025-07-01", "2025-09-30"]
    assert detail["scope_counties"] == ["002"] and detail["counties"] == ["002"]
    assert set(detail) == {"via", "page", "format", "tables", "period", "as_of", "counties",
                           "scope_counties", "suppress_below"}


def _run(engine, *args):
    env = {"PATH": "/usr/bin:/bin", "HAKI_WAREHOUSE_URL": _url(engine),
           "HAKI_SECRETS_FILE": "/nonexistent", "HAKI_TODAY": AS_OF}
    return subprocess.run([sys.executable, "manage.py", "export", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_command_writes_files_and_exits_2_on_usage_errors(demo_warehouse, tmp_path):
    out = tmp_path / "overview.json"
    ok = _run(demo_warehouse, "--page", "overview", "--as", "demo-manager", "--period",
              "2025-Q3", "--out", str(out))
    assert ok.returncode == 0, ok.stderr
    assert json.loads(out.read_text())["period"]["start"] == "2025-07-01"
    csv_out = _run(demo_warehouse, "--page", "overview", "--as", "demo-manager", "--format",
                   "csv", "--table", "trend")
    assert csv_out.returncode == 0 and csv_out.stdout.startswith("period,county_code,county,cases")
    for args in (["--page", "overview", "--as", "nobody"],
                 ["--page", "overview"],
                 ["--page", "overview", "--as", "demo-cuc-kilifi", "--counties", "001"]):
        bad = tmp_path / "bad.json"
        r = _run(demo_warehouse, *args, "--out", str(bad))
        assert r.returncode == 2 and r.stderr.strip(), args
        assert not bad.exists()


def test_spreadsheet_formulas_are_neutralised():
    text = to_csv(pl.DataFrame({"county": ["=HYPERLINK(\"x\")", "+1", "-2", "@a", "Kilifi"],
                                "n": [1, 2, -3, 4, 5]})).decode()
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert rows == [["'=HYPERLINK(\"x\")", "1"], ["'+1", "2"], ["'-2", "-3"], ["'@a", "4"],
                    ["Kilifi", "5"]]  # numbers stay numbers, negative ones included
