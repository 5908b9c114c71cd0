"""The data contract's templates (version 1): their columns, how each is read and kept.

``shared/contracts/data-templates.md`` is the contract; this module is its one
translation into code. A column's ``kind`` names how its text is parsed
(``warehouse.ingest.parse``); ``store`` names the warehouse column it fills, and is
``None`` for DROP columns, which are discarded as soon as the header is read.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import Table

from warehouse import vocab
from warehouse.schema import (
    case_events,
    cases,
    hearings,
    hotline_reports,
    outreach,
    services,
    targets,
    trainings,
    workforce,
)

EARLIEST_REPORT = dt.date(2015, 1, 1)
MAX_ID_CHARS = 64
YES_NO = ("yes", "no")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # see warehouse.ingest.parse.KINDS
    required: bool = True
    values: tuple[str, ...] = ()  # enumerations
    store: str | None = None  # warehouse column; None: DROP
    namespace: str = ""  # source ids: the pseudonymizer's namespace
    earliest: dt.date | None = None  # dates
    not_future: bool = False  # dates: not after the day of the upload


def _id(name: str, namespace: str, store: str, required: bool = True) -> Column:
    return Column(name, "id", required, store=store, namespace=namespace)


def _enum(name: str, values: tuple[str, ...], required: bool = True) -> Column:
    return Column(name, "enum", required, values, store=name)


def _kind(name: str, kind: str, store: str | None = None, required: bool = True) -> Column:
    return Column(name, kind, required, store=store or name)


def _drop(*names: str) -> tuple[Column, ...]:
    return tuple(Column(n, "drop", required=False) for n in names)


@dataclass(frozen=True)
class Template:
    name: str
    table: Table
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # warehouse columns naming one row: duplicates, replacements
    fetch_by: str  # the key column earlier versions are looked up by
    rank: int  # load order: cases before what refers to them

    @property
    def kept(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.kind != "drop")

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def drop_names(self) -> frozenset[str]:
        return frozenset(c.name for c in self.columns if c.kind == "drop")

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def on_cases(self) -> bool:
        """Rows hang off a case (and carry its county, maintained with it)."""
        return self.name in ("case_events", "hearings", "services")


_COUNTY = _kind("county", "county", "county_code")

TEMPLATES: dict[str, Template] = {
    t.name: t
    for t in (
        Template("cases", cases, (
            _id("source_case_id", "case", "case_key"),
            _COUNTY,
            _kind("sub_county", "sub_county", "sub_county_id", required=False),
            Column("reported_on", "date", store="reported_on", earliest=EARLIEST_REPORT,
                   not_future=True),
            _enum("referral_source", vocab.REFERRAL_SOURCES),
            _enum("offence", vocab.OFFENCES),
            _kind("victim_age", "age", "victim_age_band"),
            _enum("victim_sex", vocab.SEXES),
            _kind("court_station", "court_station", "court_station_id", required=False),
            Column("consent_documented", "yes_no", False, YES_NO, store="consent_documented"),
            *_drop("victim_name", "victim_phone", "guardian_name", "guardian_phone", "address",
                   "notes"),
        ), key=("case_key",), fetch_by="case_key", rank=0),
        Template("case_events", case_events, (
            _id("source_case_id", "case", "case_key"),
            _enum("stage", vocab.STAGES),
            Column("occurred_on", "date", store="occurred_on", not_future=True),
        ), key=("case_key", "stage"), fetch_by="case_key", rank=1),
        Template("hearings", hearings, (
            _id("source_case_id", "case", "case_key"),
            _kind("court_station", "court_station", "court_station_id"),
            _kind("hearing_on", "date"),
            _enum("status", vocab.HEARING_STATUSES),
            _enum("adjournment_reason", vocab.ADJOURNMENT_REASONS, required=False),
            Column("survivor_testified", "yes_no", True, YES_NO, store="survivor_testified"),
            Column("testimony_measures", "measures", False, vocab.TESTIMONY_MEASURES,
                   store="testimony_measures"),
        ), key=("case_key", "hearing_on", "court_station_id"), fetch_by="case_key", rank=2),
        Template("services", services, (
            _id("source_case_id", "case", "case_key"),
            _enum("service", vocab.SERVICES),
            _kind("provided_on", "date"),
            _enum("provider_type", vocab.PROVIDER_TYPES),
        ), key=("case_key", "service", "provided_on"), fetch_by="case_key", rank=2),
        Template("trainings", trainings, (
            _id("source_participant_id", "participant", "participant_key"),
            _enum("participant_sex", vocab.SEXES),
            _enum("cadre", vocab.CADRES),
            _COUNTY,
            _enum("course", vocab.COURSES),
            _enum("delivery", vocab.DELIVERIES),
            _kind("held_on", "date"),
            _kind("pre_score", "score", required=False),
            _kind("post_score", "score", required=False),
            *_drop("participant_name", "phone", "email"),
        ), key=("participant_key", "course", "delivery", "held_on"), fetch_by="participant_key",
            rank=3),
        Template("workforce", workforce, (
            _COUNTY,
            _enum("cadre", vocab.CADRES),
            _kind("headcount", "count"),
            _kind("as_of", "date"),
        ), key=("county_code", "cadre", "as_of"), fetch_by="county_code", rank=3),
        Template("outreach", outreach, (
            _id("source_event_id", "event", "event_key"),
            _kind("held_on", "date"),
            _COUNTY,
            _kind("sub_county", "sub_county", "sub_county_id", required=False),
            _enum("audience", vocab.AUDIENCES),
            _enum("topic", vocab.TOPICS),
            _kind("participants_female", "count"),
            _kind("participants_male", "count"),
        ), key=("event_key",), fetch_by="event_key", rank=3),
        Template("hotline_reports", hotline_reports, (
            _id("source_report_id", "report", "report_key"),
            _kind("received_on", "date"),
            _COUNTY,
            _enum("channel", vocab.CHANNELS),
            _enum("category", vocab.HOTLINE_CATEGORIES),
            _enum("referred_to", vocab.REFERRED_TO),
            _id("source_case_id", "case", "case_key", required=False),
            *_drop("caller_name", "caller_phone"),
        ), key=("report_key",), fetch_by="report_key", rank=2),
        Template("targets", targets, (
            Column("indicator_code", "indicator", values=vocab.INDICATOR_CODES,
                   store="indicator_code"),
            _kind("period", "period"),
            _kind("county", "county_or_all", "county_scope"),
            _kind("target", "amount"),
        ), key=("indicator_code", "period", "county_scope"), fetch_by="indicator_code", rank=3),
    )
}


def template_for_file_name(file_name: str) -> str | None:
    """``cases.csv`` and ``cases-2025Q1.csv`` -> ``cases``; the longest template name that
    the name's stem is, or starts with followed by a separator."""
    stem = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0].strip().lower()
    found = [
        name for name in TEMPLATES
        if stem == name or re.match(re.escape(name) + r"[-_ .]", stem)
    ]
    return max(found, key=len) if found else None
