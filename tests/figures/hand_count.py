"""The funnel and progress figures counted by hand from the raw tables.

Plain Python over the rows of ``cases``, ``case_events``, ``hearings``, ``services`` and
``court_stations``: no ``case_milestones``, no code from queries/, metrics/ or figures/.
A case's county comes from ``cases``, never from the county carried on its fact rows.
Each function returns a contract table as (columns, rows), rules written out from
``shared/contracts/figures.md``.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from sqlalchemy import select

from warehouse.schema import case_events, cases, court_stations, hearings, services

ORDER = ["reported", "investigation_opened", "suspect_arrested", "charged", "trial_started",
         "judgment"]
RANK = {s: i for i, s in enumerate(ORDER)} | {"convicted": 5, "acquitted": 5}
TERMINAL = ("convicted", "acquitted", "withdrawn", "closed_no_further_action")
ALL_STAGES = ORDER + list(TERMINAL)
OFFENCES = ["child_trafficking", "child_prostitution", "child_sex_tourism",
            "other_sexual_exploitation"]
AGES = ["0-11", "12-14", "15-17"]
SEXES = ["female", "male", "unknown"]
REFERRALS = ["hotline_116", "police", "community", "school", "boda_boda", "health_facility",
             "civil_society", "court", "self", "other"]
REASONS = ["prosecution_not_ready", "witness_absent", "accused_absent", "court_unavailable",
           "defence_request", "other"]
MEASURES = ["in_camera", "intermediary", "screen", "video_link", "support_person"]
SERVICES = ["psychosocial", "medical", "shelter", "legal_aid", "education_support",
            "family_reintegration", "economic_support"]


@dataclass
class Case:
    row: dict
    events: dict[str, date] = field(default_factory=dict)
    services: list[date] = field(default_factory=list)

    def reach_date(self, stage: str) -> date | None:
        """The earliest event at ``stage`` or later (verdicts are judgment)."""
        if stage == "reported":
            return self.row["reported_on"]
        days = [d for s, d in self.events.items() if s in RANK and RANK[s] >= RANK[stage]]
        return min(days) if days else None

    def reached(self, stage: str, on: date) -> bool:
        if stage == "convicted":
            return "convicted" in self.events and self.events["convicted"] <= on
        when = self.reach_date(stage)
        return when is not None and when <= on

    def terminal(self, on: date) -> str | None:
        ended = [s for s in TERMINAL if s in self.events and self.events[s] <= on]
        assert len(ended) <= 1, "the data contract allows one terminal stage"
        return ended[0] if ended else None

    def open_on(self, on: date) -> bool:
        return self.row["reported_on"] <= on and self.terminal(on) is None

    def current(self, on: date) -> tuple[str, date]:
        """The latest progression stage reached by ``on`` and the date of its event."""
        dated = [(RANK[s], d) for s, d in self.events.items() if s in ORDER and d <= on]
        rank, when = max(dated, default=(0, self.row["reported_on"]))
        return ORDER[rank], (self.row["reported_on"] if rank == 0 else when)


class Warehouse:
    """The raw rows, read once."""

    def __init__(self, engine):
        with engine.connect() as conn:
            def rows(table):
                return [dict(r) for r in conn.execute(select(table)).mappings()]
            self.cases = {r["case_key"]: Case(r) for r in rows(cases)}
            for e in rows(case_events):
                self.cases[e["case_key"]].events[e["stage"]] = e["occurred_on"]
            self.services = rows(services)
            for s in self.services:
                self.cases[s["case_key"]].services.append(s["provided_on"])
            self.hearings = rows(hearings)
            self.stations = {r["id"]: r["name"] for r in rows(court_stations)}

    def county(self, case_key: str) -> str:
        return self.cases[case_key].row["county_code"]


def _median(values, q=50):
    return float(np.percentile(values, q)) if values else None


def _share(a, b):
    return a / b if b else None


class HandCount:
    """One reader's choices: ``counties`` (None: all), period [start, end], as-of date."""

    def __init__(self, wh: Warehouse, counties, start: date, end: date, as_of: date):
        self.wh, self.start, self.end, self.as_of = wh, start, end, as_of
        self.counties = None if counties is None else set(counties)
        self.mine = [c for c in wh.cases.values() if self._ok(c.row["county_code"])]
        self.cohort = [c for c in self.mine if start <= c.row["reported_on"] <= end]

    def _ok(self, county: str) -> bool:
        return self.counties is None or county in self.counties

    def _dated(self, rows, column):
        return [r for r in rows if self._ok(self.wh.county(r["case_key"]))
                and self.start <= r[column] <= self.end]

    # --- funnel --------------------------------------------------------------------
    def funnel(self):
        rows, reported, previous = [], None, None
        for stage in ORDER + ["convicted"]:
            n = sum(c.reached(stage, self.as_of) for c in self.cohort)
            reported = n if reported is None else reported
            rows.append([stage, n, _share(n, reported),
                         None if previous is None else _share(n, previous)])
            previous = n
        return ["stage", "cases", "share_of_reported", "conversion"], rows

    def exits(self):
        rows = [[s, sum(c.terminal(self.as_of) == s for c in self.cohort)]
                for s in ("acquitted", "withdrawn", "closed_no_further_action")]
        rows.append(["still_open", sum(c.open_on(self.as_of) for c in self.cohort)])
        return ["exit", "cases"], rows

    def durations(self):
        rows = []
        for name, (a, b) in {"report_to_charge": ("reported", "charged"),
                             "charge_to_judgment": ("charged", "judgment"),
                             "report_to_judgment": ("reported", "judgment")}.items():
            days = [(c.reach_date(b) - c.reach_date(a)).days for c in self.cohort
                    if c.reached(a, self.as_of) and c.reached(b, self.as_of)]
            rows.append([name, len(days), _median(days), _median(days, 75)])
        return ["interval", "cases", "median_days", "p75_days"], rows

    def pending(self):
        waiting = defaultdict(list)
        for c in self.cohort:
            if c.open_on(self.as_of):
                stage, since = c.current(self.as_of)
                waiting[stage].append((self.as_of - since).days)
        rows = [[s, len(waiting[s]), _median(waiting[s])] for s in ORDER]
        return ["current_stage", "cases", "median_days_waiting"], rows

    def activity(self):
        events = [(s, d, k) for k, c in self.wh.cases.items() for s, d in c.events.items()]
        counted = defaultdict(int)
        for stage, day, key in events:
            if self._ok(self.wh.county(key)) and self.start <= day <= self.end:
                counted[stage] += 1
        return ["stage", "events"], [[s, counted[s]] for s in ALL_STAGES]

    def breakdown(self):
        dims = {"county": None, "offence": OFFENCES, "victim_age_band": AGES,
                "victim_sex": SEXES, "referral_source": REFERRALS}
        column = {"county": "county_code"}
        rows = []
        for dim, codes in dims.items():
            col = column.get(dim, dim)
            if codes is None:
                codes = sorted(self.counties) if self.counties is not None else sorted(
                    {c.row[col] for c in self.cohort})
            for code in codes:
                group = [c for c in self.cohort if c.row[col] == code]
                rows.append([dim, code, len(group),
                             sum(c.reached("charged", self.as_of) for c in group),
                             sum(c.reached("convicted", self.as_of) for c in group)])
        return ["dimension", "value", "reported", "charged", "convicted"], rows

    # --- progress -------------------------------------------------------------------
    def months(self):
        out, (y, m) = [], (self.start.year, self.start.month)
        while (y, m) <= (self.end.year, self.end.month):
            last = date(y, m, calendar.monthrange(y, m)[1])
            out.append((f"{y:04d}-{m:02d}", min(last, self.end)))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def pending_by_month(self):
        rows = [[k, sum(c.open_on(d) for c in self.mine)] for k, d in self.months()]
        return ["month", "pending"], rows

    def pending_age(self):
        buckets = {"under_6_months": 0, "6_to_12_months": 0, "1_to_3_years": 0,
                   "over_3_years": 0}
        for c in self.mine:
            if c.open_on(self.as_of):
                age = (self.as_of - c.row["reported_on"]).days
                key = ("under_6_months" if age < 183 else "6_to_12_months" if age <= 364
                       else "1_to_3_years" if age <= 1095 else "over_3_years")
                buckets[key] += 1
        return ["bucket", "cases"], [[k, n] for k, n in buckets.items()]

    def _hearings(self):
        return self._dated(self.wh.hearings, "hearing_on")

    def adjournments(self):
        rows = []
        for key, _ in self.months():
            month = [h for h in self._hearings() if h["hearing_on"].strftime("%Y-%m") == key]
            adjourned = sum(h["status"] == "adjourned" for h in month)
            rows.append([key, len(month), adjourned, _share(adjourned, len(month))])
        return ["month", "hearings", "adjourned", "adjournment_rate"], rows

    def adjournment_reasons(self):
        rows = [[r, sum(h["adjournment_reason"] == r for h in self._hearings())]
                for r in REASONS]
        return ["reason", "hearings"], rows

    def adjournments_by_station(self):
        by = defaultdict(list)
        for h in self._hearings():
            by[self.wh.stations[h["court_station_id"]]].append(h["status"] == "adjourned")
        rows = [[name, len(v), sum(v), _share(sum(v), len(v))] for name, v in sorted(by.items())]
        return ["court_station", "hearings", "adjourned", "adjournment_rate"], rows

    def testimony(self):
        testified = [h for h in self._hearings() if h["survivor_testified"]]
        used = {m: [h for h in testified if h[f"measure_{m}"]] for m in MEASURES}
        any_ = [h for h in testified if any(h[f"measure_{m}"] for m in MEASURES)]
        rows = [["any", len(any_), _share(len(any_), len(testified))]]
        rows += [[m, len(used[m]), _share(len(used[m]), len(testified))] for m in MEASURES]
        return ["measure", "hearings", "share"], rows

    def services(self):
        got = defaultdict(set)
        for s in self._dated(self.wh.services, "provided_on"):
            got[s["service"]].add(s["case_key"])
        return ["service", "survivors"], [[s, len(got[s])] for s in SERVICES]

    def time_to_service(self):
        days = [(min(c.services) - c.row["reported_on"]).days for c in self.cohort
                if c.services and min(c.services) <= self.as_of]
        return ["cases", "median_days"], [[len(days), _median(days)]]
