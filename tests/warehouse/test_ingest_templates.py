"""Every template's example file loads, on both backends, into exactly the rows the contract
says: values as written (codes, bands, flags), source ids only as keyed hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from sqlalchemy import select

from tests.warehouse.ingest_helpers import batches, examples, key, run, snapshot
from warehouse.schema import (
    case_events,
    case_milestones,
    cases,
    court_stations,
    hearings,
    hotline_reports,
    outreach,
    services,
    sub_counties,
    targets,
    trainings,
    workforce,
)

D = dt.date

CASES = {  # source id: county, sub-county, reported, referral, offence, band, sex, court, consent
    "EX-C-0001": ("003", "Malindi", D(2025, 1, 14), "hotline_116", "child_prostitution",
                  "15-17", "female", "Malindi Law Courts", True),
    "EX-C-0002": ("003", "Kilifi North", D(2025, 1, 21), "police", "child_trafficking",
                  "12-14", "female", "Kilifi Law Courts", True),
    "EX-C-0003": ("001", "Likoni", D(2025, 2, 3), "community", "child_sex_tourism", "15-17",
                  "male", "Tononoka Children's Court", False),
    "EX-C-0004": ("002", "Msambweni", D(2025, 2, 19), "school", "other_sexual_exploitation",
                  "0-11", "female", None, True),
    "EX-C-0005": ("002", None, D(2025, 3, 7), "boda_boda", "child_prostitution", "15-17",
                  "female", "Kwale Law Courts", None),
}


@pytest.fixture
def loaded(empty_warehouse):
    report = run(empty_warehouse, examples())
    assert report.exit_status == 0, report.text()
    return empty_warehouse


def test_cases_are_kept_as_the_contract_says(loaded):
    stmt = (select(cases.c.case_key, cases.c.county_code, sub_counties.c.name,
                   cases.c.reported_on, cases.c.referral_source, cases.c.offence,
                   cases.c.victim_age_band, cases.c.victim_sex, court_stations.c.name,
                   cases.c.consent_documented)
            .select_from(cases.outerjoin(sub_counties).outerjoin(court_stations)))
    with loaded.connect() as conn:
        got = {r[0]: tuple(r[1:]) for r in conn.execute(stmt)}
    assert got == {key("case", sid): row for sid, row in CASES.items()}


def test_case_events_hearings_and_services(loaded):
    with loaded.connect() as conn:
        events = conn.execute(select(case_events.c.case_key, case_events.c.stage,
                                     case_events.c.occurred_on, case_events.c.county_code)).all()
        hearing_rows = conn.execute(
            select(hearings.c.case_key, court_stations.c.name, hearings.c.hearing_on,
                   hearings.c.status, hearings.c.adjournment_reason,
                   hearings.c.survivor_testified, hearings.c.measure_in_camera,
                   hearings.c.measure_support_person, hearings.c.measure_screen,
                   hearings.c.county_code)
            .select_from(hearings.join(court_stations))).all()
        service_rows = conn.execute(select(services.c.case_key, services.c.service,
                                           services.c.provided_on, services.c.provider_type,
                                           services.c.county_code)).all()
    assert len(events) == 18
    assert (key("case", "EX-C-0005"), "investigation_opened", D(2025, 3, 10), "002") in events
    assert (key("case", "EX-C-0001"), "convicted", D(2025, 9, 18), "003") in events
    # Each row carries its case's county.
    assert {(k, c) for k, _, _, c in events} == {
        (key("case", s), row[0]) for s, row in CASES.items()}
    assert len(hearing_rows) == 5
    assert (key("case", "EX-C-0001"), "Malindi Law Courts", D(2025, 5, 15), "proceeded", None,
            True, True, True, False, "003") in hearing_rows
    assert (key("case", "EX-C-0002"), "Kilifi Law Courts", D(2025, 4, 10), "adjourned",
            "prosecution_not_ready", False, False, False, False, "003") in hearing_rows
    assert sorted(service_rows) == sorted([
        (key("case", "EX-C-0001"), "medical", D(2025, 1, 15), "government", "003"),
        (key("case", "EX-C-0001"), "psychosocial", D(2025, 1, 20), "civil_society", "003"),
        (key("case", "EX-C-0001"), "legal_aid", D(2025, 2, 12), "civil_society", "003"),
        (key("case", "EX-C-0002"), "psychosocial", D(2025, 1, 24), "civil_society", "003"),
        (key("case", "EX-C-0003"), "shelter", D(2025, 2, 4), "civil_society", "001"),
        (key("case", "EX-C-0005"), "medical", D(2025, 3, 8), "government", "002"),
    ])


def test_milestones_are_maintained_for_the_loaded_cases(loaded):
    with loaded.connect() as conn:
        rows = {r.case_key: r for r in conn.execute(select(case_milestones))}
    first = rows[key("case", "EX-C-0001")]
    assert (first.charged_on, first.judgment_on, first.terminal_stage, first.terminal_on,
            first.first_service_on) == (D(2025, 2, 10), D(2025, 9, 18), "convicted",
                                        D(2025, 9, 18), D(2025, 1, 15))
    third = rows[key("case", "EX-C-0003")]
    assert (third.investigation_opened_on, third.charged_on, third.terminal_stage) == (
        D(2025, 2, 5), None, "closed_no_further_action")
    assert len(rows) == len(CASES)


def test_people_and_community_templates(loaded):
    with loaded.connect() as conn:
        training = conn.execute(select(
            trainings.c.participant_key, trainings.c.participant_sex, trainings.c.cadre,
            trainings.c.county_code, trainings.c.course, trainings.c.delivery,
            trainings.c.held_on, trainings.c.pre_score, trainings.c.post_score)).all()
        staff = conn.execute(select(workforce.c.county_code, workforce.c.cadre,
                                    workforce.c.headcount, workforce.c.as_of)).all()
        sessions = conn.execute(select(outreach.c.event_key, outreach.c.county_code,
                                       sub_counties.c.name, outreach.c.audience,
                                       outreach.c.participants_female,
                                       outreach.c.participants_male)
                                .select_from(outreach.outerjoin(sub_counties))).all()
    assert len(training) == 5
    assert (key("participant", "EX-P-001"), "female", "police", "003",
            "trauma_informed_investigation", "training", D(2025, 3, 11), 48.0, 81.0) in training
    assert (key("participant", "EX-P-003"), "female", "prosecutor", "001",
            "child_friendly_courts", "mentorship", D(2025, 6, 17), None, None) in training
    assert sorted(staff) == sorted([
        ("001", "police", 2150, D(2025, 1, 1)), ("002", "police", 960, D(2025, 1, 1)),
        ("003", "police", 1580, D(2025, 1, 1)), ("001", "prosecutor", 37, D(2025, 1, 1)),
        ("002", "prosecutor", 12, D(2025, 1, 1)), ("003", "prosecutor", 23, D(2025, 1, 1))])
    assert sorted(sessions) == sorted([
        (key("event", "EX-O-001"), "003", "Malindi", "boda_boda_riders", 2, 41),
        (key("event", "EX-O-002"), "002", "Msambweni", "teachers", 22, 14),
        (key("event", "EX-O-003"), "001", "Likoni", "parents", 48, 19)])


def test_hotline_reports_and_targets(loaded):
    with loaded.connect() as conn:
        reports = conn.execute(select(hotline_reports.c.report_key, hotline_reports.c.county_code,
                                      hotline_reports.c.channel, hotline_reports.c.category,
                                      hotline_reports.c.referred_to,
                                      hotline_reports.c.case_key)).all()
        plan = conn.execute(select(targets.c.indicator_code, targets.c.period,
                                   targets.c.county_scope, targets.c.target)).all()
    assert sorted(reports) == sorted([
        (key("report", "EX-R-0001"), "003", "call_116", "sexual_exploitation", "police",
         key("case", "EX-C-0001")),
        (key("report", "EX-R-0002"), "001", "sms", "information_request", "none", None),
        (key("report", "EX-R-0003"), "002", "walk_in", "other_abuse", "children_services",
         None)])
    assert sorted(plan) == sorted([
        ("CASES_REPORTED", "2025-Q1", "003", 40.0), ("CASES_REPORTED", "2025-Q1", "ALL", 110.0),
        ("CASES_CHARGED", "2025", "ALL", 160.0), ("PEOPLE_TRAINED", "2025", "002", 120.0)])


def test_every_upload_is_recorded_with_its_file_hash(loaded):
    files = examples()
    rows = batches(loaded)
    assert sorted((b.template, b.file_name, b.status, b.uploaded_by) for b in rows) == sorted(
        (name.removesuffix(".csv"), name, "loaded", "tester") for name in files)
    # Cases first: every file that refers to a case is loaded after the cases file.
    assert rows[0].template == "cases" and rows[1].template == "case_events"
    for b in rows:
        assert b.file_sha256 == hashlib.sha256(files[b.file_name]).hexdigest()
        assert b.rows_read == b.rows_loaded == b.rows_inserted > 0
        assert (b.rows_rejected, b.rows_updated, json.loads(b.rejections_by_rule)) == (0, 0, {})
        assert b.finished_at is not None
    dropped = {b.template: json.loads(b.columns_dropped) for b in rows}
    assert dropped["cases"] == ["victim_name", "victim_phone", "guardian_name",
                                "guardian_phone", "address", "notes"]
    assert dropped["hotline_reports"] == ["caller_name", "caller_phone"]


def test_loading_the_same_files_twice_changes_nothing(loaded):
    before = snapshot(loaded)
    again = run(loaded, examples())
    assert again.exit_status == 0
    assert snapshot(loaded) == before
    assert all(f.rows_inserted == f.rows_updated == 0 for f in again.files)
    assert all(f.rows_loaded == f.rows_read for f in again.files)
