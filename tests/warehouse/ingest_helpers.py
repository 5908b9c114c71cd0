"""What the ingest tests share: a key, a pinned day, running ingest on files in memory."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from pathlib import Path

import polars as pl
from sqlalchemy import select

from warehouse.ingest import Options, Upload, ingest
from warehouse.schema import MAINTAINED_TABLES, PROGRAMME_TABLES, ingest_batches

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
        for table in (*PROGRAMME_TABLES, *MAINTAINED_TABLES):
            rows = conn.execute(select(table)).all()
            out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def batches(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(select(ingest_batches).order_by(ingest_batches.c.id)).all()


def csv(header: str, *rows: str) -> str:
    return "\n".join([header, *rows]) + "\n"


def big_cases(n: int, extra: dict[str, str] | None = None, id_prefix: str = "B-") -> bytes:
    """A valid cases file of ``n`` rows (made with polars, so 100,000 take a blink);
    ``extra`` adds columns whose cells are ``prefix + row number``."""
    i = pl.int_range(0, n, eager=True)
    day = (pl.lit(dt.date(2020, 1, 1)) + pl.duration(days=i % 1800))
    frame = pl.DataFrame({"i": i}).select(
        source_case_id=pl.lit(id_prefix) + i.cast(pl.String).str.zfill(6),
        county=pl.Series(["Kilifi", "Kwale", "Mombasa", "003"]).gather(i % 4),
        reported_on=day.dt.to_string("%Y-%m-%d"),
        referral_source=pl.Series(["police", "hotline_116", "community"]).gather(i % 3),
        offence=pl.Series(["child_trafficking", "child_prostitution"]).gather(i % 2),
        victim_age=(i % 18).cast(pl.String),
        victim_sex=pl.Series(["female", "male", "unknown"]).gather(i % 3),
        consent_documented=pl.lit("yes"),
        **{name: pl.lit(prefix) + i.cast(pl.String) for name, prefix in (extra or {}).items()},
    )
    return frame.write_csv().encode()


def big_events(n: int, id_prefix: str = "B-") -> bytes:
    """``n`` steps for the first n/2 cases of ``big_cases``: reported, then opened 3 days on."""
    i = pl.int_range(0, n, eager=True)
    case = i // 2
    day = pl.lit(dt.date(2020, 1, 1)) + pl.duration(days=case % 1800 + 3 * (i % 2))
    frame = pl.DataFrame({"i": i}).select(
        source_case_id=pl.lit(id_prefix) + case.cast(pl.String).str.zfill(6),
        stage=pl.Series(["reported", "investigation_opened"]).gather(i % 2),
        occurred_on=day.dt.to_string("%Y-%m-%d"),
    )
    return frame.write_csv().encode()
