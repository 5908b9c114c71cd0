"""Every rule of every template, broken on purpose: exactly the expected rows are rejected,
each under exactly the expected rule and column, on both backends.

The warehouse holds the example files (docs/examples) first, so rules about cases
already loaded are exercised too. Every check is a dry run, which writes nothing.
"""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import BACKENDS, new_warehouse_url
from tests.warehouse.ingest_helpers import examples, run, snapshot
from warehouse.engine import forget_engine, get_engine
from warehouse.ingest import RULES, TEMPLATES
from warehouse.migrate import init_warehouse

BASE = {
    "cases": {"source_case_id": "N-1", "county": "Kilifi", "sub_county": "Malindi",
              "reported_on": "2025-06-01", "referral_source": "police",
              "offence": "child_trafficking", "victim_age": "14", "victim_sex": "female",
              "court_station": "Malindi Law Courts", "consent_documented": "yes"},
    "case_events": {"source_case_id": "EX-C-0004", "stage": "investigation_opened",
                    "occurred_on": "2025-02-20"},
    "hearings": {"source_case_id": "EX-C-0001", "court_station": "Malindi Law Courts",
                 "hearing_on": "2025-08-01", "status": "proceeded", "adjournment_reason": "",
                 "survivor_testified": "no", "testimony_measures": ""},
    "services": {"source_case_id": "EX-C-0004", "service": "medical",
                 "provided_on": "2025-03-01", "provider_type": "government"},
    "trainings": {"source_participant_id": "P-1", "participant_sex": "female",
                  "cadre": "police", "county": "Kilifi",
                  "course": "trauma_informed_investigation", "delivery": "training",
                  "held_on": "2025-05-05", "pre_score": "50", "post_score": "70"},
    "workforce": {"county": "Kilifi", "cadre": "magistrate", "headcount": "9",
                  "as_of": "2025-01-01"},
    "outreach": {"source_event_id": "O-1", "held_on": "2025-04-01", "county": "Kilifi",
                 "sub_county": "Ganze", "audience": "parents", "topic": "nrm",
                 "participants_female": "10", "participants_male": "5"},
    "hotline_reports": {"source_report_id": "R-1", "received_on": "2025-04-01",
                        "county": "Kilifi", "channel": "sms", "category": "other_abuse",
                        "referred_to": "none", "source_case_id": ""},
    "targets": {"indicator_code": "CONVICTIONS", "period": "2025-Q2", "county": "Kilifi",
                "target": "5"},
}
LONG = "X" * 65
# Rows of templates keyed by natural columns get distinct keys unless a case sets them.
VARY = {"hearings": ("hearing_on", "2025-08-{:02d}"), "services": ("provided_on", "2025-03-{:02d}"),
        "workforce": ("as_of", "2025-01-{:02d}"), "targets": ("period", "{}-Q2")}


