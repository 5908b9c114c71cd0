"""Every maintained table, refreshed load after load, equals a from-scratch rebuild.

Random sequences of loads (new cases with their events, hearings and services; events,
hearings and services added to earlier cases; corrections of a case's county, report
date, offence or consent, of an event's date, of a hearing's outcome) are written as ingest
writes them (noting a case's events before writing them), each followed by
``refresh_cases`` for the cases it touched and ``refresh_rows`` for the rows written
of the tables refreshed by their rows (reports, events). After each load
every table in ``warehouse.maintained.MAINTAINED`` must hold exactly what ``rebuild``
writes from the programme tables. Days, counties and stations are drawn from small sets
so that loads keep landing in the same summary groups. Each example runs in a
transaction that is rolled back, so one warehouse per backend serves them all.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select, update

from warehouse import maintained, vocab
from warehouse.schema import case_events, cases, hearings, hotline_reports, services

DAY0 = date(2024, 1, 1)
COUNTIES = ("001", "002", "003")
STATIONS = (1, 4, 6, 7)

days = st.integers(0, 40)
county = st.sampled_from(COUNTIES)
stage = st.sampled_from(vocab.STAGES)
pick = st.integers(0, 10_000)  # an earlier case, taken modulo the cases there are
hearing = st.tuples(days, st.sampled_from(STATIONS), st.booleans(),
                    st.sampled_from(vocab.ADJOURNMENT_REASONS), st.booleans(),
                    st.lists(st.booleans(), min_size=5, max_size=5), county)
service = st.tuples(st.sampled_from(vocab.SERVICES), days, county)
event = st.tuples(stage, days, county)

# A report key from a small set (so reports get corrected), and the case it names: none,
# or a case key that may be loaded already, later, or never.
report = st.tuples(st.just("report"), st.integers(0, 7), days, county,
                   st.sampled_from(vocab.HOTLINE_CATEGORIES), st.sampled_from(vocab.CHANNELS),
                   st.sampled_from(vocab.REFERRED_TO), st.none() | st.integers(0, 12))

consent = st.none() | st.booleans()
new_case = st.tuples(st.just("case"), county, days, st.sampled_from(vocab.OFFENCES), consent,
                     st.lists(event, max_size=4), st.lists(hearing, max_size=3),
                     st.lists(service, max_size=3))
operation = st.one_of(
    new_case,
    st.tuples(st.just("event"), pick, event),
    st.tuples(st.just("hearing"), pick, hearing),
    st.tuples(st.just("service"), pick, service),
    st.tuples(st.just("fix_case"), pick, county, days, st.sampled_from(vocab.OFFENCES), consent),
    report,
)
loads = st.lists(st.lists(operation, min_size=1, max_size=6), min_size=1, max_size=5)


def _day(offset: int) -> date:
    return DAY0 + timedelta(days=offset)


class Writer:
    """Writes one load's operations as ingest does: a new row is inserted, a row already
    there (same key) is replaced; nothing is deleted."""

    def __init__(self, conn):
        self.conn = conn
        self.keys = list(conn.execute(select(cases.c.case_key).order_by(cases.c.case_key))
                         .scalars())
        self.touched: set[str] = set()
        self.reports: set[str] = set()
        # What ingest notes before it writes a case's events: (case keys, noted).
        self.events_noted: list[tuple[list[str], list]] = []

    def _case(self, i: int) -> str | None:
        return self.keys[i % len(self.keys)] if self.keys else None

    def apply(self, op) -> None:
        kind, *args = op
        if kind == "case":
            self._new_case(*args)
            return
        if kind == "report":
            self._report(*args)
            return
        key = self._case(args[0])
        if key is None:
            return
        self.touched.add(key)
        if kind == "event":
            self._event(key, args[1])
        elif kind == "hearing":
            self._hearing(key, args[1])
        elif kind == "service":
            self._service(key, args[1])
        else:
            _, county_code, offset, offence, consented = args
            self.conn.execute(update(cases).where(cases.c.case_key == key).values(
                county_code=county_code, reported_on=_day(offset), offence=offence,
                consent_documented=consented))

    def _new_case(self, county_code, offset, offence, consented, events, hearing_rows,
                  service_rows):
        key = f"case-{len(self.keys):05d}"
        self.keys.append(key)
        self.touched.add(key)
        self.conn.execute(insert(cases).values(
            case_key=key, county_code=county_code, reported_on=_day(offset),
            referral_source=vocab.REFERRAL_SOURCES[0], offence=offence,
            victim_age_band=vocab.AGE_BANDS[0], victim_sex=vocab.SEXES[0],
            consent_documented=consented))
        for e in events:
            self._event(key, e)
        for h in hearing_rows:
            self._hearing(key, h)
        for s in service_rows:
            self._service(key, s)

    def _upsert(self, table, key_values: dict, values: dict) -> None:
        where = [table.c[k] == v for k, v in key_values.items()]
        if self.conn.execute(select(table).where(*where)).first() is None:
            self.conn.execute(insert(table).values(**key_values, **values))
        else:
            if table is not hotline_reports:  # the case's county is maintained, not loaded
                values.pop("county_code", None)
            self.conn.execute(update(table).where(*where).values(**values))

    def _event(self, key, e) -> None:
        stage_, offset, county_code = e
        if key not in {k for keys, _ in self.events_noted for k in keys}:
            self.events_noted.append(
                ([key], maintained.note_rows(self.conn, case_events, [key])))
        self._upsert(case_events, {"case_key": key, "stage": stage_},
                     {"occurred_on": _day(offset), "county_code": county_code})

    def _hearing(self, key, h) -> None:
        offset, station, adjourned, reason, testified, flags, county_code = h
        measures = {f"measure_{m}": testified and f
                    for m, f in zip(vocab.TESTIMONY_MEASURES, flags, strict=True)}
        self._upsert(hearings, {"case_key": key, "hearing_on": _day(offset),
                                "court_station_id": station},
                     {"status": "adjourned" if adjourned else "proceeded",
                      "adjournment_reason": reason if adjourned else None,
                      "survivor_testified": testified, "county_code": county_code,
                      **measures})

    def _report(self, i, offset, county_code, category, channel, referred_to, case_no) -> None:
        key = _report_key(i)
        self.reports.add(key)
        self._upsert(hotline_reports, {"report_key": key},
                     {"received_on": _day(offset), "county_code": county_code,
                      "category": category, "channel": channel, "referred_to": referred_to,
                      "case_key": None if case_no is None else f"case-{case_no:05d}"})

    def _service(self, key, s) -> None:
        name, offset, county_code = s
        self._upsert(services, {"case_key": key, "service": name, "provided_on": _day(offset)},
                     {"provider_type": vocab.PROVIDER_TYPES[0], "county_code": county_code})


def _report_key(i: int) -> str:
    return f"report-{i}"


def _contents(conn) -> dict[str, list]:
    return {m.table.name: sorted((tuple(r) for r in conn.execute(select(m.table))), key=repr)
            for m in maintained.MAINTAINED}


# A load's case keys are refreshed in chunks (``KEYS_PER_STATEMENT``), and a table of counts
# by group recounts the groups of all its chunks once: with chunks of two keys, a load of
# several cases is several chunks whose groups overlap.
@pytest.mark.parametrize("keys_per_statement", [maintained.KEYS_PER_STATEMENT, 2])
def test_refreshed_tables_equal_a_rebuild(empty_warehouse, keys_per_statement, monkeypatch):
    """On each backend (``empty_warehouse`` is one per backend)."""
    engine = empty_warehouse
    monkeypatch.setattr(maintained, "KEYS_PER_STATEMENT", keys_per_statement)

    @settings(max_examples=25, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(loads)
    # A report naming a case that a later load brings: the report becomes linked.
    @example([[("report", 0, 3, COUNTIES[0], vocab.HOTLINE_CATEGORIES[0], vocab.CHANNELS[0],
                vocab.REFERRED_TO[0], 0)],
              [("case", COUNTIES[1], 5, vocab.OFFENCES[0], True, [], [], [])]])
    def check(sequence):
        with engine.connect() as conn, conn.begin() as tx:
            for load in sequence:
                writer = Writer(conn)
                reports = [_report_key(op[1]) for op in load if op[0] == "report"]
                noted = maintained.note_rows(conn, hotline_reports, reports)
                for op in load:
                    writer.apply(op)
                maintained.refresh_cases(conn, writer.touched)
                maintained.refresh_rows(conn, hotline_reports, writer.reports, noted)
                for keys, noted_events in writer.events_noted:
                    maintained.refresh_rows(conn, case_events, keys, noted_events)
                refreshed = _contents(conn)
                maintained.rebuild(conn)
                assert _contents(conn) == refreshed
            tx.rollback()

    check()
