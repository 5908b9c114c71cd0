"""Reading an XLSX workbook: one sheet per template, named after it; other sheets ignored.

A workbook is a zip archive of XML, so before openpyxl sees it the archive is checked:
what it declares it unpacks to (a zip bomb declares far more than it holds, and
``zipfile`` stops at the declared size), and no XML part may declare a DTD or entities
(Excel never writes one; an entity bomb needs one). openpyxl parses through
defusedxml, which refuses entities again.

Cells come out as text: dates as YYYY-MM-DD, whole numbers without ".0", TRUE/FALSE
as yes/no. A formula becomes the ``FORMULA`` marker, which the checks reject with
their own rule: the workbook holds the formula, not a value Haki can trust.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import openpyxl.xml
import polars as pl
from openpyxl.utils import get_column_letter

from warehouse.ingest.parse import FORMULA
from warehouse.ingest.sheet import MAX_COLUMNS, MAX_ROWS, Grid, Sheet, Unreadable, fit
from warehouse.ingest.templates import TEMPLATES

MAX_PARTS = 2_000
MAX_UNPACKED = 512 * 1024 * 1024  # bytes of XML one workbook may unpack to
MAX_RATIO = 150  # a part above 1 MB may not unpack to more than this many times its size
MAX_BLANK_ROWS = MAX_ROWS  # formatted but empty rows read past before giving up
_PEEK = 4096

if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - requirements.txt installs it
    raise ImportError("defusedxml is required to read XLSX uploads safely")


def check_archive(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise Unreadable("not a valid XLSX workbook (it is not a zip archive)") from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise Unreadable(f"the workbook has more than {MAX_PARTS:,} parts; refused")
        if "xl/workbook.xml" not in archive.namelist():
            raise Unreadable("this zip archive is not an Excel workbook")
        unpacked = sum(p.file_size for p in parts)
        if unpacked > MAX_UNPACKED:
            raise Unreadable(
                f"the workbook would unpack to {unpacked / 2**20:,.0f} MB, more than "
                f"{MAX_UNPACKED / 2**20:,.0f} MB; refused (a zip bomb?)")
        for p in parts:
            if p.file_size > 2**20 and p.file_size > MAX_RATIO * max(p.compress_size, 1):
                raise Unreadable("a part of the workbook is compressed more than any "
                                 "spreadsheet is; refused as a likely zip bomb")
            if p.filename.endswith((".xml", ".rels")):
                with archive.open(p) as fh:
                    head = fh.read(_PEEK)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise Unreadable("the workbook's XML declares a DTD or entities, which "
                                     "Excel never writes; refused as unsafe")


def read_workbook(name: str, data: bytes, template: str | None) -> list[Sheet]:
    check_archive(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise Unreadable(_why(exc)) from None
    try:
        by_name = {ws.title.strip().lower(): ws for ws in book.worksheets}
        chosen = _chosen(by_name, template)
        ignored = [ws.title for key, ws in by_name.items() if key not in chosen]
        sheets = []
        for tmpl, ws in chosen.items():
            try:
                sheet = fit(_grid(ws), TEMPLATES[tmpl], name)
            except Unreadable as exc:
                raise Unreadable(f"sheet {ws.title}: {exc}") from None
            except Exception as exc:
                raise Unreadable(_why(exc)) from None
            sheet.sheet = ws.title
            if ignored:
                sheet.notes.append("sheets ignored (not named after a template): "
                                   + ", ".join(ignored))
            sheets.append(sheet)
        return sheets
    finally:
        book.close()


def _chosen(by_name: dict, template: str | None) -> dict:
    if template is not None:
        if template in by_name:
            return {template: by_name[template]}
        if len(by_name) == 1:
            return {template: next(iter(by_name.values()))}
        raise Unreadable(f"the workbook has no sheet named {template}")
    chosen = {key: ws for key, ws in by_name.items() if key in TEMPLATES}
    if not chosen:
        raise Unreadable("no sheet is named after a template (name each sheet cases, "
                         "case_events, ...: " + ", ".join(TEMPLATES) + ")")
    return chosen


def _why(exc: Exception) -> str:
    chain, seen = [], exc
    while seen is not None:
        chain.append(type(seen).__name__)
        seen = seen.__cause__ or seen.__context__
    if any(n in ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden")
           for n in chain):
        return "the workbook's XML declares entities; refused as unsafe"
    # The exception's own words may quote the file; only its kind is shown.
    return f"the workbook could not be read ({chain[0]}); open it in Excel and save it again"


def _grid(ws) -> Grid:
    ws.reset_dimensions()  # never trust the declared size: read the rows that are there
    header, rows, lines, blank_run, skipped = None, [], [], 0, 0
    for number, raw in enumerate(ws.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), 1):
        cells = [_text(v) for v in raw]
        while cells and (cells[-1] is None or not cells[-1].strip()):
            cells.pop()
        if not any(c is not None and c.strip() for c in cells):
            blank_run += 1
            if blank_run > MAX_BLANK_ROWS:
                raise Unreadable(f"more than {MAX_BLANK_ROWS:,} empty rows in a row")
            continue
        skipped += blank_run if header is not None else 0
        blank_run = 0
        if header is None:
            header = [None if h == FORMULA else h for h in cells]
            continue
        rows.append(cells)
        lines.append(number)
        if len(rows) > MAX_ROWS:
            raise Unreadable(f"more than {MAX_ROWS:,} rows: split the sheet")
    if header is None:
        raise Unreadable("the sheet is empty")
    # A cell right of the header is a column without a header (dropped and named), not a
    # field too many: a workbook has no commas to shift values along a row.
    width = max([len(header), *map(len, rows)])
    if width > MAX_COLUMNS:
        raise Unreadable(f"more than {MAX_COLUMNS} columns")
    names = [f"c{i}" for i in range(width)]
    padded = [r + [None] * (width - len(r)) for r in rows]
    frame = pl.DataFrame(padded, schema=dict.fromkeys(names, pl.String), orient="row")
    notes = [f"{skipped:,} blank row(s) skipped"] if skipped else []
    header_text = [h.strip() if h and h.strip() else None for h in header]
    header_text += [None] * (width - len(header_text))
    return Grid(header_text, frame, pl.Series(lines, dtype=pl.Int64),
                pl.Series([False] * len(rows), dtype=pl.Boolean), notes,
                label=lambda i: f"column {get_column_letter(i + 1)}")


def _text(value) -> str | None:
    if value is None or isinstance(value, str):
        if isinstance(value, str) and value.startswith("="):
            return FORMULA
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