def make(template: str, *changes: dict) -> str:
    """A file of the template: one row per ``changes`` (the base row with those cells),
    header on line 1, so the n-th row is on line n + 1."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(BASE[template]), lineterminator="\n")
    writer.writeheader()
    for i, change in enumerate(changes):
        row = dict(BASE[template])
        for col in ("source_case_id", "source_participant_id", "source_event_id",
                    "source_report_id"):
            if template != "case_events" and template not in ("hearings", "services") \
                    and col in row and row[col]:
                row[col] = f"{row[col]}-{i}"  # distinct keys unless a case says otherwise
        if template in VARY:
            column, pattern = VARY[template]
            row[column] = pattern.format(i + 1 if "{:02d}" in pattern else 2020 + i)
        row.update(change)
        writer.writerow(row)
    return out.getvalue()


# (template, rows, {(rule, column, lines)}): the first row is always valid.
CASES = [
    # --- cases ---------------------------------------------------------------------------
    ("cases", [{}, {"county": ""}, {"reported_on": ""}], {
        ("required", "county", (3,)), ("required", "reported_on", (4,))}),
    ("cases", [{}, {"source_case_id": LONG}], {("too_long", "source_case_id", (3,))}),
    ("cases", [{}, {"reported_on": "06/31/2025"}, {"reported_on": "2025/06/01"},
               {"reported_on": "1/6/25"}, {"reported_on": "45000"}],
     {("not_a_date", "reported_on", (3, 4, 5, 6))}),
    ("cases", [{"reported_on": "01/06/2025"}, {"reported_on": "2014-12-31"},
               {"reported_on": "2026-01-16"}], {("date_out_of_range", "reported_on", (3, 4))}),
    ("cases", [{"referral_source": "Boda-Boda"}, {"referral_source": "radio"},
               {"offence": "theft"}, {"victim_sex": "f"}, {"consent_documented": "maybe"}], {
        ("not_in_list", "referral_source", (3,)), ("not_in_list", "offence", (4,)),
        ("not_in_list", "victim_sex", (5,)), ("not_in_list", "consent_documented", (6,))}),
    ("cases", [{"county": "003", "sub_county": "kilifi north"}, {"county": "Kilifii"},
               {"county": "48"}], {("unknown_county", "county", (3, 4))}),
    ("cases", [{"county": "taita taveta", "sub_county": ""}, {"sub_county": "Likoni"}],
     {("unknown_sub_county", "sub_county", (3,))}),
    ("cases", [{"court_station": "tononoka childrens court"}, {"court_station": "Nairobi"}],
     {("unknown_court_station", "court_station", (3,))}),
    ("cases", [{"victim_age": "0"}, {"victim_age": "18"}, {"victim_age": "12.5"},
               {"victim_age": "-1"}, {"victim_age": "ten"}],
     {("not_an_age", "victim_age", (3, 4, 5, 6))}),
    ("cases", [{}, {"source_case_id": "DUP"}, {"source_case_id": " DUP "}],
     {("duplicate", "source_case_id", (3, 4))}),
    # A case already loaded, corrected to a report date after its recorded steps.
    ("cases", [{}, {"source_case_id": "EX-C-0002", "reported_on": "2025-02-01"}],
     {("after_case_events", "reported_on", (3,))}),
    # --- case_events ------------------------------------------------------------------------
    ("case_events", [{}, {"stage": ""}, {"stage": "charged", "occurred_on": ""}], {
        ("required", "stage", (3,)), ("required", "occurred_on", (4,))}),
    ("case_events", [{}, {"stage": "sentenced"}], {("not_in_list", "stage", (3,))}),
    ("case_events", [{}, {"stage": "charged", "occurred_on": "2025-31-12"}],
     {("not_a_date", "occurred_on", (3,))}),
    ("case_events", [{}, {"stage": "charged", "occurred_on": "2026-01-16"}],
     {("date_out_of_range", "occurred_on", (3,))}),
    ("case_events", [{}, {"source_case_id": "NO-SUCH-CASE"}],
     {("unknown_case", "source_case_id", (3,))}),
    ("case_events", [{}, {"stage": "charged", "occurred_on": "2025-02-01"}],
     {("before_reported", "occurred_on", (3,))}),
    ("case_events", [{}, {"stage": "charged", "occurred_on": "2025-03-01"},
                     {"stage": "suspect_arrested", "occurred_on": "2025-03-05"},
                     {"source_case_id": "EX-C-0005", "stage": "suspect_arrested",
                      "occurred_on": "2025-03-09"}],
     {("stage_order", "occurred_on", (3, 4, 5))}),
    ("case_events", [{}, {"source_case_id": "EX-C-0005", "stage": "acquitted",
                          "occurred_on": "2025-04-01"},
                     {"source_case_id": "EX-C-0001", "stage": "judgment",
                      "occurred_on": "2025-10-01"}],
     {("verdict_without_judgment", "stage", (3, 4))}),
    # Rejecting the judgment (out of order) leaves its verdict without one.
    ("case_events", [{}, {"source_case_id": "EX-C-0005", "stage": "judgment",
                          "occurred_on": "2025-03-09"},
                     {"source_case_id": "EX-C-0005", "stage": "convicted",
                      "occurred_on": "2025-03-09"}],
     {("stage_order", "occurred_on", (3,)), ("verdict_without_judgment", "stage", (4,))}),
    ("case_events", [{}, {"source_case_id": "EX-C-0002", "stage": "judgment",
                          "occurred_on": "2025-06-01"}],
     {("exit_with_judgment", "stage", (3,))}),
    ("case_events", [{}, {"source_case_id": "EX-C-0003", "stage": "suspect_arrested",
                          "occurred_on": "2025-06-01"}],
     {("after_case_ended", "occurred_on", (3,))}),
    ("case_events", [{}, {"source_case_id": "EX-C-0003", "stage": "withdrawn",
                          "occurred_on": "2025-05-25"}],
     {("second_terminal_stage", "stage", (3,))}),
    ("case_events", [{}, {"stage": "charged", "occurred_on": "2025-03-01"},
                     {"stage": "Charged", "occurred_on": "2025-03-02"}],
     {("duplicate", "source_case_id, stage", (3, 4))}),
    # --- hearings ----------------------------------------------------------------------------
    ("hearings", [{}, {"court_station": ""}, {"survivor_testified": ""}], {
        ("required", "court_station", (3,)), ("required", "survivor_testified", (4,))}),
    ("hearings", [{}, {"court_station": "Kibera Law Courts"}],
     {("unknown_court_station", "court_station", (3,))}),
    ("hearings", [{}, {"hearing_on": "August 1"}], {("not_a_date", "hearing_on", (3,))}),
    ("hearings", [{"testimony_measures": "In Camera; video-link"},
                  {"status": "postponed"},
                  {"status": "adjourned", "adjournment_reason": "rain"},
                  {"survivor_testified": "sometimes"},
                  {"testimony_measures": "in_camera;hologram"}], {
        ("not_in_list", "status", (3,)), ("not_in_list", "adjournment_reason", (4,)),
        ("not_in_list", "survivor_testified", (5,)), ("not_in_list", "testimony_measures", (6,))}),
    ("hearings", [{"status": "adjourned", "adjournment_reason": "witness_absent"},
                  {"status": "adjourned", "hearing_on": "2025-08-02"},
                  {"adjournment_reason": "other", "hearing_on": "2025-08-03"}], {
        ("reason_missing", "adjournment_reason", (3,)),
        ("reason_not_adjourned", "adjournment_reason", (4,))}),
    ("hearings", [{}, {"source_case_id": "NO-SUCH-CASE"}, {"source_case_id": "EX-C-0004"}], {
        ("unknown_case", "source_case_id", (3,)), ("case_not_charged", "source_case_id", (4,))}),
    ("hearings", [{}, {"hearing_on": "2025-09-01"}, {"hearing_on": "01/09/2025"}],
     {("duplicate", "source_case_id, court_station, hearing_on", (3, 4))}),
    # --- services -----------------------------------------------------------------------------
    ("services", [{}, {"service": ""}], {("required", "service", (3,))}),
    ("services", [{}, {"service": "food"}, {"provider_type": "private"}], {
        ("not_in_list", "service", (3,)), ("not_in_list", "provider_type", (4,))}),
    ("services", [{}, {"provided_on": "2025-02-30"}], {("not_a_date", "provided_on", (3,))}),
    ("services", [{}, {"source_case_id": "NO-SUCH-CASE"}],
     {("unknown_case", "source_case_id", (3,))}),
    ("services", [{}, {"service": "shelter", "provided_on": "2025-03-09"},
                  {"service": "shelter", "provided_on": "09/03/2025"}],
     {("duplicate", "source_case_id, service, provided_on", (3, 4))}),
    # --- trainings ----------------------------------------------------------------------------
    ("trainings", [{"pre_score": "", "post_score": ""}, {"cadre": ""}],
     {("required", "cadre", (3,))}),
    ("trainings", [{}, {"source_participant_id": LONG}],
     {("too_long", "source_participant_id", (3,))}),
    ("trainings", [{}, {"participant_sex": "x"}, {"cadre": "judge"}, {"course": "first_aid"},
                   {"delivery": "online"}], {
        ("not_in_list", "participant_sex", (3,)), ("not_in_list", "cadre", (4,)),
        ("not_in_list", "course", (5,)), ("not_in_list", "delivery", (6,))}),
    ("trainings", [{}, {"county": "Atlantis"}], {("unknown_county", "county", (3,))}),
    ("trainings", [{}, {"held_on": "2025-5-5"}], {("not_a_date", "held_on", (3,))}),
    ("trainings", [{"pre_score": "0", "post_score": "100"}, {"pre_score": "fifty"},
                   {"post_score": "100.5"}, {"pre_score": "-1"}], {
        ("not_a_number", "pre_score", (3,)), ("score_out_of_range", "post_score", (4,)),
        ("score_out_of_range", "pre_score", (5,))}),
    ("trainings", [{}, {"source_participant_id": "P-X"}, {"source_participant_id": "P-X"}],
     {("duplicate", "source_participant_id, course, delivery, held_on", (3, 4))}),
    # --- workforce -------------------------------------------------------------------------------
    ("workforce", [{}, {"headcount": ""}], {("required", "headcount", (3,))}),
    ("workforce", [{}, {"county": "Coast"}, {"cadre": "judge"}], {
        ("unknown_county", "county", (3,)), ("not_in_list", "cadre", (4,))}),
    ("workforce", [{"headcount": "0"}, {"headcount": "9.5", "cadre": "police"},
                   {"headcount": "-3", "cadre": "prosecutor"}], {
        ("not_a_whole_number", "headcount", (3,)), ("negative", "headcount", (4,))}),
    ("workforce", [{}, {"as_of": "Jan 2025", "cadre": "police"}],
     {("not_a_date", "as_of", (3,))}),
    ("workforce", [{"as_of": "2025-01-01"}, {"county": "3", "as_of": "2025-01-01"}],
     {("duplicate", "county, cadre, as_of", (2, 3))}),
    # --- outreach ---------------------------------------------------------------------------------
    ("outreach", [{}, {"topic": ""}], {("required", "topic", (3,))}),
    ("outreach", [{}, {"held_on": "yesterday"}], {("not_a_date", "held_on", (3,))}),
    ("outreach", [{}, {"county": "Kilify"}, {"sub_county": "Nyali"}], {
        ("unknown_county", "county", (3,)), ("unknown_sub_county", "sub_county", (4,))}),
    ("outreach", [{}, {"audience": "police"}, {"topic": "football"}], {
        ("not_in_list", "audience", (3,)), ("not_in_list", "topic", (4,))}),
    ("outreach", [{"participants_male": "0"}, {"participants_female": "many"},
                  {"participants_male": "-2"},
                  {"participants_female": "0", "participants_male": "0"}], {
        ("not_a_whole_number", "participants_female", (3,)),
        ("negative", "participants_male", (4,)),
        ("no_participants", "participants_female, participants_male", (5,))}),
    ("outreach", [{}, {"source_event_id": "O-D"}, {"source_event_id": "O-D"}],
     {("duplicate", "source_event_id", (3, 4))}),
    # --- hotline_reports ----------------------------------------------------------------------------
    ("hotline_reports", [{}, {"channel": ""}], {("required", "channel", (3,))}),
    ("hotline_reports", [{}, {"received_on": "2025.04.01"}],
     {("not_a_date", "received_on", (3,))}),
    ("hotline_reports", [{}, {"county": "Zanzibar"}], {("unknown_county", "county", (3,))}),
    ("hotline_reports", [{}, {"channel": "fax"}, {"category": "theft"},
                         {"referred_to": "court"}], {
        ("not_in_list", "channel", (3,)), ("not_in_list", "category", (4,)),
        ("not_in_list", "referred_to", (5,))}),
    # A report may name a case not (yet) known: no reference rule; only its length is.
    ("hotline_reports", [{"source_case_id": "FUTURE-CASE"}, {"source_case_id": LONG}],
     {("too_long", "source_case_id", (3,))}),
    ("hotline_reports", [{}, {"source_report_id": "R-D"}, {"source_report_id": "R-D"}],
     {("duplicate", "source_report_id", (3, 4))}),
    # --- targets --------------------------------------------------------------------------------
    ("targets", [{}, {"target": ""}], {("required", "target", (3,))}),
    ("targets", [{"indicator_code": "people trained"}, {"indicator_code": "HAPPINESS"}],
     {("unknown_indicator", "indicator_code", (3,))}),
    ("targets", [{"period": "2025"}, {"period": "2025-Q5"}, {"period": "Q1 2025"},
                 {"period": "25-Q1"}], {("bad_period", "period", (3, 4, 5))}),
    ("targets", [{"county": "all"}, {"county": "Everywhere"}],
     {("unknown_county", "county", (3,))}),
    ("targets", [{"target": "12.5"}, {"target": "a dozen", "period": "2025-Q3"},
                 {"target": "-1", "period": "2025-Q4"}], {
        ("not_a_number", "target", (3,)), ("negative", "target", (4,))}),
    ("targets", [{"period": "2025-Q2"}, {"county": "003", "period": "2025-q2"}],
     {("duplicate", "indicator_code, period, county", (2, 3))}),
]


@pytest.fixture(scope="module", params=BACKENDS)
def warehouse(request, tmp_path_factory):
    url = new_warehouse_url(request.param, tmp_path_factory, request)
    engine = get_engine(url)
    init_warehouse(engine)
    assert run(engine, examples()).exit_status == 0
    yield engine
    forget_engine(url)


def _ids(case):
    template, _, expected = case
    return f"{template}-" + "+".join(sorted({rule for rule, _, _ in expected}))


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_rule(warehouse, case):
    template, rows, expected = case
    before = snapshot(warehouse)
    report = run(warehouse, {f"{template}.csv": make(template, *rows)}, dry_run=True)
    [got] = report.files
    assert {(p.rule, p.column, tuple(p.lines)) for p in got.problems} == expected, got.text(True)
    bad_lines = {line for _, _, lines in expected for line in lines}
    assert (got.rows_read, got.rows_rejected, got.rows_valid) == (
        len(rows), len(bad_lines), len(rows) - len(bad_lines))
    assert report.exit_status == 1
    assert snapshot(warehouse) == before  # a dry run writes nothing


def test_every_rule_is_exercised_for_every_template_it_applies_to():
    covered = {(t, rule) for t, _, expected in CASES for rule, _, _ in expected}
    assert {rule for _, rule in covered} >= set(RULES) - {"formula", "extra_fields"}
    for template in TEMPLATES.values():
        kinds = {c.kind for c in template.kept}
        assert (template.name, "not_a_date") in covered or "date" not in kinds
        assert (template.name, "duplicate") in covered
        assert (template.name, "required") in covered
