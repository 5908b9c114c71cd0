"""The upload page's pieces: chosen files into ``warehouse.ingest``, its report as tables.

Reports hold file, sheet and column names (data-derived text), so they are shown with
``st.dataframe`` and ``st.text`` only, never as Markdown.
"""

from __future__ import annotations

import logging

import polars as pl
import streamlit as st

from auth import audit
from auth.policy import Principal
from warehouse import ingest
from warehouse.ingest.report import LINES_SHOWN, RunReport

SOURCE = "upload page"
logger = logging.getLogger("haki.upload")


def _uploads(files) -> list[ingest.Upload]:
    # getvalue is only called for a file under the size limit: larger ones are never parsed.
    return [ingest.Upload(f.name, f.size, f.getvalue) for f in files]


def _options(runtime, principal: Principal, **how) -> ingest.Options:
    who = principal.username

    def recorded(conn, report) -> None:
        audit.record(conn, "ingest", who, source=SOURCE, **report.audit_detail())

    return ingest.Options(uploaded_by=who, max_bytes=runtime.settings.max_upload_bytes,
                          on_recorded=recorded, **how)


def check(runtime, principal: Principal, files) -> RunReport:
    """A dry run: every rule, nothing written."""
    return ingest.ingest(runtime.engine, _uploads(files), runtime.settings.pseudonym_key,
                         _options(runtime, principal, dry_run=True))


def load(runtime, principal: Principal, files, partial: bool) -> RunReport | None:
    """The load's report, or None when it stopped on an error (recorded as failed, nothing
    of the file loaded); the error goes to the server log, not to the page."""
    try:
        return ingest.ingest(runtime.engine, _uploads(files), runtime.settings.pseudonym_key,
                             _options(runtime, principal, partial=partial))
    except Exception:
        logger.exception("upload page: a load by %s stopped on an error", principal.username)
        return None


def cancel(runtime, principal: Principal, files) -> RunReport:
    return ingest.record_cancelled(runtime.engine, _uploads(files),
                                   _options(runtime, principal))


STATUS_WORDS = {
    "loaded": "loaded", "partial": "valid rows loaded, rejected rows left out",
    "rejected": "refused, nothing loaded", "unreadable": "could not be read",
    "failed": "load failed, nothing loaded", "cancelled": "cancelled",
}


def _status(report: RunReport, f) -> str:
    if f.status == "unreadable":
        return STATUS_WORDS["unreadable"]
    if report.dry_run:
        return "has rejected rows" if f.rows_rejected else "ready to load"
    return STATUS_WORDS.get(f.status, f.status)


def summary_table(report: RunReport) -> pl.DataFrame:
    table = pl.DataFrame({
        "File": [f.name for f in report.files],
        "Template": [f.template or "" for f in report.files],
        "Rows read": [f.rows_read for f in report.files],
        "Valid": [f.rows_valid for f in report.files],
        "Rejected": [f.rows_rejected for f in report.files],
        "Loaded": [f.rows_loaded for f in report.files],
        "Status": [_status(report, f) for f in report.files],
    }, schema_overrides={"Rows read": pl.Int64, "Valid": pl.Int64, "Rejected": pl.Int64,
                         "Loaded": pl.Int64})
    return table.drop("Loaded") if report.dry_run else table


def _lines(lines: list[int]) -> str:
    shown = ", ".join(map(str, lines[:LINES_SHOWN]))
    return shown + (f" … and {len(lines) - LINES_SHOWN:,} more" if len(lines) > LINES_SHOWN
                    else "")


def problems_table(report: RunReport) -> pl.DataFrame:
    rows = [(f.name, p.rule, p.column or "(the row)", p.rows, _lines(p.lines), p.meaning)
            for f in report.files for p in f.problems]
    return pl.DataFrame(rows, schema={"File": pl.String, "Rule": pl.String,
                                      "Column": pl.String, "Rows": pl.Int64,
                                      "Lines": pl.String, "What is wrong": pl.String},
                        orient="row")


def messages(report: RunReport) -> list[str]:
    """Whole-file messages and notes, one line each, file first."""
    out = []
    for f in report.files:
        if f.message:
            out.append(f"{f.name}: {f.message}")
        if f.dropped_columns:
            out.append(f"{f.name}: DROP columns discarded unread: "
                       + ", ".join(f.dropped_columns))
        if f.unknown_columns:
            out.append(f"{f.name}: columns not in the template, discarded unread: "
                       + ", ".join(f.unknown_columns))
        out += [f"{f.name}: {note}" for note in f.notes]
    return out


def show(report: RunReport) -> None:
    st.dataframe(summary_table(report).to_arrow(), hide_index=True, width="stretch")
    problems = problems_table(report)
    if not problems.is_empty():
        st.markdown("**Rejected rows, by rule** (lines are the file's own line numbers)")
        st.dataframe(problems.to_arrow(), hide_index=True, width="stretch")
    notes = messages(report)
    if notes:
        st.text("\n".join(notes))
