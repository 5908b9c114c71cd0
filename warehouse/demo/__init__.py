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
  in the order of their keys (``chunk``), and written in bulk (``sink``), so memory
  stays flat (beyond one chunk, a million cases keep about 100 MB: their keys and
  the hotline reports drawn for them) and every key-ordered index grows at its end.
- All or nothing: the whole run is one transaction: rows, maintained tables
  (``warehouse.maintained.rebuild``, after the few indexes it reads:
  ``warehouse.maintained.READ_BY_REBUILD``), the other secondary indexes (dropped at the
  start, built at the end), planner statistics (ANALYZE), and last the demo flag. A failure
  leaves the warehouse as it was.
- Fact rows (case events, hearings, services) carry their case's county.

The shapes follow the data contract (``shared/contracts/data-templates.md``):
stage order, one terminal stage per case, verdicts on the judgment day, exits
before judgment, adjournment reasons only for adjourned hearings, nothing
dated after ``until``.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable

from sqlalchemy import Connection, Engine, select

from warehouse import maintained
from warehouse.demo.cases import write_cases
from warehouse.demo.common import Actuals, Calendar, Reference, Stream, rng_for
from warehouse.demo.community import write_outreach
from warehouse.demo.params import INDICATORS, START
from warehouse.demo.people import workforce_headcounts, write_trainings, write_workforce
from warehouse.demo.run import Run
from warehouse.demo.sink import Sink, bulk_transaction, create_indexes, drop_indexes
from warehouse.demo.targets import write_targets
from warehouse.meta import set_meta
from warehouse.pseudonym import Pseudonymizer
from warehouse.reference import PROGRAMME_COUNTIES
from warehouse.schema import MAINTAINED_TABLES, PROGRAMME_TABLES, ingest_batches
from warehouse.statistics import analyze, vacuum_after_bulk_load

__all__ = ["INDICATORS", "PROGRAMME_COUNTIES", "START", "Progress", "generate"]

CHUNK_CASES = 20_000  # cases generated (and their facts inserted) per step
DEMO_FILE_NAME = "synthetic demo data"
DEMO_UPLOADER = "demo"
NAMESPACES = ("case", "participant", "event", "report")
# Tables whose secondary indexes are built once at the end instead of row by row.
INDEXED_AT_END = (*PROGRAMME_TABLES, *MAINTAINED_TABLES)

# (stage, done, total). The last call, ("finishing", 1, 1), comes when everything is
# written and only the commit (and on SQLite the check of every link) is left.
Progress = Callable[[str, int, int], None]


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
    pseudonyms = {ns: Pseudonymizer(pseudonym_key, ns) for ns in NAMESPACES}  # needs a key
    report = progress or (lambda stage, done, total: None)
    cal = Calendar(until)
    with bulk_transaction(engine) as conn:
        # The batch rows first: they take the write lock (SQLite), so the emptiness check
        # below cannot race another writer, and they open the transaction the DDL joins.
        batch = _open_batches(conn, until)
        _check_empty(conn)
        indexes = drop_indexes(conn, INDEXED_AT_END)
        ref = Reference(conn, rng_for(seed, Stream.REFERENCE))
        run = Run(
            cal=cal,
            ref=ref,
            sink=Sink(conn, cal),
            batch=batch,
            actuals=Actuals(len(ref.codes), cal.n_quarters),
            pseudonyms=pseudonyms,
            seed=seed,
            n_cases=n_cases,
        )
        written = _write_programme_data(run, report)
        _finish(conn, run, written, indexes, report)
    vacuum_after_bulk_load(engine)
    return {**written, "ingest_batches": len(batch)}


def _open_batches(conn: Connection, until: dt.date) -> dict[str, int]:
    """One loaded ingest batch per programme table; its row counts are set at the end."""
    stamp = dt.datetime.combine(until, dt.time(6, 0), tzinfo=dt.UTC)
    return {
        t.name: conn.execute(
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
        for t in PROGRAMME_TABLES
    }


def _write_programme_data(run: Run, report: Progress) -> dict[str, int]:
    written = write_cases(run, CHUNK_CASES, report)
    report("trainings", 0, 2)
    headcount = workforce_headcounts(rng_for(run.seed, Stream.WORKFORCE), run.cal)
    written["trainings"] = write_trainings(run, rng_for(run.seed, Stream.TRAININGS), headcount)
    report("trainings", 1, 2)
    written["workforce"] = write_workforce(run, headcount)
    report("trainings", 2, 2)
    written["outreach"] = write_outreach(run, rng_for(run.seed, Stream.OUTREACH))
    report("outreach", 1, 1)
    # Last: targets follow what every other writer counted.
    written["targets"] = write_targets(run, rng_for(run.seed, Stream.TARGETS))
    report("targets", 1, 1)
    return written


def _rebuild_maintained(conn: Connection, read_by_rebuild) -> None:
    create_indexes(conn, read_by_rebuild)
    maintained.rebuild(conn)


def _finish(conn: Connection, run: Run, written: dict[str, int], indexes, report) -> None:
    for name, n in written.items():
        conn.execute(
            ingest_batches.update()
            .where(ingest_batches.c.id == run.batch[name])
            .values(rows_read=n, rows_loaded=n, rows_inserted=n)  # every row is new
        )
    read_by_rebuild = [ix for ix in indexes if ix.name in maintained.READ_BY_REBUILD]
    rest = [ix for ix in indexes if ix.name not in maintained.READ_BY_REBUILD]
    for step, do in (
        ("maintained tables", lambda c: _rebuild_maintained(c, read_by_rebuild)),
        ("indexes", lambda c: create_indexes(c, rest)),
        ("statistics", analyze),
    ):
        report(step, 0, 1)
        do(conn)
        report(step, 1, 1)
    # Last, in the same transaction: only a complete warehouse is ever flagged.
    set_meta(conn, "demo", "true")
    set_meta(conn, "demo_seed", str(run.seed))
    set_meta(conn, "demo_cases", str(run.n_cases))
    set_meta(conn, "demo_until", run.cal.until.isoformat())
    report("finishing", 1, 1)
