"""Reading an uploaded file into sheets of text: CSV here, XLSX in ``xlsx``.

What comes out is one ``Sheet`` per template found (see ``sheet``): the template's own
columns as text and each row's line number in the file.
"""

from __future__ import annotations

import polars as pl

from warehouse.ingest import xlsx
from warehouse.ingest.sheet import MAX_COLUMNS, MAX_ROWS, Grid, Sheet, Unreadable, fit
from warehouse.ingest.templates import TEMPLATES, template_for_file_name

_EXTRA = 8  # fields read beyond the header's, to notice rows that have more


def read_upload(name: str, data: bytes, template: str | None = None) -> list[Sheet]:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "xlsx":
        return xlsx.read_workbook(name, data, template)
    if suffix != "csv":
        raise Unreadable("not a CSV or XLSX file: save it from Excel as 'CSV UTF-8' or as "
                         "an Excel workbook (.xlsx)")
    chosen = template or template_for_file_name(name)
    if chosen is None:
        raise Unreadable(
            "cannot tell which template this file follows: name it after the template "
            "(cases.csv, cases-2025Q1.csv, ...) or give --template. Templates: "
            + ", ".join(TEMPLATES))
    return [fit(read_csv(data), TEMPLATES[chosen], name)]


def decode(data: bytes) -> tuple[str, list[str]]:
    if data.startswith(b"PK\x03\x04"):
        raise Unreadable("this is a zip file (an XLSX workbook?) with a .csv name: rename it "
                         "to .xlsx, or save it as 'CSV UTF-8'")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise Unreadable("this is an old Excel .xls workbook: save it as .xlsx or 'CSV UTF-8'")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Unreadable("the file is UTF-16 text: save it as 'CSV UTF-8'")
    head = data[:65536]
    control = sum(head.count(bytes([b])) for b in (*range(0, 9), *range(14, 32)))
    if b"\x00" in data or control > len(head) // 200:
        raise Unreadable("the file holds binary data, not CSV text")
    notes = ["a UTF-8 byte-order mark was skipped"] if data.startswith(b"\xef\xbb\xbf") else []
    try:
        return data.decode("utf-8-sig"), notes
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise Unreadable(
            f"the file is not UTF-8 text (the first byte that is not is on line {line}); "
            "in Excel choose Save As, 'CSV UTF-8 (Comma delimited)'") from None


def read_csv(data: bytes) -> Grid:
    text, notes = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = pl.Series(text.split("\n"))
    quotes = lines.str.count_matches('"', literal=True)
    if quotes.sum() % 2:
        raise Unreadable("a quoted value is never closed (an odd number of '\"' characters)")
    # A record starts on a line that is not inside a quoted value; a blank record is skipped
    # (a line inside a quoted value is never, whatever it holds).
    starts = ((quotes.cum_sum() - quotes) % 2) == 0
    blank = lines.str.replace_all(r"[\s,]", "").str.len_chars() == 0
    skip = starts & blank
    records = (pl.int_range(1, len(lines) + 1, eager=True).filter(starts & ~blank))
    if records.is_empty():
        raise Unreadable("the file is empty")
    blanks = int((skip & (pl.int_range(0, len(lines), eager=True) < len(lines) - 1)).sum())
    if blanks:
        notes.append(f"{blanks:,} blank line(s) skipped")
    if len(records) - 1 > MAX_ROWS:
        raise Unreadable(f"more than {MAX_ROWS:,} rows: split the file")
    header_line = lines[int(records[0]) - 1]
    if header_line.count(",") > 4 * MAX_COLUMNS:  # before polars is asked to make them
        raise Unreadable(f"more than {MAX_COLUMNS} columns")
    body = "\n".join(lines.filter(~skip).to_list())
    width = _header_width(body)
    if width > MAX_COLUMNS:
        raise Unreadable(f"more than {MAX_COLUMNS} columns")
    if width == 1 and (";" in header_line or "\t" in header_line):
        raise Unreadable("the header has no commas: the file seems to separate values with "
                         "';' or tabs. In Excel choose Save As, 'CSV UTF-8 (Comma delimited)'")
    names = [f"c{i}" for i in range(width + _EXTRA)]
    try:
        rows = pl.read_csv(("\n".join([",".join(names), body])).encode(), infer_schema=False,
                           truncate_ragged_lines=True, has_header=True)
    except pl.exceptions.PolarsError:
        raise Unreadable("the file could not be split into rows and columns as CSV") from None
    if rows.height != len(records):
        raise Unreadable("the file could not be split into rows consistently; check its quotes")
    header = [_cell(v) for v in rows.row(0)[:width]]
    rows = rows.slice(1)
    extra = rows.select(pl.any_horizontal(
        [pl.col(n).str.strip_chars().fill_null("") != "" for n in names[width:]]))
    return Grid(header, rows.select(names[:width]), records.slice(1), extra.to_series(), notes,
                label=lambda i: f"column {i + 1}")


def _header_width(body: str) -> int:
    first = pl.read_csv(body.encode(), infer_schema=False, has_header=False, n_rows=1,
                        truncate_ragged_lines=True)
    return first.width


def _cell(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
