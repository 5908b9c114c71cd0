"""Writing a page's figures as files: JSON, CSV and XLSX, exactly as the figures contract says.

The tables come from ``figures.registry`` (the page's own computation) with their
``*_withheld`` reason columns; files carry a withheld value as null (JSON) or the word
``suppressed`` (CSV, XLSX) and never the reasons' columns themselves. Text cells that a
spreadsheet would run as a formula are neutralised in CSV and XLSX.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime

import polars as pl
from openpyxl import Workbook

WITHHELD = "suppressed"
FLAG_SUFFIX = "_withheld"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Release:
    """One page's figures for one reader and one set of choices, with the JSON metadata."""

    page: str
    username: str
    role: str
    start: date
    end: date
    as_of: date
    counties: tuple[str, ...] | None  # None: every county the reader may see
    generated_at: datetime
    data_last_loaded: datetime | None
    demo: bool
    suppressed_below: int | None
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)

    def metadata(self) -> dict:
        return {
            "page": self.page,
            "as": self.username,
            "role": self.role,
            "period": {"start": self.start.isoformat(), "end": self.end.isoformat()},
            "as_of": self.as_of.isoformat(),
            "counties": list(self.counties) if self.counties is not None else None,
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "data_last_loaded": (self.data_last_loaded.isoformat(timespec="seconds")
                                 if self.data_last_loaded else None),
            "demo": self.demo,
            "suppressed_below": self.suppressed_below,
        }


def columns(df: pl.DataFrame) -> list[str]:
    """The contract's columns: everything but the withheld reasons."""
    return [c for c in df.columns if not (c.endswith(FLAG_SUFFIX) and c[:-len(FLAG_SUFFIX)]
                                          in df.columns)]


def _cells(df: pl.DataFrame, withheld_as) -> list[list]:
    """Rows of the contract's columns, withheld values replaced by ``withheld_as``."""
    cols = columns(df)
    rows = [list(r) for r in df.select(cols).iter_rows()]
    for j, col in enumerate(cols):
        flag = col + FLAG_SUFFIX
        if flag in df.columns:
            for i, reason in enumerate(df[flag].to_list()):
                if reason is not None:
                    rows[i][j] = withheld_as
    return rows


def _json_value(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_json(release: Release) -> str:
    body = release.metadata()
    body["tables"] = {
        name: {"columns": columns(df),
               "rows": [[_json_value(v) for v in row] for row in _cells(df, None)]}
        for name, df in release.tables.items()
    }
    return json.dumps(body, ensure_ascii=False, indent=1)


def safe_text(value):
    """A text cell a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _file_value(value):
    return safe_text(_json_value(value))


def to_csv(df: pl.DataFrame) -> bytes:
    """One table: a header row, then the rows; withheld values written as 'suppressed'."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_text(c) for c in columns(df)])
    for row in _cells(df, WITHHELD):
        writer.writerow(["" if v is None else _file_value(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(release: Release) -> bytes:
    """One sheet per table, plus 'about' with the JSON's metadata."""
    book = Workbook(write_only=True)
    for name, df in release.tables.items():
        sheet = book.create_sheet(name[:31])
        sheet.append(columns(df))
        for row in _cells(df, WITHHELD):
            sheet.append([_file_value(v) for v in row])
    about = book.create_sheet("about")
    for key, value in release.metadata().items():
        if isinstance(value, dict):
            value = f"{value['start']} to {value['end']}"
        elif isinstance(value, list):
            value = ",".join(value)
        about.append([key, _file_value(value)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
