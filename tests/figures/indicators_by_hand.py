"""Every registered indicator computed by hand: plain polars over whole tables read with
``select(table)``, nothing from queries/, metrics/ or figures/, and never the maintained
``case_milestones`` table (stages are read from the case events themselves). The rules are
written from the register's words and the figures contract."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from tests.figures.independent import read_tables
from warehouse.schema import (
    case_events,
    cases,
    hearings,
    hotline_reports,
    outreach,
    services,
    trainings,
)
from warehouse.schema import targets as targets_table

TABLES = (cases, case_events, hearings, services, trainings, outreach, hotline_reports,
          targets_table)
SERIOUS = ("child_trafficking", "sexual_exploitation")
FIRST_RESPONDERS = ("police", "children_officer", "health_worker", "cso_caseworker")
# The stages at or after each one, for "reached" (verdicts count as a judgment).
AT_OR_AFTER = {
    "charged": ("charged", "trial_started", "judgment", "convicted", "acquitted"),
    "judgment": ("judgment", "convicted", "acquitted"),
}
TERMINAL = ("convicted", "acquitted", "withdrawn", "closed_no_further_action")
MEASURES = ("in_camera", "intermediary", "screen", "video_link", "support_person")


def load(engine) -> dict[str, pl.DataFrame]:
    return read_tables(engine, TABLES)


def _in(df, day, start, end, codes, county="county_code"):
    df = df.filter(pl.col(day).is_between(start, end))
    return df if codes is None else df.filter(pl.col(county).is_in(list(codes)))


def _share(a, b):
    return None if not b else a / b


def _median(values):
    return float(np.median(values)) if len(values) else None


def _events(raw):
    home = raw["cases"].select("case_key", pl.col("county_code").alias("home"))
    return raw["case_events"].join(home, on="case_key")


def _reached_on(raw, stage, as_of):
    """case_key -> the day it reached ``stage``, for cases that had by ``as_of``."""
    ev = raw["case_events"].filter(pl.col("stage").is_in(AT_OR_AFTER[stage]))
    first = ev.group_by("case_key").agg(pl.col("occurred_on").min().alias("on"))
    return first.filter(pl.col("on") <= as_of)


def _cohort(raw, codes, start, end):
    return _in(raw["cases"], "reported_on", start, end, codes)


def indicator(raw, code, codes, start: date, end: date, as_of: date):
    """(actual, base) of ``code`` for [start, end] in ``codes`` (None: all), as of ``as_of``."""
    t = raw["trainings"]
    ev = _events(raw)
    hot = _in(raw["hotline_reports"], "received_on", start, end, codes)
    tr = _in(t, "held_on", start, end, codes)
    trained = tr.filter(pl.col("delivery") == "training")
    count = {
        "PS.5.1-28": lambda: trained.filter(
            pl.col("course").is_in(["trauma_informed_investigation", "referral_pathways_nrm"])
            & pl.col("cadre").is_in(FIRST_RESPONDERS))["participant_key"].n_unique(),
        "PS.5.1-29": lambda: hot.filter(pl.col("category").is_in(SERIOUS)
                                        & (pl.col("referred_to") != "none")).height,
        "PS.5.3-15": lambda: trained.filter(pl.col("course") == "referral_pathways_nrm")[
            "participant_key"].n_unique(),
        "PEOPLE_TRAINED": lambda: tr["participant_key"].n_unique(),
        "OUTREACH_PARTICIPANTS": lambda: int(
            _in(raw["outreach"], "held_on", start, end, codes)
            .select(pl.col("participants_female") + pl.col("participants_male")).sum().item()
            or 0),
        "HOTLINE_TIP_REPORTS": lambda: hot.filter(pl.col("category").is_in(SERIOUS)).height,
        "CASES_REPORTED": lambda: _cohort(raw, codes, start, end).height,
        "SURVIVORS_SERVED": lambda: _in(
            raw["services"].join(raw["cases"].select("case_key", pl.col("county_code")
                                                     .alias("home")), on="case_key"),
            "provided_on", start, end, codes, "home")["case_key"].n_unique(),
    }
    stages = {"CASES_INVESTIGATED": "investigation_opened", "CASES_CHARGED": "charged",
              "CONVICTIONS": "convicted"}
    if code in count:
        return count[code](), None
    events = _in(ev, "occurred_on", start, end, codes, "home")
    if code in stages:
        return events.filter(pl.col("stage") == stages[code]).height, None
    if code == "CONVICTION_RATE":
        decided = events.filter(pl.col("stage").is_in(["convicted", "acquitted", "withdrawn"]))
        return _share(decided.filter(pl.col("stage") == "convicted").height, decided.height), \
            decided.height
    if code == "KNOWLEDGE_GAIN":
        both = trained.filter(pl.col("pre_score").is_not_null()
                              & pl.col("post_score").is_not_null())
        gained = both.filter(pl.col("post_score") - pl.col("pre_score") >= 10).height
        return _share(gained, both.height), both.height
    cohort = _cohort(raw, codes, start, end)
    if code in ("REPORT_TO_CHARGE_DAYS", "CHARGE_TO_JUDGMENT_DAYS"):
        charged = _reached_on(raw, "charged", as_of).rename({"on": "charged"})
        rows = cohort.join(charged, on="case_key")
        if code == "REPORT_TO_CHARGE_DAYS":
            days = (rows["charged"] - rows["reported_on"]).dt.total_days()
        else:
            rows = rows.join(_reached_on(raw, "judgment", as_of).rename({"on": "judged"}),
                             on="case_key")
            days = (rows["judged"] - rows["charged"]).dt.total_days()
        return _median(days.to_list()), rows.height
    if code in ("OPEN_OVER_6_MONTHS", "OPEN_OVER_3_YEARS"):
        ended = raw["case_events"].filter(pl.col("stage").is_in(TERMINAL)
                                          & (pl.col("occurred_on") <= end))["case_key"]
        every = raw["cases"] if codes is None else raw["cases"].filter(
            pl.col("county_code").is_in(list(codes)))
        open_ = every.filter((pl.col("reported_on") <= end) & ~pl.col("case_key").is_in(ended.to_list()))
        age = open_.select((pl.lit(end) - pl.col("reported_on")).dt.total_days())
        limit = 183 if code == "OPEN_OVER_6_MONTHS" else 1096
        return _share(int((age.to_series() >= limit).sum()), open_.height), open_.height
    if code == "TESTIMONY_PROTECTED":
        h = raw["hearings"].join(raw["cases"].select("case_key", pl.col("county_code")
                                                     .alias("home")), on="case_key")
        h = _in(h, "hearing_on", start, end, codes, "home").filter(pl.col("survivor_testified"))
        protected = h.filter(pl.any_horizontal([pl.col(f"measure_{m}") for m in MEASURES]))
        return _share(protected.height, h.height), h.height
    if code == "DAYS_TO_FIRST_SERVICE":
        first = raw["services"].group_by("case_key").agg(pl.col("provided_on").min()
                                                         .alias("first"))
        rows = cohort.join(first, on="case_key").filter(pl.col("first") <= as_of)
        return _median((rows["first"] - rows["reported_on"]).dt.total_days().to_list()), \
            rows.height
    if code == "CONSENT_DOCUMENTED":
        documented = cohort.filter(pl.col("consent_documented").fill_null(False)).height
        return _share(documented, cohort.height), cohort.height
    raise KeyError(code)


def target(raw, code, period, scope):
    t = raw["targets"].filter((pl.col("indicator_code") == code)
                              & (pl.col("county_scope") == scope))
    exact = t.filter(pl.col("period") == period)["target"]
    return float(exact.item()) if exact.len() else None
