"""Independent computations of the map, training and outreach figures.

Plain polars over whole tables read with ``select(table)``: nothing from queries/, metrics/
or figures/. A case's county is taken from the cases table (never from the county carried
on its event rows); "people" are distinct participant keys. The rules are written from
the figures contract (../shared/contracts/figures.md), not from the code under test.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from sqlalchemy import select

from warehouse.schema import (
    case_events,
    cases,
    counties,
    hotline_reports,
    outreach,
    sub_counties,
    targets,
    trainings,
    workforce,
)

TABLES = (counties, cases, case_events, trainings, workforce, outreach, hotline_reports,
          targets, sub_counties)

# The figures contract's columns, written out by hand.
CONTRACT = {
    "map": {"counties": ["county_code", "county", "population_2019", "cases_reported",
                         "cases_per_100k", "charged", "convicted", "conviction_rate",
                         "people_trained", "outreach_participants", "hotline_reports"]},
    "training": {
        "trained": ["county_code", "cadre", "delivery", "participant_sex", "people"],
        "coverage": ["county_code", "cadre", "trained", "headcount", "headcount_as_of",
                     "coverage"],
        "learning": ["course", "cadre", "sessions", "with_both_scores", "mean_pre",
                     "mean_post", "gained_10", "only_one_score"],
    },
    "outreach": {
        "sessions": ["county_code", "audience", "sessions", "participants_female",
                     "participants_male"],
        "hotline": ["county_code", "category", "channel", "referred_to", "reports",
                    "linked_to_case"],
        "monthly": ["month", "county_code", "outreach_participants", "hotline_reports",
                    "cases_reported"],
    },
}


def load(engine) -> dict[str, pl.DataFrame]:
    return read_tables(engine, TABLES)


def read_tables(engine, tables) -> dict[str, pl.DataFrame]:
    """Whole raw tables as polars frames, read with plain selects (no Haki query code)."""
    out = {}
    with engine.connect() as conn:
        for table in tables:
            rows = conn.execute(select(table)).mappings().all()
            out[table.name] = pl.DataFrame([dict(r) for r in rows], infer_schema_length=None,
                                           schema=None if rows else list(table.c.keys()))
    return out


def allowed(scope, filters):
    if scope.counties is None:
        return filters.counties
    return filters.counties or scope.counties


def _within(df, day, start, end, codes, county="county_code"):
    df = df.filter(pl.col(day).is_between(start, end))
    return df if codes is None else df.filter(pl.col(county).is_in(list(codes)))


def _events_with_case_county(raw):
    return raw["case_events"].drop("county_code").join(
        raw["cases"].select("case_key", "county_code"), on="case_key")


def map_counties(raw, codes, start: date, end: date) -> dict[str, dict]:
    """county code -> the contract's row, computed one county at a time."""
    events = _events_with_case_county(raw)
    out = {}
    for c in raw["counties"].sort("code").iter_rows(named=True):
        if codes is not None and c["code"] not in codes:
            continue
        one = (c["code"],)
        reported = _within(raw["cases"], "reported_on", start, end, one).height
        ev = _within(events, "occurred_on", start, end, one)
        convicted = ev.filter(pl.col("stage") == "convicted").height
        decided = ev.filter(pl.col("stage").is_in(["convicted", "acquitted", "withdrawn"])).height
        reached = _within(raw["outreach"], "held_on", start, end, one)
        out[c["code"]] = {
            "county_code": c["code"], "county": c["name"],
            "population_2019": c["population_2019"], "cases_reported": reported,
            "cases_per_100k": reported * 100000 / c["population_2019"],
            "charged": ev.filter(pl.col("stage") == "charged").height,
            "convicted": convicted,
            "conviction_rate": convicted / decided if decided else None,
            "people_trained": _within(raw["trainings"], "held_on", start, end, one)
            ["participant_key"].n_unique(),
            "outreach_participants": int((reached["participants_female"]
                                          + reached["participants_male"]).sum()),
            "hotline_reports": _within(raw["hotline_reports"], "received_on", start, end,
                                       one).height,
        }
    return out


