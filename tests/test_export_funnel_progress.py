"""``manage.py export --page funnel|progress``: every table of the figures contract, with its
columns, equal to the hand count; a Kilifi CUC member's export holds only Kilifi; monitors and
admins may not export these pages."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from startup.export import ExportError, export
from tests.figures.hand_count import HandCount, Warehouse
from tests.test_export import AS_OF, _run, _settings

CONTRACT = {
    "funnel": {
        "funnel": ["stage", "cases", "share_of_reported", "conversion"],
        "exits": ["exit", "cases"],
        "durations": ["interval", "cases", "median_days", "p75_days"],
        "pending": ["current_stage", "cases", "median_days_waiting"],
        "activity": ["stage", "events"],
        "breakdown": ["dimension", "value", "reported", "charged", "convicted"],
    },
    "progress": {
        "pending_by_month": ["month", "pending"],
        "pending_age": ["bucket", "cases"],
        "adjournments": ["month", "hearings", "adjourned", "adjournment_rate"],
        "adjournment_reasons": ["reason", "hearings"],
        "adjournments_by_station": ["court_station", "hearings", "adjourned",
                                    "adjournment_rate"],
        "testimony": ["measure", "hearings", "share"],
        "services": ["service", "survivors"],
        "time_to_service": ["cases", "median_days"],
    },
}
READERS = {"demo-manager": None, "demo-cuc-kilifi": ("003",), "demo-cuc-kwale": ("002",)}


@pytest.fixture(scope="module")
def raw(demo_warehouse):
    return Warehouse(demo_warehouse)


def _json(engine, page, **choices) -> dict:
    return json.loads(export(_settings(engine), page=page, as_of=AS_OF, **choices))


def _as_json(value):
    return value.isoformat() if isinstance(value, date) else value


@pytest.mark.parametrize("page", sorted(CONTRACT))
@pytest.mark.parametrize("username", sorted(READERS))
@pytest.mark.parametrize("period", ["2025Q3", "2026"])
def test_every_contract_table_equals_the_hand_count(demo_warehouse, raw, page, username,
                                                    period):
    body = _json(demo_warehouse, page, username=username, period=period)
    assert body["page"] == page and body["counties"] == (
        list(READERS[username]) if READERS[username] else None)
    assert {n: t["columns"] for n, t in body["tables"].items()} == CONTRACT[page]
    start, end = (date.fromisoformat(body["period"]["start"]),
                  date.fromisoformat(body["period"]["end"]))
    hand = HandCount(raw, READERS[username], start, end, date.fromisoformat(AS_OF))
    for name, table in body["tables"].items():
        _, rows = getattr(hand, name)()
        assert table["rows"] == [[_as_json(v) for v in r] for r in rows], name


def test_a_kilifi_member_exports_only_kilifi(demo_warehouse):
    body = _json(demo_warehouse, "funnel", username="demo-cuc-kilifi", period="2026")
    counties = [r[1] for r in body["tables"]["breakdown"]["rows"] if r[0] == "county"]
    assert counties == ["003"]
    with pytest.raises(ExportError, match="outside this account's scope"):
        _json(demo_warehouse, "progress", username="demo-cuc-kilifi", counties="001")


@pytest.mark.parametrize("page", sorted(CONTRACT))
@pytest.mark.parametrize("username", ["demo-monitor", "demo-admin"])
def test_monitors_and_admins_may_not_export_these_pages(demo_warehouse, page, username):
    with pytest.raises(ExportError, match="may not open the page"):
        _json(demo_warehouse, page, username=username)


@pytest.mark.parametrize("page", sorted(CONTRACT))
def test_csv_and_xlsx_hold_every_table(demo_warehouse, page):
    body = _json(demo_warehouse, page, username="demo-manager", period="2025Q3")
    settings = _settings(demo_warehouse)
    for name, table in body["tables"].items():
        text = export(settings, page=page, username="demo-manager", period="2025Q3",
                      as_of=AS_OF, fmt="csv", table=name).decode()
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == table["columns"]
        assert len(rows) == len(table["rows"]) + 1
    book = load_workbook(io.BytesIO(export(settings, page=page, username="demo-manager",
                                           period="2025Q3", as_of=AS_OF, fmt="xlsx")))
    assert book.sheetnames == [*CONTRACT[page], "about"]
    for name, table in body["tables"].items():
        sheet = [list(r) for r in book[name].iter_rows(values_only=True)]
        assert sheet[0] == table["columns"]
        # A spreadsheet keeps 15 significant digits: shares agree to that.
        assert sheet[1:] == [[pytest.approx(v, rel=1e-14) if isinstance(v, float) else v
                              for v in r] for r in table["rows"]]


@pytest.mark.parametrize("page", sorted(CONTRACT))
def test_the_command_exports_the_page(demo_warehouse, tmp_path, page):
    out = tmp_path / f"{page}.json"
    ok = _run(demo_warehouse, "--page", page, "--as", "demo-cuc-kwale", "--period", "2026",
              "--out", str(out))
    assert ok.returncode == 0, ok.stderr
    assert list(json.loads(out.read_text())["tables"]) == list(CONTRACT[page])
    refused = _run(demo_warehouse, "--page", page, "--as", "demo-monitor")
    assert refused.returncode == 2 and "may not open" in refused.stderr
