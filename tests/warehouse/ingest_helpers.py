"""What the ingest tests share: a key, a pinned day, running ingest on files in memory."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from pathlib import Path

from sqlalchemy import select

from warehouse.ingest import Options, Upload, ingest
from warehouse.schema import PROGRAMME_TABLES, case_milestones, ingest_batches

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"
SECRET = "ingest-test-key-0123456789abcdefghijklmnopqrstuvwxyz"
TODAY = dt.date(2026, 1, 15)
ORDER = ("cases", "case_events", "hearings", "services", "trainings", "workforce", "outreach",
         "hotline_reports", "targets")


def key(namespace: str, source_id: str) -> str:
    """The keyed hash the contract asks for, computed here without warehouse.pseudonym."""
    msg = namespace.encode() + b"\x00" + source_id.strip().encode()
    return hmac.new(SECRET.encode(), msg, hashlib.sha256).hexdigest()


def run(engine, files: dict[str, bytes | str], **options):
    uploads = [Upload.from_bytes(name, body.encode() if isinstance(body, str) else body)
               for name, body in files.items()]
    options.setdefault("uploaded_by", "tester")
    options.setdefault("max_bytes", 25 * 2**20)
    options.setdefault("today", TODAY)
    return ingest(engine, uploads, SECRET, Options(**options))


def examples(*templates: str) -> dict[str, bytes]:
    return {f"{t}.csv": (EXAMPLES / f"{t}.csv").read_bytes() for t in templates or ORDER}


def snapshot(engine) -> dict[str, list]:
    """Every programme row and every maintained row, sorted: what "unchanged" compares."""
    out = {}
    with engine.connect() as conn:
        for table in (*PROGRAMME_TABLES, case_milestones):
            rows = conn.execute(select(table)).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def batches(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(select(ingest_batches).order_by(ingest_batches.c.id)).all()


def csv(header: str, *rows: str) -> str:
    return "\n".join([header, *rows]) + "\n"
