"""Writing checked rows, and the ``ingest_batches`` record of every upload.

Rows are matched to what the warehouse holds by their key (pseudonymous keys and
natural columns, ``Template.key``): a new row is inserted, a changed row replaces its
earlier version (and takes the new batch id), an unchanged row is left exactly as it
is. So loading the same file twice changes nothing. Nothing is ever deleted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import polars as pl
from sqlalchemy import Connection, and_, bindparam, select

from warehouse.ingest.report import FileReport
from warehouse.ingest.templates import Template
from warehouse.maintained import KEYS_PER_STATEMENT
from warehouse.schema import ingest_batches

SLICE = 5_000  # rows per executemany call


@dataclass
class Written:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    touched_cases: list[str] = field(default_factory=list)
    # The rows inserted or changed, by the template's ``fetch_by`` column.
    touched_rows: list = field(default_factory=list)


def write(conn: Connection, template: Template, rows: pl.DataFrame, batch_id: int) -> Written:
    key = list(template.key)
    # A case's county on its events, hearings and services is maintained from the case.
    compare = [c for c in rows.columns
               if c not in key and not (template.on_cases and c == "county_code")]
    stored = _stored(conn, template, rows, key + compare)
    marked = rows.join(stored.with_columns(pl.lit(True).alias("_found")), on=key, how="left",
                       suffix="_old")
    found = pl.col("_found").fill_null(False)
    differs = pl.any_horizontal([pl.col(c).ne_missing(pl.col(f"{c}_old")) for c in compare]) \
        if compare else pl.lit(False)
    new = marked.filter(~found).select(rows.columns)
    changed = marked.filter(found & differs).select(rows.columns)
    _insert(conn, template, new, batch_id)
    _update(conn, template, changed, key, compare, batch_id)
    touched: list[str] = []
    if template.on_cases or template.name == "cases":
        touched = pl.concat([new["case_key"], changed["case_key"]]).unique().to_list()
    by = template.fetch_by
    rows_touched = pl.concat([new[by], changed[by]]).unique().to_list()
    return Written(new.height, changed.height, rows.height - new.height - changed.height,
                   touched, rows_touched)


def _stored(conn: Connection, template: Template, rows: pl.DataFrame,
            columns: list[str]) -> pl.DataFrame:
    table, by = template.table, template.fetch_by
    schema = {c: rows.schema[c] for c in columns}
    wanted = rows[by].drop_nulls().unique().sort().to_list()
    parts = [pl.DataFrame(schema=schema)]
    for lo in range(0, len(wanted), KEYS_PER_STATEMENT):
        chunk = wanted[lo:lo + KEYS_PER_STATEMENT]
        found = conn.execute(
            select(*[table.c[c] for c in columns]).where(table.c[by].in_(chunk))).all()
        if found:
            parts.append(pl.DataFrame([tuple(r) for r in found], schema=schema, orient="row"))
    return pl.concat(parts)


def _executemany(conn: Connection, statement, params: list[dict]) -> None:
    conn.execute(statement, params)


def _insert(conn, template: Template, rows: pl.DataFrame, batch_id: int) -> None:
    rows = rows.with_columns(pl.lit(batch_id).alias("batch_id"))
    for lo in range(0, rows.height, SLICE):
        _executemany(conn, template.table.insert(), rows.slice(lo, SLICE).to_dicts())


def _update(conn, template: Template, rows: pl.DataFrame, key: list[str],
            compare: list[str], batch_id: int) -> None:
    if rows.is_empty():
        return
    table = template.table
    statement = (
        table.update()
        .where(and_(*[table.c[k] == bindparam(f"k_{k}") for k in key]))
        .values({c: bindparam(f"v_{c}") for c in [*compare, "batch_id"]})
    )
    params = rows.select(
        *[pl.col(k).alias(f"k_{k}") for k in key],
        *[pl.col(c).alias(f"v_{c}") for c in compare],
        pl.lit(batch_id).alias("v_batch_id"),
    )
    for lo in range(0, params.height, SLICE):
        _executemany(conn, statement, params.slice(lo, SLICE).to_dicts())


# --- ingest_batches -------------------------------------------------------------------


def _batch_values(report: FileReport, uploaded_by: str) -> dict:
    return {
        "template": (report.template or "unknown")[:30],
        "file_name": report.name[:200],
        "uploaded_by": uploaded_by[:64],
        "status": report.status,
        "rows_read": report.rows_read,
        "rows_loaded": report.rows_loaded,
        "rows_rejected": report.rows_rejected,
        "rows_inserted": report.rows_inserted,
        "rows_updated": report.rows_updated,
        "rejections_by_rule": json.dumps(report.by_rule(), sort_keys=True),
        "columns_dropped": json.dumps(report.dropped_columns + report.unknown_columns),
        "file_sha256": report.sha256,
        "message": report.message,
    }


def open_batch(conn: Connection, report: FileReport, uploaded_by: str) -> int:
    """The batch row a load writes its rows under; finished by ``close_batch``."""
    values = _batch_values(report, uploaded_by) | {"status": "loading"}
    result = conn.execute(ingest_batches.insert().values(started_at=datetime.now(UTC),
                                                          **values))
    return result.inserted_primary_key[0]


def close_batch(conn: Connection, batch_id: int, report: FileReport, uploaded_by: str) -> None:
    conn.execute(ingest_batches.update().where(ingest_batches.c.id == batch_id).values(
        finished_at=datetime.now(UTC), **_batch_values(report, uploaded_by)))


def record_batch(conn: Connection, report: FileReport, uploaded_by: str) -> int:
    """The record of an upload that loaded nothing (refused, unreadable, failed, cancelled)."""
    now = datetime.now(UTC)
    result = conn.execute(ingest_batches.insert().values(
        started_at=now, finished_at=now, **_batch_values(report, uploaded_by)))
    return result.inserted_primary_key[0]
