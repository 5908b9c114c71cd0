"""``manage.py export`` for the indicators and summary pages: the contract's ``indicators``
table exactly, the summary's sections, the summary as PDF, and the refusals."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pypdfium2
import pytest
from openpyxl import load_workbook

from startup.export import ExportError, export
from tests.conftest import DEMO_UNTIL
from tests.test_export import _settings
from tests.test_manage import ROOT
from warehouse.indicators import CODES

AS_OF = DEMO_UNTIL.isoformat()
INDICATORS = ["indicator_code", "period", "county_scope", "actual", "target", "pct_of_target",
              "status"]


def _json(engine, page, username, **choices) -> dict:
    return json.loads(export(_settings(engine), page=page, username=username, as_of=AS_OF,
                             **choices))


def test_the_indicators_table_is_the_contracts(demo_warehouse):
    body = _json(demo_warehouse, "indicators", "demo-manager", period="2026Q3")
    assert list(body["tables"]) == ["indicators", "trend", "disaggregations"]
    table = body["tables"]["indicators"]
    assert table["columns"] == INDICATORS
    rows = [dict(zip(INDICATORS, r, strict=True)) for r in table["rows"]]
    assert [(r["indicator_code"], r["county_scope"]) for r in rows] == [
        (c, s) for s in ("ALL", "001", "002", "003") for c in CODES]
    assert {r["period"] for r in rows} == {"2026-Q3"}
    assert {r["status"] for r in rows} <= {"on_track", "at_risk", "off_track", None}
    assert any(r["status"] for r in rows)
    one = _json(demo_warehouse, "indicators", "demo-manager", period="2025", counties="003")
    assert {r[2] for r in one["tables"]["indicators"]["rows"]} == {"003"}
    assert {r[1] for r in one["tables"]["indicators"]["rows"]} == {"2025"}


def test_the_indicators_as_csv_and_xlsx(demo_warehouse):
    text = export(_settings(demo_warehouse), page="indicators", username="demo-manager",
                  period="2026Q3", as_of=AS_OF, fmt="csv").decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == INDICATORS and len(rows) == 1 + 4 * len(CODES)
    book = load_workbook(io.BytesIO(export(
        _settings(demo_warehouse), page="indicators", username="demo-manager",
        period="2026Q3", as_of=AS_OF, fmt="xlsx")), read_only=True)
    assert book.sheetnames == ["indicators", "trend", "disaggregations", "about"]


@pytest.mark.parametrize(("choices", "message"), [
    ({"start": "2025-02-01", "end": "2025-06-30"}, "one quarter or one calendar year"),
    ({"period": "2025", "fmt": "pdf"}, "PDF is written for the summary page only"),
])
def test_the_indicators_refuse_what_they_do_not_cover(demo_warehouse, choices, message):
    with pytest.raises(ExportError, match=message):
        export(_settings(demo_warehouse), page="indicators", username="demo-manager",
               as_of=AS_OF, **choices)


@pytest.mark.parametrize(("page", "username"), [
    ("indicators", "demo-monitor"), ("indicators", "demo-admin"),
    ("indicators", "demo-cuc-kilifi"), ("summary", "demo-cuc-kilifi")])
def test_who_may_not_export_these_pages(demo_warehouse, page, username):
    with pytest.raises(ExportError, match=f"may not open the page '{page}'"):
        export(_settings(demo_warehouse), page=page, username=username, as_of=AS_OF)


def test_the_summary_has_one_table_per_section(demo_warehouse):
    body = _json(demo_warehouse, "summary", "demo-monitor", period="2026Q3", counties="002")
    assert body["suppressed_below"] == 11 and body["counties"] == ["002"]
    assert {n: t["columns"] for n, t in body["tables"].items()} == {
        "headline": ["indicator_code", "actual", "target", "pct_of_target", "status"],
        "funnel": ["measure", "cases"], "training": ["measure", "people"],
        "outreach": ["measure", "value"]}
    for table in body["tables"].values():
        for row in table["rows"]:
            for v in row[1:2]:
                assert v is None or not 1 <= v <= 10, row


@pytest.mark.parametrize(("choices", "message"), [
    ({"period": "2026Q4"}, "not over yet"),
    ({"start": "2025-01-01", "end": "2025-05-31"}, "whole completed quarter"),
    ({"period": "2025Q1", "counties": "001,002"}, "not other combinations"),
])
def test_the_summary_publishes_only_the_release(demo_warehouse, choices, message):
    with pytest.raises(ExportError, match=message):
        export(_settings(demo_warehouse), page="summary", username="demo-monitor",
               as_of=AS_OF, **choices)


def test_the_summary_as_pdf_from_the_command_line(demo_warehouse, tmp_path):
    url = demo_warehouse.url.render_as_string(hide_password=False)
    out = tmp_path / "q3.pdf"
    env = {"HAKI_WAREHOUSE_URL": url, "HAKI_SECRETS_FILE": "/nonexistent",
           "HAKI_TODAY": AS_OF, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "manage.py", "export", "--page", "summary", "--as", "demo-admin",
         "--period", "2025", "--counties", "other", "--format", "pdf", "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    doc = pypdfium2.PdfDocument(out.read_bytes())
    text = " ".join(" ".join(doc[i].get_textpage().get_text_range().split())
                    for i in range(len(doc)))
    assert "Haki — quarterly summary" in text
    assert "2025 (1 Jan 2025 to 31 Dec 2025) · The other 44 counties, together" in text
    assert "for demo-admin" in text and "Synthetic demo data" in text
    assert "Counts of 1–10 are withheld" in text
    assert "No targets are set for the other counties together." in text
