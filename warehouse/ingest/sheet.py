"""A sheet as read from a file, and how its header is matched to a template.

``fit`` is where DROP columns and columns the template does not know are discarded:
before any check, log or report sees a cell of them. Only their names are kept, for
the report. A file that cannot be read at all raises ``Unreadable`` with a message an
operator can act on (what is wrong, and how to save the file instead).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from warehouse.ingest.templates import Template

MAX_COLUMNS = 200
MAX_ROWS = 250_000  # per file or sheet: bounds the time and memory one upload can take


class Unreadable(ValueError):
    """The file cannot be read at all; nothing of it is loaded."""


@dataclass
class Sheet:
    template: str
    name: str  # the file's name
    frame: pl.DataFrame  # _row, _line, _extra and the template's columns, as text
    dropped: list[str] = field(default_factory=list)  # DROP columns present
    unknown: list[str] = field(default_factory=list)  # columns the template does not have
    notes: list[str] = field(default_factory=list)
    sheet: str | None = None  # the workbook sheet it came from (XLSX only)


@dataclass
class Grid:
    """A sheet as read, before its header is matched: header cells, rows of text."""

    header: list[str | None]
    rows: pl.DataFrame  # columns c0..cN, text
    lines: pl.Series  # line (or spreadsheet row) number of each row
    extra: pl.Series  # rows with more fields than the header
    notes: list[str]
    label: Callable[[int], str]  # how a report names the column at a 0-based position


def fit(grid: Grid, template: Template, name: str) -> Sheet:
    """Match the header to the template: keep its columns, discard every other one."""
    wanted = {c.name for c in template.kept}
    keep: dict[str, str] = {}
    dropped, unknown, unnamed = [], [], []
    for i, cell in enumerate(grid.header):
        label = cell.lower() if cell else None
        if label in wanted:
            if label in keep.values():
                raise Unreadable(f"the column {label} appears twice")
            keep[f"c{i}"] = label
        elif label in template.drop_names:
            dropped.append(label)
        elif label is None:
            if grid.rows[f"c{i}"].str.strip_chars().fill_null("").ne("").any():
                unnamed.append(grid.label(i))
        else:
            unknown.append(cell)
    missing = [c for c in template.required if c not in keep.values()]
    if missing:
        hint = (" (is a header cell empty or merged? every column needs its own header)"
                if unnamed else "")
        raise Unreadable(f"required column(s) missing from the {template.name} template: "
                         + ", ".join(missing) + hint)
    frame = grid.rows.select([pl.col(k).alias(v) for k, v in keep.items()])
    frame = frame.with_columns(
        [pl.lit(None, pl.String).alias(c) for c in wanted if c not in frame.columns])
    frame = frame.with_columns(
        pl.int_range(0, pl.len(), dtype=pl.Int64).alias("_row"),
        grid.lines.cast(pl.Int64).alias("_line"),
        grid.extra.alias("_extra"),
    )
    notes = list(grid.notes)
    unknown += [f"({label}, no header)" for label in unnamed]
    if unnamed:
        notes.append("columns without a header were dropped: " + ", ".join(unnamed))
    return Sheet(template.name, name, frame, dropped, unknown, notes)


def safe_name(name: str) -> str:
    """A file name as reports and ingest_batches show it: no folders, no control characters."""
    base = re.split(r"[\\/]", name)[-1]
    return re.sub(r"[\x00-\x1f\x7f]", "?", base)[:200]
