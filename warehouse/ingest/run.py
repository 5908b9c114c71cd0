"""An ingest run: files read, checked, and loaded in one transaction per file.

Files are taken in the order their templates depend on each other (cases before
their events, events before hearings), so a file may refer to cases in an earlier
file of the same upload. A file with rejected rows loads nothing unless ``partial``;
either way what the warehouse held is untouched. Every upload that is not a dry run
is recorded in ``ingest_batches`` (and, through ``on_recorded``, the audit log),
refused ones included, and a load refreshes the tables maintained from the rows it
wrote (``warehouse.maintained``) in its own transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine

from core.clock import today as clock_today
from warehouse.ingest.check import Checked, check
from warehouse.ingest.context import Context, Keys, Pending, Reference
from warehouse.ingest.load import close_batch, open_batch, record_batch, write
from warehouse.ingest.read import read_upload
from warehouse.ingest.report import FileReport, RunReport
from warehouse.ingest.sheet import Sheet, Unreadable, safe_name
from warehouse.ingest.templates import TEMPLATES, template_for_file_name
from warehouse.maintained import note_rows, refresh_cases, refresh_rows
from warehouse.meta import is_demo
from warehouse.schema import MAINTAINED_TABLES
from warehouse.statistics import analyze

logger = logging.getLogger("haki.ingest")

DEMO_REFUSAL = (
    "This warehouse holds synthetic demo data; real programme data is never loaded into it. "
    "A real deployment starts from an empty warehouse: point HAKI_WAREHOUSE_URL at it, run "
    "python manage.py init, then load the templates there.")
ALL_OR_NOTHING = (
    "rows were rejected, so nothing of this file was loaded (all or nothing by default; "
    "fix the rows, or choose a partial load to load the valid ones)")
OTHER_SHEET = "another sheet of this workbook has rejected rows, so nothing of it was loaded"


@dataclass(frozen=True)
class Upload:
    name: str
    size: int
    read: Callable[[], bytes]

    @classmethod
    def from_path(cls, path: Path) -> Upload:
        return cls(path.name, path.stat().st_size, path.read_bytes)

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> Upload:
        return cls(name, len(data), lambda: data)


@dataclass(frozen=True)
class Options:
    uploaded_by: str
    max_bytes: int
    template: str | None = None
    dry_run: bool = False
    partial: bool = False
    today: dt.date | None = None
    # Called in the transaction that records each upload (the audit log, kept by auth/).
    on_recorded: Callable[[Connection, FileReport], None] | None = None


@dataclass
class _File:
    upload: Upload
    sha256: str | None = None
    sheets: list[Sheet] = field(default_factory=list)
    error: str | None = None

    @property
    def rank(self) -> int:
        return min((TEMPLATES[s.template].rank for s in self.sheets), default=-1)

    def reports(self) -> list[FileReport]:
        name = safe_name(self.upload.name)
        if self.error is not None:
            guess = template_for_file_name(name)
            return [FileReport(name, guess, self.sha256, "unreadable", message=self.error)]
        return [FileReport(name, s.template, self.sha256, sheet=s.sheet,
                           dropped_columns=s.dropped, unknown_columns=s.unknown,
                           notes=list(s.notes)) for s in self.sheets]


def _open(upload: Upload, options: Options) -> _File:
    if upload.size > options.max_bytes:
        limit = options.max_bytes / 2**20
        return _File(upload, error=f"the file is larger than the {limit:,.0f} MB limit "
                                   "(HAKI_MAX_UPLOAD_MB); it was not read. Split it.")
    data = upload.read()
    item = _File(upload, sha256=hashlib.sha256(data).hexdigest())
    try:
        item.sheets = read_upload(upload.name, data, options.template)
    except Unreadable as exc:
        item.error = str(exc)
    except Exception as exc:  # a reader library failing on hostile input: still a refusal
        item.error = f"the file could not be read ({type(exc).__name__})"
    return item


def ingest(engine: Engine, uploads: list[Upload], secret: str, options: Options) -> RunReport:
    keys = Keys(secret)
    today = options.today or clock_today()
    with engine.connect() as conn:
        reference = Reference.read(conn)
    demo = is_demo(engine)
    files = sorted((_open(u, options) for u in uploads), key=lambda f: f.rank)
    pending, out = Pending(), []
    for item in files:
        reports = item.reports()
        if item.error is None and options.dry_run:
            with engine.connect() as conn:
                ctx = Context(conn, reference, keys, today)
                _dry_run(item, reports, ctx, pending, options)
        elif item.error is None and not demo:
            _load(engine, item, reports, Context(None, reference, keys, today), options)
        elif not options.dry_run:
            for r in reports:
                r.status = r.status if item.error else "rejected"
                r.message = r.message or DEMO_REFUSAL
            _record(engine, reports, options)
        out += reports
    for r in out:
        logger.info("ingest %s: template=%s status=%s read=%d loaded=%d rejected=%d rules=%s",
                    r.name, r.template, r.status, r.rows_read, r.rows_loaded, r.rows_rejected,
                    r.by_rule())
    return RunReport(out, options.dry_run)


def _fill(report: FileReport, checked: Checked) -> None:
    report.rows_read = checked.rows_read
    report.rows_rejected = checked.rows_rejected
    report.rows_valid = checked.rows.height
    report.set_problems(checked.flags)


def _dry_run(item: _File, reports, ctx: Context, pending: Pending, options: Options) -> None:
    mine = Pending()
    mine.merge(pending)
    ctx.pending = mine
    for sheet, report in zip(item.sheets, reports, strict=True):
        checked = check(sheet, ctx)
        _fill(report, checked)
        mine.add(sheet.template, checked.rows)
    if options.partial or not any(r.rows_rejected for r in reports):
        pending.merge(mine)


def _row_keys(checked: Checked) -> list:
    """The rows about to be written, by the key column their earlier versions are looked up
    by (a case's events: the case key), which the tables maintained from them refresh by."""
    return checked.rows[checked.template.fetch_by].to_list()


class _Refused(Exception):
    pass


def _load(engine: Engine, item: _File, reports, ctx: Context, options: Options) -> None:
    who = options.uploaded_by
    try:
        with engine.begin() as conn:
            ctx.conn = conn
            written_to = []
            for sheet, report in zip(item.sheets, reports, strict=True):
                checked = check(sheet, ctx)
                _fill(report, checked)
                report.batch_id = open_batch(conn, report, who)
                table = checked.template.table
                noted = note_rows(conn, table, _row_keys(checked))
                written = write(conn, checked.template, checked.rows, report.batch_id)
                written_to.append(table)
                refresh_cases(conn, written.touched_cases)
                refresh_rows(conn, table, written.touched_rows, noted)
                report.rows_loaded = checked.rows.height
                report.rows_inserted, report.rows_updated = written.inserted, written.updated
                report.status = ("rejected" if report.rows_rejected and not report.rows_loaded
                                 else "partial" if report.rows_rejected else "loaded")
                close_batch(conn, report.batch_id, report, who)
                if options.on_recorded:
                    options.on_recorded(conn, report)
            if not options.partial and any(r.rows_rejected for r in reports):
                raise _Refused
            analyze(conn, [*written_to, *MAINTAINED_TABLES])
    except _Refused:
        for r in reports:
            r.status, r.batch_id = "rejected", None
            r.rows_loaded = r.rows_inserted = r.rows_updated = 0
            r.message = ALL_OR_NOTHING if r.rows_rejected else OTHER_SHEET
        _record(engine, reports, options)
    except Exception as exc:
        for r in reports:
            r.status, r.batch_id = "failed", None
            r.rows_loaded = r.rows_inserted = r.rows_updated = 0
            r.message = (f"the load stopped on an error ({type(exc).__name__}); nothing of "
                         "this file was loaded")
        try:
            _record(engine, reports, options)
        except Exception as again:
            logger.error("ingest: the failed load could not be recorded (%s)",
                         type(again).__name__)
        raise


def _record(engine: Engine, reports: list[FileReport], options: Options) -> None:
    with engine.begin() as conn:
        for r in reports:
            r.batch_id = record_batch(conn, r, options.uploaded_by)
            if options.on_recorded:
                options.on_recorded(conn, r)


def record_cancelled(engine: Engine, uploads: list[Upload], options: Options) -> RunReport:
    """Files that were checked on the upload page and then not loaded."""
    reports = []
    for u in uploads:
        data = u.read() if u.size <= options.max_bytes else None
        reports.append(FileReport(
            safe_name(u.name), options.template or template_for_file_name(u.name),
            hashlib.sha256(data).hexdigest() if data is not None else None, "cancelled"))
    _record(engine, reports, options)
    return RunReport(reports, dry_run=False)
