"""Synthetic demo data: a realistic, deterministic programme warehouse with no real person in it.

``generate`` fills an initialized warehouse (schema and reference data present)
with cases, their steps, court dates, services, trainings, workforce figures,
outreach sessions, hotline reports and targets from 2021-01-01 to ``until``.

- Deterministic: the same (seed, until, cases, pseudonym key) always gives the
  same rows and the same keys. Every random draw comes from numpy generators
  seeded with (seed, stream, chunk), never from the clock or the process.
- Keys are made exactly as real ingest makes them: ``Pseudonymizer(key,
  namespace)`` applied to synthetic source ids ("DEMO-C-000001", ...).
- Scales to a million cases: cases are generated, vectorised, 20,000 at a time
  and inserted with executemany in slices, so memory stays flat.
- All or nothing: the whole run is one transaction, and the demo flag is
  written in it last. A failure leaves the warehouse as it was.

The shapes follow the data contract (``shared/contracts/data-templates.md``):
stage order, one terminal stage per case, verdicts on the judgment day, exits
before judgment, adjournment reasons only for adjourned hearings, nothing
dated after ``until``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import operator
from collections.abc import Callable

from sqlalchemy import Connection, Engine, select

from warehouse import maintained
from warehouse.demo.cases import _case_chunk, _reported_days
from warehouse.demo.common import _Actuals, _Calendar, _Reference, _rng
from warehouse.demo.community import _outreach
from warehouse.demo.params import INDICATORS, START
from warehouse.demo.people import _trainings, _workforce_headcounts, _write_workforce
from warehouse.demo.targets import _targets
from warehouse.meta import set_meta
from warehouse.pseudonym import Pseudonymizer
from warehouse.reference import PROGRAMME_COUNTIES
from warehouse.schema import PROGRAMME_TABLES, ingest_batches

__all__ = ["INDICATORS", "PROGRAMME_COUNTIES", "START", "Progress", "generate"]

CHUNK_CASES = 20_000  # cases generated (and their facts inserted) per step
SQLITE_CACHE_KIB = 256 * 1024  # page cache while generating (SQLite only)
DEMO_FILE_NAME = "synthetic demo data"
DEMO_UPLOADER = "demo"

Progress = Callable[[str, int, int], None]

# Random streams: each part of the data draws from its own generator, so that
# adding a draw in one part never changes another.
_S_DAYS, _S_REF, _S_CASES, _S_TRAIN, _S_WORK, _S_OUTREACH, _S_TARGETS = range(7)


@contextlib.contextmanager
def _roomy_cache(conn: Connection):
    """SQLite: a larger page cache while generating, so one long transaction does not
    spill index pages to the WAL over and over (fewer, larger writes); restored after."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")


def _whole(value, name: str, minimum: int) -> int:
    try:
        number = operator.index(value)
    except TypeError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None
    if isinstance(value, bool) or number < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, not {value!r}")
    return number


def _check_empty(conn: Connection) -> None:
    holding = [
        t.name for t in PROGRAMME_TABLES if conn.execute(select(1).select_from(t).limit(1)).first()
    ]
    if holding:
        raise ValueError(
            "This warehouse already holds programme data (in "
            + ", ".join(holding)
            + "); demo data is only generated into an empty warehouse, so that synthetic "
            "and real records can never be mixed."
        )


def generate(
    engine: Engine,
    *,
    cases: int,
    seed: int,
    until: dt.date,
    pseudonym_key: str,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Fill an initialized, empty warehouse with synthetic data; rows written per table."""
    n_cases, seed = _whole(cases, "cases", 1), _whole(seed, "seed", 0)
    if isinstance(until, dt.datetime):
        until = until.date()
    if until < START:
        raise ValueError(f"until must be on or after {START.isoformat()}")
    Pseudonymizer(pseudonym_key, "case")  # fails early without a key
    report = progress or (lambda stage, done, total: None)

    cal = _Calendar(until)
    written: dict[str, int] = {t.name: 0 for t in PROGRAMME_TABLES}
    stamp = dt.datetime.combine(until, dt.time(6, 0), tzinfo=dt.UTC)

    with engine.begin() as conn, _roomy_cache(conn):
        # The batch rows first: they take the write lock (SQLite), so the emptiness
        # check below cannot race another writer.
        batch = {}
        for t in PROGRAMME_TABLES:
            batch[t.name] = conn.execute(
                ingest_batches.insert().values(
                    template=t.name,
                    file_name=DEMO_FILE_NAME,
                    uploaded_by=DEMO_UPLOADER,
                    started_at=stamp,
                    finished_at=stamp,
                    status="loaded",
                    rows_read=0,
                    rows_loaded=0,
                    rows_rejected=0,
                    rejections_by_rule="{}",
                )
            ).inserted_primary_key[0]
        _check_empty(conn)

        ref = _Reference(conn, _rng(seed, _S_REF))
        actuals = _Actuals(len(ref.codes), cal.n_quarters)
        keys = {
            ns: Pseudonymizer(pseudonym_key, ns)
            for ns in ("case", "participant", "event", "report")
        }

        report_days = _reported_days(_rng(seed, _S_DAYS), cal, n_cases)
        report_counter = [0]
        report("cases", 0, n_cases)
        for chunk, lo in enumerate(range(0, n_cases, CHUNK_CASES)):
            rng = _rng(seed, _S_CASES, chunk)
            days = report_days[lo : lo + CHUNK_CASES]
            counts = _case_chunk(
                conn, rng, cal, ref, actuals, keys, batch, days, lo, report_counter
            )
            for name, n in counts.items():
                written[name] += n
            report("cases", min(lo + CHUNK_CASES, n_cases), n_cases)

        report("trainings", 0, 2)
        headcount = _workforce_headcounts(_rng(seed, _S_WORK), cal)
        written["trainings"] = _trainings(
            conn,
            _rng(seed, _S_TRAIN),
            cal,
            ref,
            actuals,
            keys["participant"],
            batch["trainings"],
            n_cases,
            headcount,
        )
        report("trainings", 1, 2)
        written["workforce"] = _write_workforce(conn, cal, headcount, batch["workforce"])
        report("trainings", 2, 2)

        report("outreach", 0, 1)
        written["outreach"] = _outreach(
            conn,
            _rng(seed, _S_OUTREACH),
            cal,
            ref,
            actuals,
            keys["event"],
            batch["outreach"],
            n_cases,
        )
        report("outreach", 1, 1)

        report("targets", 0, 1)
        written["targets"] = _targets(
            conn, _rng(seed, _S_TARGETS), cal, ref, actuals, batch["targets"]
        )
        for name, n in written.items():
            conn.execute(
                ingest_batches.update()
                .where(ingest_batches.c.id == batch[name])
                .values(rows_read=n, rows_loaded=n)
            )
        report("milestones", 0, 1)
        maintained.rebuild(conn)
        report("milestones", 1, 1)
        # Last, in the same transaction: only a complete warehouse is ever flagged.
        set_meta(conn, "demo", "true")
        set_meta(conn, "demo_seed", str(seed))
        set_meta(conn, "demo_cases", str(n_cases))
        set_meta(conn, "demo_until", until.isoformat())
        report("targets", 1, 1)

    written["ingest_batches"] = len(batch)
    return written