def trained(raw, codes, start, end) -> dict[tuple, int]:
    rows = _within(raw["trainings"], "held_on", start, end, codes)
    out = {}
    for key, part in rows.group_by(["county_code", "cadre", "delivery", "participant_sex"]):
        out[tuple(key)] = part["participant_key"].n_unique()
    return out


def coverage(raw, codes, end) -> dict[tuple, dict]:
    done = raw["trainings"].filter((pl.col("delivery") == "training")
                                   & (pl.col("held_on") <= end))
    if codes is not None:
        done = done.filter(pl.col("county_code").is_in(list(codes)))
    heads = raw["workforce"].filter(pl.col("as_of") <= end)
    if codes is not None:
        heads = heads.filter(pl.col("county_code").is_in(list(codes)))
    keys = set(zip(done["county_code"], done["cadre"], strict=True)) | set(
        zip(heads["county_code"], heads["cadre"], strict=True))
    out = {}
    for county, cadre in keys:
        people = done.filter((pl.col("county_code") == county) & (pl.col("cadre") == cadre))[
            "participant_key"].n_unique()
        mine = heads.filter((pl.col("county_code") == county) & (pl.col("cadre") == cadre))
        latest = mine.sort("as_of").tail(1)
        headcount = latest["headcount"].item() if latest.height else None
        out[(county, cadre)] = {
            "trained": people, "headcount": headcount,
            "headcount_as_of": latest["as_of"].item() if latest.height else None,
            "coverage": people / headcount if headcount else None,
        }
    return out


def learning(raw, codes, start, end) -> dict[tuple, dict]:
    rows = _within(raw["trainings"], "held_on", start, end, codes).filter(
        pl.col("delivery") == "training")
    out = {}
    for (course, cadre), part in rows.group_by(["course", "cadre"]):
        both = part.filter(pl.col("pre_score").is_not_null() & pl.col("post_score").is_not_null())
        one = part.filter(pl.col("pre_score").is_null() != pl.col("post_score").is_null())
        out[(course, cadre)] = {
            "sessions": part.height, "with_both_scores": both.height,
            "mean_pre": both["pre_score"].mean() if both.height else None,
            "mean_post": both["post_score"].mean() if both.height else None,
            "gained_10": both.filter(pl.col("post_score") - pl.col("pre_score") >= 10).height,
            "only_one_score": one.height,
        }
    return out


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarterly_people(raw, codes, start, end) -> dict[str, int]:
    rows = _within(raw["trainings"], "held_on", start, end, codes)
    out = {}
    for row in rows.iter_rows(named=True):
        out.setdefault(quarter_of(row["held_on"]), set()).add(row["participant_key"])
    return {q: len(people) for q, people in out.items()}


def sessions(raw, codes, start, end) -> dict[tuple, tuple]:
    rows = _within(raw["outreach"], "held_on", start, end, codes)
    out = {}
    for (county, audience), part in rows.group_by(["county_code", "audience"]):
        out[(county, audience)] = (part.height, int(part["participants_female"].sum()),
                                   int(part["participants_male"].sum()))
    return out


def hotline(raw, codes, start, end) -> dict[tuple, tuple]:
    rows = _within(raw["hotline_reports"], "received_on", start, end, codes)
    known = set(raw["cases"]["case_key"])
    out = {}
    for row in rows.iter_rows(named=True):
        key = (row["county_code"], row["category"], row["channel"], row["referred_to"])
        n, linked = out.get(key, (0, 0))
        out[key] = (n + 1, linked + (row["case_key"] in known))
    return out


def monthly(raw, codes, start, end) -> dict[tuple, tuple]:
    """(month, county) -> (outreach participants, hotline reports, cases reported), for
    the months and counties with at least one."""
    out = {}

    def add(df, day, i, amount):
        for row in _within(df, day, start, end, codes).iter_rows(named=True):
            key = (row[day].strftime("%Y-%m"), row["county_code"])
            values = list(out.get(key, (0, 0, 0)))
            values[i] += amount(row)
            out[key] = tuple(values)

    add(raw["outreach"], "held_on", 0,
        lambda r: r["participants_female"] + r["participants_male"])
    add(raw["hotline_reports"], "received_on", 1, lambda r: 1)
    add(raw["cases"], "reported_on", 2, lambda r: 1)
    return out
