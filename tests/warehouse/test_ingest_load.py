"""Loading: all or nothing per file (or the valid rows, when asked), corrections replace,
later steps extend a case, a load that dies part-way leaves nothing, a demo warehouse
refuses, and every upload is recorded; on both backends."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

import openpyxl
import pytest
from sqlalchemy import func, select

from auth import audit
from queries.status import data_version
from tests.warehouse.ingest_helpers import batches, csv, examples, key, run, snapshot
from warehouse import maintained
from warehouse.ingest import DEMO_REFUSAL, Options, Upload, load, record_cancelled
from warehouse.schema import (
    MAINTAINED_TABLES,
    audit_log,
    case_events,
    case_milestones,
    cases,
    hearings,
    ingest_batches,
    services,
)

D = dt.date
EVENTS = "source_case_id,stage,occurred_on"


@pytest.fixture
def cases_loaded(empty_warehouse):
    assert run(empty_warehouse, examples("cases", "case_events", "hearings",
                                         "services")).exit_status == 0
    return empty_warehouse


def _audit(conn, report):
    # The warehouse may not import auth/; manage.py and the upload page pass this in.
    audit.record(conn, "ingest", "tester", **report.audit_detail())


def test_a_file_with_a_bad_row_loads_nothing_by_default(cases_loaded):
    before = snapshot(cases_loaded)
    body = csv(EVENTS, "EX-C-0004,investigation_opened,2025-02-20", "EX-C-0004,charged,soon")
    report = run(cases_loaded, {"case_events.csv": body}, on_recorded=_audit)
    [f] = report.files
    assert (f.status, f.rows_loaded, report.exit_status) == ("rejected", 0, 1)
    assert snapshot(cases_loaded) == before
    last = batches(cases_loaded)[-1]
    assert (last.status, last.rows_read, last.rows_loaded, last.rows_rejected) == (
        "rejected", 2, 0, 1)
    assert json.loads(last.rejections_by_rule) == {"not_a_date": 1}
    with cases_loaded.connect() as conn:
        detail = json.loads(conn.execute(select(audit_log.c.detail).order_by(
            audit_log.c.id.desc())).scalars().first())
    assert (detail["status"], detail["by_rule"], detail["batch_id"]) == (
        "rejected", {"not_a_date": 1}, last.id)


def test_partial_loads_the_valid_rows(cases_loaded):
    body = csv(EVENTS, "EX-C-0004,investigation_opened,2025-02-20", "EX-C-0004,charged,soon")
    report = run(cases_loaded, {"case_events.csv": body}, partial=True)
    [f] = report.files
    assert (f.status, f.rows_loaded, f.rows_rejected, report.exit_status) == (
        "partial", 1, 1, 1)
    with cases_loaded.connect() as conn:
        milestone = conn.execute(select(case_milestones.c.investigation_opened_on).where(
            case_milestones.c.case_key == key("case", "EX-C-0004"))).scalar_one()
    assert milestone == D(2025, 2, 20)  # maintained in the same transaction
    assert batches(cases_loaded)[-1].status == "partial"


def test_a_correction_replaces_the_row_and_moves_its_case(cases_loaded):
    before = snapshot(cases_loaded)
    text = (examples("cases")["cases.csv"].decode()
            .replace("EX-C-0003,Mombasa,Likoni,2025-02-03", "EX-C-0003,Kwale,,2025-02-01"))
    report = run(cases_loaded, {"cases.csv": text})
    [f] = report.files
    assert (f.rows_inserted, f.rows_updated, f.rows_loaded) == (0, 1, 5)
    after = snapshot(cases_loaded)
    changed = [r for r in after["cases"] if r not in before["cases"]]
    assert [(r[0], r[1], r[2], r[3]) for r in changed] == [
        (key("case", "EX-C-0003"), "002", None, D(2025, 2, 1))]
    assert changed[0][-1] == batches(cases_loaded)[-1].id  # the correcting batch
    k = key("case", "EX-C-0003")
    with cases_loaded.connect() as conn:
        # The case's county follows it onto its steps, services and milestones.
        assert set(conn.execute(select(case_events.c.county_code).where(
            case_events.c.case_key == k)).scalars()) == {"002"}
        assert conn.execute(select(case_milestones.c.county_code, case_milestones.c.reported_on)
                            .where(case_milestones.c.case_key == k)).one() == ("002",
                                                                               D(2025, 2, 1))
    # Untouched cases keep their rows exactly, batch id included.
    assert [r for r in before["cases"] if r[0] != k] == [r for r in after["cases"] if r[0] != k]


def test_later_steps_extend_a_case(cases_loaded):
    body = csv(EVENTS, "EX-C-0005,suspect_arrested,2025-03-20", "EX-C-0005,charged,2025-04-02")
    assert run(cases_loaded, {"case_events-2025Q2.csv": body}).exit_status == 0
    k = key("case", "EX-C-0005")
    with cases_loaded.connect() as conn:
        stages = conn.execute(select(case_events.c.stage).where(
            case_events.c.case_key == k).order_by(case_events.c.occurred_on)).scalars().all()
        row = conn.execute(select(case_milestones).where(case_milestones.c.case_key == k)).one()
    assert stages == ["reported", "investigation_opened", "suspect_arrested", "charged"]
    assert (row.suspect_arrested_on, row.charged_on) == (D(2025, 3, 20), D(2025, 4, 2))


def _maintained_rows(engine) -> dict[str, list]:
    return {name: rows for name, rows in snapshot(engine).items()
            if name in {t.name for t in MAINTAINED_TABLES}}


def test_maintained_tables_equal_a_rebuild_after_loads(cases_loaded):
    """A new step, then a step's date corrected into another month (the charge of EX-C-0002
    from 3 March to 28 February, the case's only step in March), which leaves its old
    month in every summary, as a rebuild would."""
    for row, written in (("EX-C-0004,investigation_opened,2025-03-01", (1, 0)),
                         ("EX-C-0002,charged,2025-02-28", (0, 1))):
        report = run(cases_loaded, {"case_events.csv": csv(EVENTS, row)})
        [f] = report.files
        assert (report.exit_status, (f.rows_inserted, f.rows_updated)) == (0, written)
    incremental = _maintained_rows(cases_loaded)
    with cases_loaded.begin() as conn:
        maintained.rebuild(conn)
    assert _maintained_rows(cases_loaded) == incremental


def test_a_load_killed_part_way_leaves_the_warehouse_unchanged(empty_warehouse, monkeypatch):
    monkeypatch.setattr(load, "SLICE", 2)
    calls = []

    def dying(conn, statement, params):
        calls.append(len(params))
        if len(calls) == 3:  # two slices of rows are in; the third never arrives
            raise RuntimeError("killed")
        conn.execute(statement, params)

    monkeypatch.setattr(load, "_executemany", dying)
    before = snapshot(empty_warehouse)
    with pytest.raises(RuntimeError, match="killed"):
        run(empty_warehouse, examples("cases"))
    assert calls == [2, 2, 1]
    assert snapshot(empty_warehouse) == before
    [batch] = batches(empty_warehouse)
    assert (batch.status, batch.rows_loaded) == ("failed", 0)
    assert "RuntimeError" in batch.message


def test_one_upload_may_refer_to_cases_in_another_of_its_files(empty_warehouse):
    files = examples("hearings", "case_events", "cases")  # given in the wrong order
    dry = run(empty_warehouse, files, dry_run=True)
    assert dry.exit_status == 0, dry.text()
    assert snapshot(empty_warehouse)["cases"] == []
    assert run(empty_warehouse, files).exit_status == 0


def test_refused_cases_are_not_there_for_the_next_file(empty_warehouse):
    text = examples("cases")["cases.csv"].decode().replace("EX-C-0005,Kwale", "EX-C-0005,Mars")
    files = {"cases.csv": text, "services.csv": examples("services")["services.csv"]}
    for dry in (True, False):
        report = run(empty_warehouse, files, dry_run=dry)
        services_report = report.files[1]
        # The cases file is refused whole, so no service can refer to its cases.
        assert services_report.rows_rejected == 6
        assert {p.rule for p in services_report.problems} == {"unknown_case"}


def test_a_workbook_is_one_transaction(empty_warehouse):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "cases"
    for row in examples("cases")["cases.csv"].decode().splitlines():
        ws.append(row.split(","))
    ws2 = book.create_sheet("case_events")
    ws2.append(["source_case_id", "stage", "occurred_on"])
    ws2.append(["EX-C-0001", "reported", "2025-01-14"])
    ws2.append(["EX-C-0001", "charged", "1999-01-01"])
    buf = io.BytesIO()
    book.save(buf)
    report = run(empty_warehouse, {"book.xlsx": buf.getvalue()})
    assert [(f.sheet, f.status) for f in report.files] == [("cases", "rejected"),
                                                          ("case_events", "rejected")]
    assert "another sheet" in report.files[0].message
    assert snapshot(empty_warehouse)["cases"] == []
    assert [b.status for b in batches(empty_warehouse)] == ["rejected", "rejected"]


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_demo_warehouse_refuses_to_load(demo_warehouse, dry_run):
    before = {t: len(rows) for t, rows in snapshot(demo_warehouse).items()}
    with demo_warehouse.connect() as conn:
        batch_rows = conn.execute(select(func.count()).select_from(ingest_batches)).scalar()
    report = run(demo_warehouse, examples("cases"), dry_run=dry_run)
    after = {t: len(rows) for t, rows in snapshot(demo_warehouse).items()}
    assert after == before
    if dry_run:  # checking files against the demo warehouse is allowed: it writes nothing
        assert report.files[0].status == "checked"
    else:
        assert (report.files[0].status, report.files[0].message) == ("rejected", DEMO_REFUSAL)
        assert "python manage.py init" in DEMO_REFUSAL
        with demo_warehouse.begin() as conn:  # put the shared warehouse back as it was
            ids = [b.id for b in batches(demo_warehouse)][batch_rows:]
            conn.execute(ingest_batches.delete().where(ingest_batches.c.id.in_(ids)))


def test_hearing_rows_keep_their_natural_key(cases_loaded):
    body = ("source_case_id,court_station,hearing_on,status,adjournment_reason,"
            "survivor_testified,testimony_measures\n"
            "EX-C-0001,Malindi Law Courts,2025-04-02,proceeded,,yes,screen\n")
    report = run(cases_loaded, {"hearings.csv": body})
    assert (report.files[0].rows_updated, report.files[0].rows_inserted) == (1, 0)
    with cases_loaded.connect() as conn:
        row = conn.execute(select(hearings).where(
            hearings.c.case_key == key("case", "EX-C-0001"),
            hearings.c.hearing_on == D(2025, 4, 2))).one()
        total = conn.execute(select(func.count()).select_from(hearings)).scalar()
    assert (row.status, row.adjournment_reason, row.survivor_testified, row.measure_screen,
            total) == ("proceeded", None, True, True, 5)
    with cases_loaded.connect() as conn:
        assert conn.execute(select(func.count()).select_from(cases)).scalar() == 5


def test_a_load_moves_the_data_version_that_cached_figures_key_on(cases_loaded):
    before = data_version(cases_loaded)
    good = csv(EVENTS, "EX-C-0004,investigation_opened,2025-02-20")
    bad = csv(EVENTS, "EX-C-0004,charged,soon")
    run(cases_loaded, {"case_events.csv": good}, dry_run=True)
    run(cases_loaded, {"case_events.csv": bad})
    assert data_version(cases_loaded) == before  # nothing loaded, nothing to refresh
    run(cases_loaded, {"case_events.csv": good})
    assert data_version(cases_loaded) > before


def test_a_cancelled_upload_is_recorded(empty_warehouse):
    data = examples("cases")["cases.csv"]
    report = record_cancelled(
        empty_warehouse, [Upload.from_bytes("cases.csv", data)],
        Options(uploaded_by="amina", max_bytes=2**20, on_recorded=_audit))
    assert [(f.status, f.template) for f in report.files] == [("cancelled", "cases")]
    [batch] = batches(empty_warehouse)
    assert (batch.status, batch.uploaded_by, batch.file_sha256, batch.rows_loaded) == (
        "cancelled", "amina", hashlib.sha256(data).hexdigest(), 0)
    assert snapshot(empty_warehouse)["cases"] == []


@pytest.mark.parametrize("backend, touched, cases_now, rebuilt", [
    ("sqlite", 19_999, 19_999, False),  # a small warehouse's every case: still case by case
    ("postgresql", 19_999, 19_999, False),
    ("sqlite", 50_000, 150_000, True),  # a third: 20.6 s rebuilt against 21.1 refreshed
    ("sqlite", 50_000, 150_001, False),  # less than a third
    ("sqlite", 25_000, 125_000, False),  # a fifth: 8.3 s refreshed against 15.6 rebuilt
    ("postgresql", 50_000, 150_000, True),  # a third: 29.4 s rebuilt against 31.8
    ("postgresql", 50_000, 150_001, False),
    ("postgresql", 33_333, 133_333, False),  # a quarter: 15.7 s refreshed against 25.9
    ("postgresql", 25_000, 125_000, False),  # a fifth: 17.5 s refreshed against 18.5
    ("postgresql", 20_000, 120_000, False),  # a sixth: 16.1 s refreshed against 27.4
    ("sqlite", 100_000, 100_000, True),  # a first upload
    ("postgresql", 100_000, 100_000, True),
    ("sqlite", 50_000, 1_050_000, False),  # a backlog at national scale: 25 s against 180
    ("postgresql", 10_000, 1_000_000, False),  # a month's load at national scale
])
def test_a_load_of_a_large_share_of_the_cases_rebuilds(backend, touched, cases_now, rebuilt):
    assert maintained.rebuilds(touched, cases_now, backend) is rebuilt


def test_a_rebuilding_load_moves_a_case_onto_its_facts_first(cases_loaded, monkeypatch):
    """A load that writes most of the warehouse's cases rebuilds the maintained tables
    instead of refreshing case by case; a case it moves to another county takes the county
    onto its steps, hearings and services before the rebuild reads them, so the tables are
    what a rebuild of the loaded warehouse gives."""
    monkeypatch.setattr(maintained, "REBUILD_FROM", 1)  # this load of one changed case
    monkeypatch.setattr(maintained, "rebuilds", lambda touched, cases_now, backend: True)
    rebuild, rebuilt = maintained.rebuild, []

    def counted(conn):
        rebuilt.append(conn)
        rebuild(conn)

    monkeypatch.setattr(maintained, "rebuild", counted)
    text = (examples("cases")["cases.csv"].decode()
            .replace("EX-C-0003,Mombasa,Likoni,2025-02-03", "EX-C-0003,Kwale,,2025-02-01"))
    assert run(cases_loaded, {"cases.csv": text}).exit_status == 0
    assert len(rebuilt) == 1
    k = key("case", "EX-C-0003")
    with cases_loaded.connect() as conn:
        counties = {fact.name: set(conn.execute(select(fact.c.county_code).where(
            fact.c.case_key == k)).scalars()) for fact in (case_events, hearings, services)}
    assert counties["case_events"] == {"002"}  # its steps, and any hearing or service:
    assert counties["hearings"] | counties["services"] <= {"002"}
    loaded = _maintained_rows(cases_loaded)
    with cases_loaded.begin() as conn:
        rebuild(conn)
    assert _maintained_rows(cases_loaded) == loaded
