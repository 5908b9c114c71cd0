"""The warehouse schema: one MetaData for every table Haki stores.

Keys are pseudonymous (HMAC-SHA-256 hex digests of source ids, see
``warehouse.pseudonym``). No table has a column that could hold a name, a phone
number, an address, free-text notes or a source id: the data contract's DROP
columns and ``source_*_id`` values never get this far.

Enumerated values (stages, offences, ...) live in ``warehouse.vocab`` and are
stored as short strings so that the same schema runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

# Stable constraint names make Alembic migrations reproducible on both dialects.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

KEY = String(64)  # hex HMAC-SHA-256
COUNTY = String(3)  # "001".."047"


def _county_fk(nullable: bool = False) -> Column:
    return Column("county_code", COUNTY, ForeignKey("counties.code"), nullable=nullable)


def _case_county() -> Column:
    # The county of the row's case, carried on the fact row so that every county-scoped
    # count reads one table. Maintained with the case (warehouse.maintained): a corrected
    # case county is copied to its events, hearings and services in the same transaction.
    return _county_fk()


def _batch_fk() -> Column:
    # Which upload (or demo generation) wrote the row: lets a bad load be traced and undone.
    return Column("batch_id", Integer, ForeignKey("ingest_batches.id"), nullable=True)


# --- reference data -------------------------------------------------------

counties = Table(
    "counties",
    metadata,
    Column("code", COUNTY, primary_key=True),
    Column("name", String(40), nullable=False, unique=True),
    Column("population_2019", Integer, nullable=False),
    Column("latitude", Float, nullable=False),
    Column("longitude", Float, nullable=False),
)

sub_counties = Table(
    "sub_counties",
    metadata,
    Column("id", Integer, primary_key=True),
    _county_fk(),
    Column("name", String(60), nullable=False),
    UniqueConstraint("county_code", "name"),
)

court_stations = Table(
    "court_stations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False, unique=True),
    _county_fk(),
)

# --- bookkeeping ----------------------------------------------------------

warehouse_meta = Table(
    "warehouse_meta",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", String(200), nullable=False),
)

ingest_batches = Table(
    "ingest_batches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("template", String(30), nullable=False),
    Column("file_name", String(200), nullable=False),
    Column("uploaded_by", String(64), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    # loaded, partial (valid rows loaded, the rest rejected), rejected, unreadable,
    # failed (the load stopped on an error), cancelled (checked on the page, not loaded)
    Column("status", String(20), nullable=False),
    Column("rows_read", Integer, nullable=False, default=0),
    Column("rows_loaded", Integer, nullable=False, default=0),
    Column("rows_rejected", Integer, nullable=False, default=0),
    # JSON object {rule: count}; never the rejected cells themselves.
    Column("rejections_by_rule", Text, nullable=False, default="{}"),
    # SHA-256 of the uploaded file's bytes (none for demo data or a file refused unread).
    Column("file_sha256", String(64), nullable=True),
    # Of rows_loaded: how many were new and how many replaced an earlier version (the
    # rest were already in the warehouse exactly as uploaded).
    Column("rows_inserted", Integer, nullable=False, default=0, server_default="0"),
    Column("rows_updated", Integer, nullable=False, default=0, server_default="0"),
    # JSON list of the column names discarded unread (DROP and unknown columns).
    Column("columns_dropped", Text, nullable=False, default="[]", server_default="[]"),
    # Why a whole file was refused, in Haki's words (never a cell's content).
    Column("message", Text, nullable=True),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(120), nullable=False),
    Column("password_hash", String(100), nullable=False),
    Column("role", String(30), nullable=False),
    # Comma-separated county codes ("003,002"); empty for roles scoped to all counties.
    Column("counties", String(200), nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
    # Set when an administrator resets the password: the user must choose a new one
    # before anything else at their next sign-in.
    Column("must_change_password", Boolean, nullable=False, default=False,
           server_default=false()),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint(
        "role IN ('admin', 'project_manager', 'cuc_member', 'monitor')", name="role_known"
    ),
)

# One row per signed-in browser (auth.sessions). The sign-in cookie is bound to its row by
# the SHA-256 of the exact token the browser holds, never the token itself: a copied
# cookie is worth nothing once the row is ended.
sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),  # random token, never derived from the user
    Column("username", String(64), nullable=False, index=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=True),
    Column("end_reason", String(30), nullable=True),
    Column("token_hash", String(64), nullable=True, unique=True),
)

# Every password check, for lockout and throttling (auth.attempts): shared by every
# process. The account is named by a keyed hash of the username as typed, so a password
# typed into the username box is never stored, and unknown names lock like known ones.
sign_in_attempts = Table(
    "sign_in_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("account_key", String(64), nullable=False),
    Column("client", String(64), nullable=False),
    Column("outcome", String(12), nullable=False),  # success, failure, locked, throttled
    Index(None, "account_key", "at"),
    Index(None, "client", "at"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("username", String(64), nullable=True),
    Column("action", String(40), nullable=False),
    # JSON; holds page names, filters and counts, never case-level values.
    Column("detail", Text, nullable=False, default="{}"),
)

# --- programme data (the data contract's templates) -----------------------

# What the counts of cases reported in a period are taken by, besides the county.
CASE_ATTRIBUTES = ("consent_documented", "victim_age_band", "victim_sex", "offence",
                   "referral_source")

cases = Table(
    "cases",
    metadata,
    Column("case_key", KEY, primary_key=True),
    _county_fk(),
    Column("sub_county_id", Integer, ForeignKey("sub_counties.id"), nullable=True),
    Column("reported_on", Date, nullable=False),
    Column("referral_source", String(30), nullable=False),
    Column("offence", String(40), nullable=False),
    Column("victim_age_band", String(5), nullable=False),  # 0-11, 12-14, 15-17
    Column("victim_sex", String(10), nullable=False),
    Column("court_station_id", Integer, ForeignKey("court_stations.id"), nullable=True),
    Column("consent_documented", Boolean, nullable=True),
    _batch_fk(),
    # Covers every count of the cases reported in a period (by county, consent and the
    # drill-downs' attributes) without reading the table.
    Index("ix_cases_county_reported_cover", "county_code", "reported_on",
          *CASE_ATTRIBUTES),
    Index("ix_cases_reported_cover", "reported_on", "county_code", *CASE_ATTRIBUTES),
)

case_events = Table(
    "case_events",
    metadata,
    Column("case_key", KEY, ForeignKey("cases.case_key"), primary_key=True),
    Column("stage", String(30), primary_key=True),
    Column("occurred_on", Date, nullable=False),
    _case_county(),
    _batch_fk(),
    # With the county, so that a county reader's events by stage read the index alone.
    Index(None, "stage", "occurred_on", "county_code"),
    Index(None, "county_code", "stage", "occurred_on"),
)

hearings = Table(
    "hearings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_key", KEY, ForeignKey("cases.case_key"), nullable=False),
    _case_county(),
    Column("court_station_id", Integer, ForeignKey("court_stations.id"), nullable=False),
    Column("hearing_on", Date, nullable=False),
    Column("status", String(12), nullable=False),
    Column("adjournment_reason", String(30), nullable=True),
    Column("survivor_testified", Boolean, nullable=False),
    # The contract's ';'-separated testimony_measures, one flag each, so both
    # dialects can count them without string parsing.
    Column("measure_in_camera", Boolean, nullable=False, default=False),
    Column("measure_intermediary", Boolean, nullable=False, default=False),
    Column("measure_screen", Boolean, nullable=False, default=False),
    Column("measure_video_link", Boolean, nullable=False, default=False),
    Column("measure_support_person", Boolean, nullable=False, default=False),
    _batch_fk(),
    UniqueConstraint("case_key", "hearing_on", "court_station_id"),
    # Pages read hearing_days, never this table. hearing_days is counted from it by county
    # and day, in this index's order and from it alone (no sort of every hearing when it is
    # rebuilt, no row lookups when a load's days are counted again).
    Index("ix_hearings_county_day_cover", "county_code", "hearing_on", "court_station_id",
          "adjournment_reason", "survivor_testified", "measure_in_camera",
          "measure_intermediary", "measure_screen", "measure_video_link",
          "measure_support_person"),
    CheckConstraint(
        "(status = 'adjourned') = (adjournment_reason IS NOT NULL)", name="reason_iff_adjourned"
    ),
)

services = Table(
    "services",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_key", KEY, ForeignKey("cases.case_key"), nullable=False),
    _case_county(),
    Column("service", String(30), nullable=False),
    Column("provided_on", Date, nullable=False),
    Column("provider_type", String(20), nullable=False),
    _batch_fk(),
    # Read by case only (the unique constraint's index): pages read service_days and
    # service_months, so no index by day (migration 0010 dropped them).
    UniqueConstraint("case_key", "service", "provided_on"),
)

trainings = Table(
    "trainings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("participant_key", KEY, nullable=False, index=True),
    Column("participant_sex", String(10), nullable=False),
    Column("cadre", String(30), nullable=False),
    _county_fk(),
    Column("course", String(40), nullable=False),
    Column("delivery", String(30), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("pre_score", Float, nullable=True),
    Column("post_score", Float, nullable=True),
    _batch_fk(),
    UniqueConstraint("participant_key", "course", "delivery", "held_on"),
    Index(None, "county_code", "held_on"),
)

workforce = Table(
    "workforce",
    metadata,
    Column("id", Integer, primary_key=True),
    _county_fk(),
    Column("cadre", String(30), nullable=False),
    Column("headcount", Integer, nullable=False),
    Column("as_of", Date, nullable=False),
    _batch_fk(),
    UniqueConstraint("county_code", "cadre", "as_of"),
    CheckConstraint("headcount >= 0", name="headcount_non_negative"),
)

outreach = Table(
    "outreach",
    metadata,
    Column("event_key", KEY, primary_key=True),
    Column("held_on", Date, nullable=False),
    _county_fk(),
    Column("sub_county_id", Integer, ForeignKey("sub_counties.id"), nullable=True),
    Column("audience", String(30), nullable=False),
    Column("topic", String(30), nullable=False),
    Column("participants_female", Integer, nullable=False),
    Column("participants_male", Integer, nullable=False),
    _batch_fk(),
    Index(None, "county_code", "held_on"),
    CheckConstraint(
        "participants_female >= 0 AND participants_male >= 0 "
        "AND participants_female + participants_male > 0",
        name="participants_positive",
    ),
)

hotline_reports = Table(
    "hotline_reports",
    metadata,
    Column("report_key", KEY, primary_key=True),
    Column("received_on", Date, nullable=False),
    _county_fk(),
    Column("channel", String(20), nullable=False),
    Column("category", String(30), nullable=False),
    Column("referred_to", String(30), nullable=False),
    # Not a foreign key: a report may arrive before the case it became.
    Column("case_key", KEY, nullable=True, index=True),
    _batch_fk(),
    # Covers every count of the reports received in a period.
    Index("ix_hotline_reports_county_received_cover", "county_code", "received_on",
          "category", "referred_to", "channel", "case_key"),
)

targets = Table(
    "targets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("indicator_code", String(40), nullable=False),
    Column("period", String(7), nullable=False),  # "2025-Q1" or "2025"
    # A county code, or "ALL" for a programme-wide target (so no foreign key).
    Column("county_scope", String(3), nullable=False),
    Column("target", Float, nullable=False),
    _batch_fk(),
    UniqueConstraint("indicator_code", "period", "county_scope"),
    CheckConstraint("target >= 0", name="target_non_negative"),
)

# --- maintained from the programme tables (warehouse.maintained) -------------

# One row per case: the date it reached each stage (the earliest event at that stage or
# any later one, so "reached" never depends on a skipped record), its terminal event and
# its first service. Rebuilt for the cases a load touches, in the load's transaction;
# tests prove it equals a from-scratch rebuild.
case_milestones = Table(
    "case_milestones",
    metadata,
    Column("case_key", KEY, ForeignKey("cases.case_key"), primary_key=True),
    _county_fk(),
    Column("reported_on", Date, nullable=False),
    Column("investigation_opened_on", Date, nullable=True),
    Column("suspect_arrested_on", Date, nullable=True),
    Column("charged_on", Date, nullable=True),
    Column("trial_started_on", Date, nullable=True),
    Column("judgment_on", Date, nullable=True),
    Column("terminal_stage", String(30), nullable=True),
    Column("terminal_on", Date, nullable=True),
    Column("first_service_on", Date, nullable=True),
    # The case's attributes the funnel breaks the cohort down by (copied from ``cases``).
    Column("offence", String(40), nullable=True),
    Column("victim_age_band", String(5), nullable=True),
    Column("victim_sex", String(10), nullable=True),
    Column("referral_source", String(30), nullable=True),
    # Copied from ``cases`` for the cases reported per day with consent documented
    # (``caseload_days``); not in the cohort index, which no statement reads it through.
    Column("consent_documented", Boolean, nullable=True),
    # Every column but the key, so that cohort and caseload counts read the index alone
    # (no lookup of the row behind each entry); a reader of every county skip-scans it.
    Index("ix_case_milestones_cohort", "county_code", "reported_on", "terminal_on",
          "terminal_stage", "investigation_opened_on", "suspect_arrested_on", "charged_on",
          "trial_started_on", "judgment_on", "first_service_on", "offence",
          "victim_age_band", "victim_sex", "referral_source"),
    # Cases closed after a day (the open caseload on a past day).
    Index("ix_case_milestones_closing", "terminal_on", "reported_on", "county_code"),
)

# Hearings counted by county, day, court station and adjournment reason (null: the
# hearing proceeded), with the survivor's testimony and each protective measure used
# when they testified (warehouse.maintained_progress).
hearing_days = Table(
    "hearing_days",
    metadata,
    _county_fk(),
    Column("hearing_on", Date, nullable=False),
    Column("court_station_id", Integer, ForeignKey("court_stations.id"), nullable=False),
    Column("adjournment_reason", String(30), nullable=True),
    Column("hearings", Integer, nullable=False),
    Column("testified", Integer, nullable=False),
    Column("testified_any_measure", Integer, nullable=False),
    Column("testified_in_camera", Integer, nullable=False),
    Column("testified_intermediary", Integer, nullable=False),
    Column("testified_screen", Integer, nullable=False),
    Column("testified_video_link", Integer, nullable=False),
    Column("testified_support_person", Integer, nullable=False),
    Index(None, "hearing_on"),
    Index(None, "county_code", "hearing_on"),
)

# One row per case, service and day it was provided, with the day the case last had that
# service before (null: the first time), so the cases served in a period are counted
# without DISTINCT: the rows in the period whose previous day is not in it.
service_days = Table(
    "service_days",
    metadata,
    Column("case_key", KEY, ForeignKey("cases.case_key"), primary_key=True),
    Column("service", String(30), primary_key=True),
    Column("provided_on", Date, primary_key=True),
    _county_fk(),
    Column("previous_on", Date, nullable=True),
    # The day of the case's service row just before this one, whatever the service (rows
    # in order of day, then service; null: its first): the survivors served in a period,
    # whatever the service, are then the rows in it whose ``previous_any_on`` is not
    # (warehouse.maintained_progress).
    Column("previous_any_on", Date, nullable=True),
    # Every count of service_days reads one of these alone: a county's rows of a period or
    # every county's (survivors served, per service or any). Within a day, rows are in
    # service order, so the count per service is grouped from nearly ordered rows.
    Index("ix_service_days_county_cover", "county_code", "provided_on", "service",
          "previous_on", "previous_any_on"),
    Index("ix_service_days_day_cover", "provided_on", "service", "previous_on", "county_code",
          "previous_any_on"),
)

# The caseload's changes by county and day: cases reported (opened), cases no longer open
# from that day (closed, ``queries.milestones.closed_from``), and of the cases reported
# that day those with no terminal event at all (never_closed).
caseload_days = Table(
    "caseload_days",
    metadata,
    Column("county_code", COUNTY, ForeignKey("counties.code"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("opened", Integer, nullable=False),
    Column("closed", Integer, nullable=False),
    Column("never_closed", Integer, nullable=False),
    # Of the cases opened (reported) that day, those with consent documented.
    Column("consent_documented", Integer, nullable=False, server_default="0"),
)

# The cases with a terminal event, by county, report day and the month of that event, so
# that the cases open on a past day that end after it (reported by then, terminal event
# later) are a sum over a few rows per county and report day, not a row per case
# (warehouse.maintained_progress; queries.progress.pending_age_stmt).
closed_case_months = Table(
    "closed_case_months",
    metadata,
    Column("county_code", COUNTY, ForeignKey("counties.code"), primary_key=True),
    Column("reported_on", Date, primary_key=True),
    Column("terminal_month", String(7), primary_key=True),  # "YYYY-MM"
    Column("cases", Integer, nullable=False),
    Index("ix_closed_case_months_terminal", "terminal_month", "reported_on", "county_code",
          "cases"),
)

# The funnel's cohort, counted by county and report month (warehouse.maintained_cohort):
# the cases as they stand at the end of time (every event they have so far), so that the
# cohort of any whole months, as of any day after each group's ``latest_on``, is a sum over
# a few rows per county and month.
# - ``cohort_months``: cases by the latest stage reached, the terminal stage (null: open)
#   and, for an open case, the day it reached that stage; ``latest_on`` is the latest day
#   any of the group's cases reached a stage or ended (their report day at least).
cohort_months = Table(
    "cohort_months",
    metadata,
    _county_fk(),
    Column("reported_month", String(7), nullable=False),  # "YYYY-MM"
    Column("reached", String(30), nullable=False),
    Column("terminal_stage", String(30), nullable=True),
    Column("waiting_since", Date, nullable=True),
    Column("cases", Integer, nullable=False),
    Column("latest_on", Date, nullable=False),
    Index("ix_cohort_months_month", "reported_month", "county_code"),
    Index("ix_cohort_months_county", "county_code", "reported_month"),
)

# - ``cohort_attribute_months``: cases reported, charged and convicted by each attribute
#   the funnel breaks the cohort down by (the dimension, and its value).
cohort_attribute_months = Table(
    "cohort_attribute_months",
    metadata,
    _county_fk(),
    Column("reported_month", String(7), nullable=False),
    Column("dimension", String(20), nullable=False),
    Column("value", String(40), nullable=False),
    Column("reported", Integer, nullable=False),
    Column("charged", Integer, nullable=False),
    Column("convicted", Integer, nullable=False),
    Index("ix_cohort_attribute_months_month", "reported_month", "county_code"),
    Index("ix_cohort_attribute_months_county", "county_code", "reported_month"),
)

# - ``cohort_duration_months``: for each interval between two stages, the cases that took
#   each number of days (their percentiles are taken from these counts).
cohort_duration_months = Table(
    "cohort_duration_months",
    metadata,
    _county_fk(),
    Column("reported_month", String(7), nullable=False),
    Column("interval", String(20), nullable=False),
    Column("days", Integer, nullable=False),
    Column("cases", Integer, nullable=False),
    Index("ix_cohort_duration_months_month", "reported_month", "county_code"),
    Index("ix_cohort_duration_months_county", "county_code", "reported_month"),
)

# Hotline reports by county, month received, category, channel and referral, with those
# whose case key matches a case in the warehouse (warehouse.maintained_hotline).
hotline_months = Table(
    "hotline_months",
    metadata,
    _county_fk(),
    Column("received_month", String(7), nullable=False),
    Column("category", String(30), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("referred_to", String(30), nullable=False),
    Column("reports", Integer, nullable=False),
    Column("linked_to_case", Integer, nullable=False),
    Index("ix_hotline_months_month", "received_month", "county_code"),
    Index("ix_hotline_months_county", "county_code", "received_month"),
)

# The survivors served, by county and month: the service rows (``service_days``) by the month
# they are in and the month of the case's service row before them (null: none), so that the
# survivors served in whole months from M on are the rows of those months whose previous
# month is before M or null (warehouse.maintained_service_months).
service_months = Table(
    "service_months",
    metadata,
    _county_fk(),
    Column("provided_month", String(7), nullable=False),
    Column("previous_month", String(7), nullable=True),
    Column("service_rows", Integer, nullable=False),
    Index("ix_service_months_month", "provided_month", "county_code", "previous_month"),
    Index("ix_service_months_county", "county_code", "provided_month", "previous_month"),
)

# The stage events by county, the month they are dated in and stage, so that a stage
# measure over a period (cases charged, convictions...) sums a few rows per county and month
# for its whole months (warehouse.maintained_stages).
stage_months = Table(
    "stage_months",
    metadata,
    Column("county_code", COUNTY, ForeignKey("counties.code"), primary_key=True),
    Column("occurred_month", String(7), primary_key=True),
    Column("stage", String(30), primary_key=True),
    Column("events", Integer, nullable=False),
    Index("ix_stage_months_month", "occurred_month", "stage", "county_code", "events"),
)

MAINTAINED_TABLES = (case_milestones, hearing_days, service_days, caseload_days,
                     closed_case_months, cohort_months, cohort_attribute_months,
                     cohort_duration_months, hotline_months, service_months, stage_months)

PROGRAMME_TABLES = (
    cases,
    case_events,
    hearings,
    services,
    trainings,
    workforce,
    outreach,
    hotline_reports,
    targets,
)
