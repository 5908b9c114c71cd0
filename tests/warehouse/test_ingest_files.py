"""Files as they arrive from the field: encodings, byte-order marks, blank lines, trailing
separators, quoted line breaks, Excel workbooks with dates, formulas and merged headers,
and files that are not what they claim (binary, zip bombs, entity bombs). Each is read
or refused with a clear message, and a refused file leaves the warehouse as it was."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from tests.warehouse.ingest_helpers import batches, csv, examples, key, run, snapshot
from warehouse.ingest import Options, Upload, ingest, xlsx
from warehouse.ingest import sheet as sheet_module

HEADER = "source_case_id,stage,occurred_on"


@pytest.fixture
def cases_loaded(empty_warehouse):
    assert run(empty_warehouse, examples("cases")).exit_status == 0
    return empty_warehouse


def _problems(report):
    return {(p.rule, p.column, tuple(p.lines)) for f in report.files for p in f.problems}


def test_bom_crlf_blank_lines_and_trailing_separators(cases_loaded):
    body = ("\ufeff" + HEADER + ",\r\n\r\nEX-C-0004,investigation_opened,2025-02-20,\r\n"
            ",,,\r\n   \r\nEX-C-0004,charged,2025-01-01,\r\n")
    report = run(cases_loaded, {"case_events.csv": body.encode()}, partial=True)
    [f] = report.files
    # Lines are the file's own: two blank lines and a line of separators were skipped.
    assert _problems(report) == {("before_reported", "occurred_on", (6,))}
    assert (f.rows_read, f.rows_loaded) == (2, 1)
    assert "a UTF-8 byte-order mark was skipped" in f.notes
    assert "3 blank line(s) skipped" in f.notes
    assert f.unknown_columns == []  # an empty column from trailing separators is no column


def test_a_quoted_line_break_keeps_line_numbers_right(empty_warehouse):
    body = csv("source_case_id,county,reported_on,referral_source,offence,victim_age,"
               "victim_sex,notes",
               'A-1,Kilifi,2025-01-01,police,child_trafficking,12,female,"first line\n\n'
               'third, line"',
               "A-2,Kilifi,2025-13-01,police,child_trafficking,12,female,")
    report = run(empty_warehouse, {"cases.csv": body}, dry_run=True)
    assert _problems(report) == {("not_a_date", "reported_on", (5,))}


def test_more_fields_than_the_header_is_a_rule(cases_loaded):
    body = csv(HEADER, "EX-C-0004,investigation_opened,2025-02-20",
               "EX-C-0004,charged,2025-03-01,Jane, Doe")
    report = run(cases_loaded, {"case_events.csv": body}, dry_run=True)
    assert _problems(report) == {("extra_fields", "", (3,))}


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("cases.csv", "source_case_id,county\nA-1,Mombasa \u00e9\n".encode("latin-1"),
         "not UTF-8 text (the first byte that is not is on line 2)"),
        ("cases.csv", "source_case_id\nA-1\n".encode("utf-16"), "UTF-16"),
        ("cases.csv", bytes(range(256)) * 40, "binary data"),
        ("cases.csv", b"\x7fELF\x02\x01\x01" + b"\x01\x02\x03\x04" * 500, "binary data"),
        ("cases.csv", b"PK\x03\x04rest-of-a-zip", "zip file"),
        ("cases.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", ".xls workbook"),
        ("cases.txt", b"source_case_id\nA-1\n", "not a CSV or XLSX file"),
        ("cases.csv", b"", "the file is empty"),
        ("cases.csv", b"\n\n,,\n", "the file is empty"),
        ("cases.csv", b'source_case_id,county\n"A-1,Kilifi\n', "quoted value is never closed"),
        ("cases.csv", b"source_case_id,county\nA-1,Kilifi\n",
         "required column(s) missing from the cases template: reported_on, referral_source"),
        ("report-2025.csv", b"a,b\n1,2\n", "cannot tell which template"),
        ("cases.csv", b"source_case_id;county;reported_on\nA-1;Kilifi;2025-01-01\n",
         "separate values with ';' or tabs"),
        ("cases.csv", b",".join([b"c"] * 100_000) + b"\n1\n", "more than 200 columns"),
        ("cases.xlsx", b"PK\x03\x04not really", "not a valid XLSX workbook"),
    ],
)
def test_unreadable_files_are_refused_whole_and_recorded(empty_warehouse, name, data, words):
    before = snapshot(empty_warehouse)
    report = run(empty_warehouse, {name: data})
    [f] = report.files
    assert (f.status, report.exit_status) == ("unreadable", 2)
    assert words in f.message
    assert snapshot(empty_warehouse) == before
    [batch] = batches(empty_warehouse)
    assert (batch.status, batch.rows_loaded, batch.message) == ("unreadable", 0, f.message)


def test_duplicate_template_column_names_the_template(empty_warehouse):
    report = run(empty_warehouse, {"case_events.csv": b"source_case_id,stage,Stage ,occurred_on\n"})
    assert report.files[0].message == "the column stage appears twice"


def test_the_template_option_names_a_file_whose_name_does_not(cases_loaded):
    body = csv(HEADER, "EX-C-0004,investigation_opened,2025-02-20")
    report = run(cases_loaded, {"export from system.csv": body}, template="case_events",
                 dry_run=True)
    assert (report.exit_status, report.files[0].template) == (0, "case_events")


def test_too_large_a_file_is_refused_unread(empty_warehouse):
    def never():
        raise AssertionError("an oversized file must not be read")

    upload = Upload("cases.csv", 30 * 2**20, never)
    report = ingest(empty_warehouse, [upload], "k" * 40,
                    Options(uploaded_by="t", max_bytes=25 * 2**20))
    [f] = report.files
    assert (f.status, f.sha256) == ("unreadable", None)
    assert "larger than the 25 MB limit" in f.message
    assert batches(empty_warehouse)[0].status == "unreadable"


def test_a_file_with_only_a_header_loads_nothing_and_says_so(empty_warehouse):
    report = run(empty_warehouse, {"workforce.csv": "county,cadre,headcount,as_of\n"})
    assert (report.exit_status, report.files[0].status, report.files[0].rows_read) == (
        0, "loaded", 0)


def test_row_limit_is_checked_before_parsing(empty_warehouse, monkeypatch):
    monkeypatch.setattr("warehouse.ingest.read.MAX_ROWS", 3)
    body = csv("county,cadre,headcount,as_of", *["Kilifi,police,1,2025-01-01"] * 4)
    report = run(empty_warehouse, {"workforce.csv": body})
    assert "more than 3 rows" in report.files[0].message


# --- XLSX ------------------------------------------------------------------------------------


def _book(sheets: dict[str, list[list]], merge: dict[str, str] | None = None) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
        if merge and title in merge:
            ws.merge_cells(merge[title])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


CASE_HEADER = ["source_case_id", "county", "reported_on", "referral_source", "offence",
               "victim_age", "victim_sex", "consent_documented", "victim_name"]


def test_a_workbook_with_excel_dates_numbers_and_booleans(empty_warehouse):
    data = _book({
        "Cases": [CASE_HEADER,
                  ["X-1", "Kilifi", dt.datetime(2025, 3, 1), "police", "child_trafficking",
                   15.0, "female", True, "someone"],
                  [None] * 9,
                  ["X-2", 3, dt.date(2025, 3, 2), "school", "child_prostitution", 9, "male",
                   False, None]],
        "case_events": [["source_case_id", "stage", "occurred_on"],
                        ["X-1", "reported", dt.datetime(2025, 3, 1)],
                        ["X-2", "investigation_opened", "03/03/2025"]],
        "Summary": [["anything", "at all"]],
    })
    report = run(empty_warehouse, {"programme.xlsx": data})
    assert report.exit_status == 0, report.text()
    assert [(f.sheet, f.template, f.rows_loaded) for f in report.files] == [
        ("Cases", "cases", 2), ("case_events", "case_events", 2)]
    assert "sheets ignored (not named after a template): Summary" in report.files[0].notes
    assert report.files[0].dropped_columns == ["victim_name"]
    snap = snapshot(empty_warehouse)
    assert sorted((r[0], r[1], r[3], r[6]) for r in snap["cases"]) == sorted([
        (key("case", "X-1"), "003", dt.date(2025, 3, 1), "15-17"),
        (key("case", "X-2"), "003", dt.date(2025, 3, 2), "0-11")])
    assert {r[9] for r in snap["cases"]} == {True, False}  # consent from TRUE / FALSE cells


def test_formulas_are_rejected_and_blank_rows_keep_excel_row_numbers(empty_warehouse):
    data = _book({"workforce": [["county", "cadre", "headcount", "as_of", "note"],
                                ["Kilifi", "police", 10, dt.date(2025, 1, 1), "=A1"],
                                [None] * 5,
                                ["Kilifi", "prosecutor", "=2*5", dt.date(2025, 1, 1)]]})
    report = run(empty_warehouse, {"staff.xlsx": data}, dry_run=True)
    # A formula in a column the template does not keep is discarded with that column.
    assert _problems(report) == {("formula", "headcount", (4,))}
    assert report.files[0].unknown_columns == ["note"]


def test_merged_header_cells_are_named_in_the_message(empty_warehouse):
    data = _book({"workforce": [["county", "cadre", None, "as_of"],
                                ["Kilifi", "police", 10, dt.date(2025, 1, 1)]]},
                 merge={"workforce": "B1:C1"})
    report = run(empty_warehouse, {"staff.xlsx": data})
    [f] = report.files
    assert f.status == "unreadable"
    assert "required column(s) missing from the workforce template: headcount" in f.message
    assert "empty or merged" in f.message


def test_a_workbook_without_template_sheets(empty_warehouse):
    report = run(empty_warehouse, {"x.xlsx": _book({"Sheet1": [["a"], [1]]})})
    assert "no sheet is named after a template" in report.files[0].message


def _rezip(data: bytes, change) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info.filename)))
    return out.getvalue()


def _valid_book() -> bytes:
    return _book({"workforce": [["county", "cadre", "headcount", "as_of"],
                                ["Kilifi", "police", 10, "2025-01-01"]]})


def test_a_zip_bomb_is_refused_before_it_is_unpacked(empty_warehouse):
    def inflate(name, body):
        return body + b" " * (64 * 2**20) if name == "xl/worksheets/sheet1.xml" else body

    report = run(empty_warehouse, {"bomb.xlsx": _rezip(_valid_book(), inflate)})
    assert "zip bomb" in report.files[0].message
    assert snapshot(empty_warehouse)["workforce"] == []


def _entity_bomb() -> bytes:
    def add_entities(name, body):
        if name != "xl/worksheets/sheet1.xml":
            return body
        body = body.split(b"?>", 1)[1] if body.startswith(b"<?xml") else body
        lol = b"".join(b'<!ENTITY l%d "&l%d;&l%d;&l%d;&l%d;">' % (i, i - 1, i - 1, i - 1, i - 1)
                       for i in range(1, 12))
        return b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY l0 "lol">' + lol + b"]>" + body

    return _rezip(_valid_book(), add_entities)


def test_an_xml_entity_bomb_is_refused(empty_warehouse):
    report = run(empty_warehouse, {"lol.xlsx": _entity_bomb()})
    assert "refused as unsafe" in report.files[0].message


def test_defusedxml_refuses_entities_even_without_the_archive_check(empty_warehouse,
                                                                    monkeypatch):
    monkeypatch.setattr(xlsx, "check_archive", lambda data: None)
    report = run(empty_warehouse, {"lol.xlsx": _entity_bomb()})
    assert report.files[0].message == "the workbook's XML declares entities; refused as unsafe"


def test_sheet_row_limit(empty_warehouse, monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 2)
    data = _book({"workforce": [["county", "cadre", "headcount", "as_of"],
                                *[["Kilifi", c, 1, "2025-01-01"] for c in
                                  ("police", "prosecutor", "magistrate")]]})
    report = run(empty_warehouse, {"w.xlsx": data})
    assert "more than 2 rows" in report.files[0].message
    assert sheet_module.MAX_ROWS > 2  # the CSV reader's limit is its own setting
