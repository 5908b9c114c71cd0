"""The naive baseline: what a Streamlit author would write without Haki's warehouse work.

Each page reads the whole tables it needs into polars (``pl.read_database``, every row and
column, nothing filtered in SQL, no summary table) and counts with filters and groupbys in
Python, on every rerun. It computes each page's main table (the figures the page leads
with), written from the figures contract (shared/contracts/figures.md), not from queries/:
a case's county is the one in ``cases``. ``bench.compare`` checks its answers equal Haki's,
so the comparison is of two ways to the same numbers.

Where the baseline computes less than the page (indicators: the counted indicators and the
conviction rate, not the medians and shares; progress: the pending caseload and services,
not the hearings), the ratio to it understates Haki's lead.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import Engine, select

from bench.scenarios import Scenario
from core.periods import key_end, period_keys
from warehouse import indicators as register
from warehouse import schema

ORDER = ("reported", "investigation_opened", "suspect_arrested", "charged", "trial_started",
         "judgment")
RANK = {s: i for i, s in enumerate(ORDER)} | {"convicted": 5, "acquitted": 5}
TERMINAL = ("convicted", "acquitted", "withdrawn", "closed_no_further_action")
SERIOUS = ("child_trafficking", "sexual_exploitation")
PROGRAMME = ("001", "002", "003")
# The counted indicators and the measure (below) that counts each.
COUNTED = {"CASES_REPORTED": "cases_reported", "CASES_INVESTIGATED": "investigations_opened",
           "CASES_CHARGED": "cases_charged", "CONVICTIONS": "convictions",
           "SURVIVORS_SERVED": "survivors_served", "PEOPLE_TRAINED": "people_trained",
           "OUTREACH_PARTICIPANTS": "outreach_participants",
           "HOTLINE_TIP_REPORTS": "hotline_tip_reports", "PS.5.1-29": "hotline_referred",
           "PS.5.1-28": "first_responders_trained", "PS.5.3-15": "prevention_trained"}
SUMMARY_HEADLINE = ("CASES_REPORTED", "CASES_CHARGED", "CONVICTIONS", "CONVICTION_RATE",
                    "SURVIVORS_SERVED", "PEOPLE_TRAINED", "OUTREACH_PARTICIPANTS", "PS.5.1-29")
OVERVIEW = ("cases_reported", "cases_charged", "convictions", "survivors_served",
            "people_trained", "outreach_participants")


def read(engine: Engine, *names: str) -> dict[str, pl.DataFrame]:
    """Whole tables, every row and column."""
    with engine.connect() as conn:
        return {n: pl.read_database(select(schema.metadata.tables[n]), conn,
                                    infer_schema_length=None) for n in names}


def allowed(s: Scenario) -> tuple[str, ...] | None:
    return s.filters.counties if s.scope.counties is None else (
        s.filters.counties or s.scope.counties)


def within(df: pl.DataFrame, day: str, start: date, end: date, codes) -> pl.DataFrame:
    df = df.filter(pl.col(day).is_between(start, end))
    return df if codes is None else df.filter(pl.col("county_code").is_in(list(codes)))


def with_case_county(raw: dict, table: str) -> pl.DataFrame:
    facts = raw[table]
    facts = facts.drop("county_code") if "county_code" in facts.columns else facts
    return facts.join(raw["cases"].select("case_key", "county_code"), on="case_key")


def measures(raw: dict, codes, start: date, end: date) -> dict[str, int]:
    """Every counted measure over [start, end] in ``codes`` (None: every county)."""
    ev = within(with_case_county(raw, "case_events"), "occurred_on", start, end, codes)
    tr = within(raw["trainings"], "held_on", start, end, codes)
    trained = tr.filter(pl.col("delivery") == "training")
    out = within(raw["outreach"], "held_on", start, end, codes)
    hot = within(raw["hotline_reports"], "received_on", start, end, codes)
    serious = hot.filter(pl.col("category").is_in(SERIOUS))

    def stage(*names):
        return ev.filter(pl.col("stage").is_in(names)).height

    return {
        "cases_reported": within(raw["cases"], "reported_on", start, end, codes).height,
        "investigations_opened": stage("investigation_opened"),
        "cases_charged": stage("charged"), "convictions": stage("convicted"),
        "decided": stage("convicted", "acquitted", "withdrawn"),
        "survivors_served": within(with_case_county(raw, "services"), "provided_on", start,
                                   end, codes)["case_key"].n_unique(),
        "people_trained": tr["participant_key"].n_unique(),
        "first_responders_trained": trained.filter(
            pl.col("course").is_in(register.IDENTIFICATION_COURSES)
            & pl.col("cadre").is_in(register.FIRST_RESPONDERS))["participant_key"].n_unique(),
        "prevention_trained": trained.filter(pl.col("course").is_in(
            register.PREVENTION_COURSES))["participant_key"].n_unique(),
        "outreach_participants": int((out["participants_female"]
                                      + out["participants_male"]).sum()),
        "hotline_reports": hot.height, "hotline_tip_reports": serious.height,
        "hotline_referred": serious.filter(pl.col("referred_to") != "none").height,
    }


MEASURE_TABLES = ("cases", "case_events", "services", "trainings", "outreach",
                  "hotline_reports")


def overview(engine: Engine, s: Scenario) -> dict[str, pl.DataFrame]:
    """headline: measure, current, previous (previous empty when the year-earlier period
    starts before the first report)."""
    raw = read(engine, *MEASURE_TABLES)
    f, codes = s.filters, allowed(s)
    now = measures(raw, codes, f.start, f.end)
    earlier = f.year_earlier()
    first = raw["cases"]["reported_on"].min()
    before = (measures(raw, codes, earlier.start, earlier.end)
              if first is not None and earlier.start >= first else {})
    return {"headline": pl.DataFrame(
        {"measure": list(OVERVIEW), "current": [now[m] for m in OVERVIEW],
         "previous": [before.get(m) for m in OVERVIEW]},
        schema={"measure": pl.String, "current": pl.Int64, "previous": pl.Int64})}


def _cohort_reach(raw: dict, s: Scenario) -> pl.DataFrame:
    """The cohort's cases with the highest progression rank reached by the as-of date and
    whether they were convicted by then."""
    f = s.filters
    cohort = within(raw["cases"], "reported_on", f.start, f.end, allowed(s)).select("case_key")
    ev = raw["case_events"].filter(pl.col("occurred_on") <= f.as_of).join(cohort, on="case_key")
    ranks = ev.with_columns(pl.col("stage").replace_strict(RANK, default=None,
                                                           return_dtype=pl.Int64).alias("rank"))
    per_case = ranks.group_by("case_key").agg(
        pl.col("rank").max().alias("rank"),
        (pl.col("stage") == "convicted").any().alias("convicted"))
    return cohort.join(per_case, on="case_key", how="left").with_columns(
        pl.col("rank").fill_null(0), pl.col("convicted").fill_null(False))


def funnel(engine: Engine, s: Scenario) -> dict[str, pl.DataFrame]:
    """funnel: stage, cases (cohort cases that reached it by the as-of date)."""
    reach = _cohort_reach(read(engine, "cases", "case_events"), s)
    counts = [reach.filter(pl.col("rank") >= i).height for i in range(len(ORDER))]
    return {"funnel": pl.DataFrame({"stage": [*ORDER, "convicted"],
                                    "cases": [*counts, int(reach["convicted"].sum())]})}


def progress(engine: Engine, s: Scenario) -> dict[str, pl.DataFrame]:
    """pending_by_month: month, pending (open at the month's end, or the period's end);
    services: service, survivors (different cases served in the period)."""
    raw = read(engine, "cases", "case_events", "services")
    f, codes = s.filters, allowed(s)
    cases = raw["cases"] if codes is None else raw["cases"].filter(
        pl.col("county_code").is_in(list(codes)))
    ended = raw["case_events"].filter(pl.col("stage").is_in(TERMINAL)).group_by(
        "case_key").agg(pl.col("occurred_on").min().alias("ended_on"))
    cases = cases.join(ended, on="case_key", how="left")
    months = period_keys(f.start, f.end, "month")
    pending = []
    for month in months:
        day = min(key_end(month), f.end)
        pending.append(cases.filter((pl.col("reported_on") <= day) & (
            pl.col("ended_on").is_null() | (pl.col("ended_on") > day))).height)
    served = within(with_case_county(raw, "services"), "provided_on", f.start, f.end, codes)
    services = served.group_by("service").agg(pl.col("case_key").n_unique().alias("survivors"))
    return {"pending_by_month": pl.DataFrame({"month": months, "pending": pending}),
            "services": services}


def county_map(engine: Engine, s: Scenario) -> dict[str, pl.DataFrame]:
    """counties: one row per county in scope with its counts."""
    raw = read(engine, "counties", *MEASURE_TABLES)
    f, codes = s.filters, allowed(s)
    rows = []
    for code in raw["counties"]["code"].sort():
        if codes is None or code in codes:
            m = measures(raw, (code,), f.start, f.end)
            rows.append({"county_code": code, "cases_reported": m["cases_reported"],
                         "charged": m["cases_charged"], "convicted": m["convictions"],
                         "people_trained": m["people_trained"],
                         "outreach_participants": m["outreach_participants"],
                         "hotline_reports": m["hotline_reports"]})
    return {"counties": pl.DataFrame(rows)}


def training(engine: Engine, s: Scenario) -> dict[str, pl.DataFrame]:
    """trained: county_code, cadre, delivery, participant_sex, people."""
    rows = within(read(engine, "trainings")["trainings"], "held_on", s.filters.start,
                  s.filters.end, allowed(s))
    return {"trained": rows.group_by("county_code", "cadre", "delivery", "participant_sex")
            .agg(pl.col("participant_key").n_unique().alias("people"))}


def outreach(engine: Engine, s: Scenario) -> dict[str, pl.DataFrame]:
    """sessions: county_code, audience, sessions, participants; hotline: county_code,
    category, channel, referred_to, reports, linked_to_case."""
    raw = read(engine, "outreach", "hotline_reports", "cases")
    f, codes = s.filters, allowed(s)
    held = within(raw["outreach"], "held_on", f.start, f.end, codes)
    calls = within(raw["hotline_reports"], "received_on", f.start, f.end, codes)
    known = calls["case_key"].is_in(raw["cases"]["case_key"].implode())
    return {
        "sessions": held.group_by("county_code", "audience").agg(
            pl.len().alias("sessions"), pl.col("participants_female").sum(),
            pl.col("participants_male").sum()),
        "hotline": calls.with_columns(known.alias("linked")).group_by(
            "county_code", "category", "channel", "referred_to").agg(
            pl.len().alias("reports"), pl.col("linked").sum().alias("linked_to_case")),
    }


def _indicator_rows(got: dict[str, int], codes: tuple[str, ...]) -> list[tuple]:
    rows = [(c, float(got[COUNTED[c]])) for c in codes if c in COUNTED]
    if "CONVICTION_RATE" in codes:
        rate = got["convictions"] / got["decided"] if got["decided"] else None
        rows.append(("CONVICTION_RATE", rate))
    return rows


def indicators(engine: Engine, s: Scenario) -> dict[str, pl.DataFrame]:
    """indicators: indicator_code, county_scope, actual (counted ones and the conviction rate)
    for ALL and each programme county, or the county chosen."""
    raw = read(engine, *MEASURE_TABLES)
    f, codes = s.filters, allowed(s)
    rows = []
    for county in (["ALL", *PROGRAMME] if codes is None else list(codes)):
        got = measures(raw, None if county == "ALL" else (county,), f.start, f.end)
        rows += [(code, county, v) for code, v in _indicator_rows(got, (*COUNTED,
                                                                         "CONVICTION_RATE"))]
    return {"indicators": pl.DataFrame(rows, orient="row", schema={
        "indicator_code": pl.String, "county_scope": pl.String, "actual": pl.Float64})}


def summary(engine: Engine, s: Scenario) -> dict[str, pl.DataFrame]:
    """headline: indicator_code, actual; funnel, training, outreach: measure, value."""
    got = measures(read(engine, *MEASURE_TABLES), allowed(s), s.filters.start, s.filters.end)

    def section(*names):
        return pl.DataFrame({"measure": list(names), "value": [got[m] for m in names]})

    return {"headline": pl.DataFrame(_indicator_rows(got, SUMMARY_HEADLINE), orient="row",
                                     schema={"indicator_code": pl.String,
                                             "actual": pl.Float64}),
            "funnel": section("cases_reported", "investigations_opened", "cases_charged",
                              "convictions", "decided"),
            "training": section("people_trained"),
            "outreach": section("outreach_participants", "hotline_reports",
                                "hotline_tip_reports", "hotline_referred")}


PAGES = {"overview": overview, "funnel": funnel, "progress": progress, "map": county_map,
         "training": training, "outreach": outreach, "indicators": indicators,
         "summary": summary}
