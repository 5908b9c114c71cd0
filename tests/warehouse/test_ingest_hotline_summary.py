"""Ingest keeps ``hotline_months`` as a rebuild would write it: reports loaded before the
cases they name (linked once the cases arrive) and a report corrected into another county
and month; on both backends."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from tests.warehouse.ingest_helpers import examples, run
from warehouse import maintained
from warehouse.schema import hotline_months

MOMBASA, KWALE = "001", "002"


def _rows(conn) -> list[tuple]:
    return sorted((tuple(r) for r in conn.execute(select(hotline_months))), key=repr)


def _kept_and_rebuilt(engine) -> tuple[list, list]:
    """The summary as the loads kept it, and as a from-scratch rebuild writes it (rolled
    back)."""
    with engine.connect() as conn, conn.begin() as tx:
        kept = _rows(conn)
        maintained.rebuild(conn)
        rebuilt = _rows(conn)
        tx.rollback()
    return kept, rebuilt


def _reports(rows) -> Counter:
    out: Counter = Counter()
    for r in rows:
        out[(r.county_code, r.received_month)] += r.reports
    return out


def test_hotline_loads_and_case_loads_keep_the_summary(empty_warehouse):
    engine = empty_warehouse
    assert run(engine, examples("hotline_reports")).exit_status == 0
    kept, rebuilt = _kept_and_rebuilt(engine)
    assert kept == rebuilt
    assert not any(r[-1] for r in kept)  # the cases they name are not loaded yet

    assert run(engine, examples("cases")).exit_status == 0
    kept, rebuilt = _kept_and_rebuilt(engine)
    assert kept == rebuilt
    assert any(r[-1] for r in kept)  # now they are

    with engine.connect() as conn:
        before = _reports(conn.execute(select(hotline_months)))
    text = (examples("hotline_reports")["hotline_reports.csv"].decode()
            .replace("EX-R-0002,2025-01-30,Mombasa,sms", "EX-R-0002,2025-03-05,Kwale,sms"))
    assert run(engine, {"hotline_reports.csv": text}).files[0].rows_updated == 1
    kept, rebuilt = _kept_and_rebuilt(engine)
    assert kept == rebuilt
    with engine.connect() as conn:
        after = _reports(conn.execute(select(hotline_months)))
    assert before - after == Counter({(MOMBASA, "2025-01"): 1})
    assert after - before == Counter({(KWALE, "2025-03"): 1})
