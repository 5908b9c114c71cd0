"""What an ingest run tells its operator: per file, what happened, and per rule, which rows.

A report names a row by its file and line, the column and the rule it broke; it
never holds a cell's content (of any column: DROP and source_*_id cells are what must
never appear, and no other cell is needed to find a row). Column names it does hold.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import polars as pl

from warehouse.ingest.rules import RULES

LINES_SHOWN = 20  # in the text report; the JSON report lists every line


@dataclass
class Problem:
    rule: str
    column: str
    rows: int
    lines: list[int]

    @property
    def meaning(self) -> str:
        return RULES[self.rule]


@dataclass
class FileReport:
    file: str
    template: str | None
    sha256: str | None
    status: str = "checked"  # loaded, partial, rejected, unreadable, failed, cancelled
    sheet: str | None = None
    rows_read: int = 0
    rows_valid: int = 0
    rows_rejected: int = 0
    rows_loaded: int = 0
    rows_inserted: int = 0
    rows_updated: int = 0
    problems: list[Problem] = field(default_factory=list)
    dropped_columns: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    message: str | None = None  # why the whole file was refused or failed
    batch_id: int | None = None

    @property
    def name(self) -> str:
        return self.file if self.sheet is None else f"{self.file}, sheet {self.sheet}"

    def by_rule(self) -> dict[str, int]:
        """Rows per rule (a row breaking two rules counts under each)."""
        counts: dict[str, int] = {}
        for p in self.problems:
            counts[p.rule] = counts.get(p.rule, 0) + p.rows
        return dict(sorted(counts.items()))

    def set_problems(self, flags: pl.DataFrame) -> None:
        grouped = (
            flags.group_by("rule", "column")
            .agg(pl.col("_line").unique().sort().alias("lines"))
            .sort("rule", "column")
        )
        self.problems = [
            Problem(r["rule"], r["column"], len(r["lines"]), r["lines"])
            for r in grouped.iter_rows(named=True)
        ]

    def audit_detail(self) -> dict:
        """What the audit log keeps: names, counts and rules, never a cell."""
        return {
            "file": self.file, "sheet": self.sheet, "template": self.template,
            "sha256": self.sha256, "status": self.status, "batch_id": self.batch_id,
            "rows_read": self.rows_read, "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected, "by_rule": self.by_rule(),
            "columns_dropped": self.dropped_columns + self.unknown_columns,
        }

    def text(self, dry_run: bool) -> list[str]:
        out = [f"{self.name}: {_status_words(self, dry_run)}"]
        if self.message:
            out.append(f"  {self.message}")
        if self.template and self.status not in ("unreadable",):
            out.append(f"  template {self.template}: {self.rows_read:,} rows read, "
                       f"{self.rows_valid:,} valid, {self.rows_rejected:,} rejected")
        if self.rows_loaded:
            out.append(f"  loaded {self.rows_loaded:,}: {self.rows_inserted:,} new, "
                       f"{self.rows_updated:,} replacing an earlier version, "
                       f"{self.rows_loaded - self.rows_inserted - self.rows_updated:,} "
                       "already there unchanged")
        for p in self.problems:
            shown = ", ".join(map(str, p.lines[:LINES_SHOWN]))
            more = f" and {p.rows - LINES_SHOWN:,} more" if p.rows > LINES_SHOWN else ""
            where = f"column {p.column}" if p.column else "the row"
            out.append(f"  {p.rule} ({where}): {p.rows:,} row(s), line(s) {shown}{more}"
                       f" - {p.meaning}")
        if self.dropped_columns:
            out.append("  DROP columns discarded unread: " + ", ".join(self.dropped_columns))
        if self.unknown_columns:
            out.append("  columns not in the template, discarded unread: "
                       + ", ".join(self.unknown_columns))
        out += [f"  note: {n}" for n in self.notes]
        return out


def _status_words(r: FileReport, dry_run: bool) -> str:
    if r.status == "unreadable":
        return "could not be read; nothing loaded"
    if dry_run:
        if r.rows_rejected == 0:
            return "valid (dry run: nothing written)"
        return "has rejected rows (dry run: nothing written)"
    return {
        "loaded": "loaded",
        "partial": "valid rows loaded, rejected rows left out (--partial)",
        "rejected": "refused; nothing of this file loaded",
        "failed": "the load stopped on an error; nothing of this file loaded",
        "cancelled": "cancelled; nothing loaded",
    }.get(r.status, r.status)


@dataclass
class RunReport:
    files: list[FileReport]
    dry_run: bool

    @property
    def exit_status(self) -> int:
        """0 every row loaded (or valid), 1 some rows or files refused, 2 a file unreadable."""
        if any(f.status == "unreadable" for f in self.files):
            return 2
        if any(f.rows_rejected or f.status in ("rejected", "failed") for f in self.files):
            return 1
        return 0

    def to_json(self) -> str:
        body = {"dry_run": self.dry_run, "exit_status": self.exit_status,
                "rules": RULES, "files": [asdict(f) for f in self.files]}
        return json.dumps(body, indent=2, default=str)

    def text(self) -> str:
        lines = [line for f in self.files for line in f.text(self.dry_run)]
        return "\n".join(lines) if lines else "No files."
