"""No direct identifier gets in: unique markers planted in every DROP column, in columns the
template does not know, and in every source id of a large upload are then searched for in
every table of the warehouse, the audit log, the reports (text and JSON), the output of
``manage.py ingest`` and the application log. None may be found."""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import MetaData, select

import manage
from tests.warehouse.ingest_helpers import SECRET, big_cases, csv
from warehouse.ingest import TEMPLATES

pytestmark = pytest.mark.slow
MARK = "QZXMARK"  # every planted cell starts with it; it cannot occur in a hex key or a code
ROWS = 100_000


def _files(folder: Path) -> None:
    drop = sorted(TEMPLATES["cases"].drop_names)
    extra = {name: f"{MARK}-{name}-" for name in drop}
    extra |= {"interviewer": f"{MARK}-interviewer-", "Mother's name": f"{MARK}-mother-"}
    (folder / "cases.csv").write_bytes(big_cases(ROWS, extra, id_prefix=f"{MARK}-C-"))
    # Rejected rows carry markers too: their cells must not reach a report either.
    (folder / "case_events.csv").write_text(csv(
        "source_case_id,stage,occurred_on,notes",
        f"{MARK}-C-000001,reported,2020-01-02,{MARK}-n1",
        f"{MARK}-C-000002,reported,not a date {MARK},{MARK}-n2",
        f'{MARK}-NO-SUCH-CASE,reported,2020-01-02,"{MARK}, with a comma\nand a line break"',
        f"{MARK}-C-000003,{MARK}-stage,2020-01-02,",
    ))
    (folder / "hotline_reports.csv").write_text(csv(
        "source_report_id,received_on,county,channel,category,referred_to,source_case_id,"
        "caller_name,caller_phone,caller_village",
        f"{MARK}-R-1,2025-01-02,Kilifi,sms,other_abuse,none,{MARK}-C-000004,{MARK}-caller,"
        f"{MARK}-0722,{MARK}-village",
        f"{MARK}-R-{'9' * 70},2025-01-02,{MARK}-county,sms,other_abuse,none,,{MARK}-c2,,",
    ))
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "trainings"
    ws.append(["source_participant_id", "participant_sex", "cadre", "county", "course",
               "delivery", "held_on", "participant_name", "phone", "email", "Supervisor"])
    for i in range(200):
        ws.append([f"{MARK}-P-{i}", "female", "police", "Kwale", "child_friendly_courts",
                   "training", dt.date(2025, 1, 1) + dt.timedelta(days=i % 300),
                   f"{MARK}-name-{i}", f"{MARK}-phone-{i}", f"{MARK}-{i}@example.org",
                   f"{MARK}-sup-{i}" if i % 2 else f"={MARK}"])
    ws.append([f"{MARK}-P-bad", f"{MARK}-sex", "police", "Kwale", "child_friendly_courts",
               "training", f"{MARK}-date", f"{MARK}-name", None, None, None])
    buf = io.BytesIO()
    book.save(buf)
    (folder / "trainings.xlsx").write_bytes(buf.getvalue())


def test_no_marker_reaches_the_warehouse_a_report_or_a_log(empty_warehouse, tmp_path,
                                                         monkeypatch, capsys, caplog):
    url = empty_warehouse.url.render_as_string(hide_password=False)
    for name, value in {"HAKI_WAREHOUSE_URL": url, "HAKI_SECRETS_FILE": "/nonexistent",
                        "HAKI_COOKIE_KEY": "c" * 40, "HAKI_PSEUDONYM_KEY": SECRET,
                        "HAKI_MAX_UPLOAD_MB": "200"}.items():
        monkeypatch.setenv(name, value)
    folder = tmp_path / "upload"
    folder.mkdir()
    _files(folder)
    caplog.set_level(logging.DEBUG)
    status = manage.main(["ingest", str(folder), "--partial", "--report",
                          str(tmp_path / "report.json")])
    out = capsys.readouterr()
    assert status == 1  # some rows were rejected (and left out)
    assert f"loaded {ROWS:,}" in out.out and "trainings.xlsx" in out.out

    found = {}
    meta = MetaData()
    meta.reflect(empty_warehouse)
    with empty_warehouse.connect() as conn:
        for table in meta.sorted_tables:  # every table there is, not only Haki's own
            rows = conn.execute(select(table)).all()
            found[f"table {table.name}"] = "\n".join(map(repr, rows))
    found["stdout"], found["stderr"] = out.out, out.err
    found["application log"] = "\n".join(r.getMessage() for r in caplog.records)
    found["JSON report"] = (tmp_path / "report.json").read_text()
    if empty_warehouse.dialect.name == "sqlite":
        db = Path(empty_warehouse.url.database)
        found["database file"] = b"".join(
            p.read_bytes() for p in (db, Path(f"{db}-wal")) if p.exists()).decode("latin-1")
    assert "table audit_log" in found and "table ingest_batches" in found
    leaks = [where for where, body in found.items() if MARK in body or MARK.lower() in body]
    assert leaks == []
    # The upload did arrive, keyed by hashes only.
    assert found["table cases"].count("'0") >= ROWS  # county codes of every case row
