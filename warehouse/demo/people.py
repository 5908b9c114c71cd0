"""Trainings of the justice and care workforce, and that workforce's headcounts."""

from __future__ import annotations

import datetime as dt

import numpy as np

from warehouse import vocab
from warehouse.demo.common import _Calendar, _insert, _nullable, _p
from warehouse.demo.params import (
    CADRE_P,
    COURSE_P,
    COURSES_PER_PARTICIPANT_P,
    DELIVERY_P,
    FEMALE_SHARE,
    MAX_TRAINED_SHARE,
    SESSIONS_PER_MONTH,
    START,
    TRAINING_ROWS_MAX,
    TRAINING_ROWS_MIN,
    TRAINING_ROWS_PER_CASE,
    WORKFORCE_2021,
    WORKFORCE_GROWTH,
)
from warehouse.reference import PROGRAMME_COUNTIES
from warehouse.schema import trainings, workforce


def _workforce_headcounts(rng, cal: _Calendar) -> dict[tuple[str, str], list[int]]:
    """(county, cadre) -> headcount on 1 January of each year from 2021 to until's year."""
    years = cal.until.year - START.year + 1
    out = {}
    for cadre in vocab.CADRES:
        for county in PROGRAMME_COUNTIES:
            base = WORKFORCE_2021[cadre][county]
            growth = (1 + WORKFORCE_GROWTH) ** np.arange(years)
            noise = np.exp(rng.normal(0.0, 0.03, years))
            out[(county, cadre)] = (
                np.maximum(1, np.rint(base * growth * noise)).astype(int).tolist()
            )
    return out


def _write_workforce(conn, cal, headcount, batch_id) -> int:
    cols = {"county_code": [], "cadre": [], "headcount": [], "as_of": []}
    for (county, cadre), counts in headcount.items():
        for y, h in enumerate(counts):
            cols["county_code"].append(county)
            cols["cadre"].append(cadre)
            cols["headcount"].append(h)
            cols["as_of"].append(dt.date(START.year + y, 1, 1))
    return _insert(conn, workforce, cols, batch_id=batch_id)


def _trainings(conn, rng, cal, ref, actuals, pseudonymize, batch_id, n_cases, headcount) -> int:
    target_rows = min(
        TRAINING_ROWS_MAX, max(TRAINING_ROWS_MIN, round(n_cases * TRAINING_ROWS_PER_CASE))
    )
    mean_courses = float(np.dot(_p(COURSES_PER_PARTICIPANT_P), [1, 2, 3]))
    want = round(target_rows / mean_courses)
    # Participants per county x cadre: by population and cadre, never more than the
    # cadre's smallest headcount there allows (coverage stays below 100%).
    cell_p = np.outer(ref.programme_share, _p(CADRE_P))
    alloc = rng.multinomial(want, cell_p.ravel()).reshape(cell_p.shape)

    # Sessions: each county x course x delivery has its own dates, so people train in cohorts.
    months = (cal.until.year - START.year) * 12 + cal.until.month
    first_day = min(14, cal.last)
    sessions = {}
    for ci in range(len(PROGRAMME_COUNTIES)):
        for co in range(len(vocab.COURSES)):
            for de in range(len(vocab.DELIVERIES)):
                k = max(1, rng.poisson(SESSIONS_PER_MONTH[de] * months))
                # Later years hold more sessions: the programme scales up.
                u = np.sqrt(rng.random(k))
                sessions[(ci, co, de)] = np.sort(
                    first_day + np.rint(u * (cal.last - first_day)).astype(np.int64)
                )

    parts = []
    first_pid = 1
    for ci, county in enumerate(PROGRAMME_COUNTIES):
        for ki, cadre in enumerate(vocab.CADRES):
            cap = int(MAX_TRAINED_SHARE * min(headcount[(county, cadre)]))
            n_people = min(int(alloc[ci, ki]), cap)
            u = rng.random(n_people)
            sex = np.where(u < 0.01, 2, np.where(u < 0.01 + 0.99 * FEMALE_SHARE[ki], 0, 1))
            n_courses = rng.choice(3, size=n_people, p=_p(COURSES_PER_PARTICIPANT_P)) + 1
            person = np.repeat(np.arange(n_people), n_courses)
            slots = len(person)
            course = rng.choice(len(vocab.COURSES), size=slots, p=_p(COURSE_P[cadre]))
            delivery = rng.choice(len(vocab.DELIVERIES), size=slots, p=_p(DELIVERY_P))
            pick = rng.random(slots)
            day = np.empty(slots, np.int64)
            for (c, co, de), dates in sessions.items():
                if c != ci:
                    continue
                rows_ = (course == co) & (delivery == de)
                day[rows_] = dates[(pick[rows_] * len(dates)).astype(np.int64)]
            parts.append(
                np.stack(
                    [
                        first_pid + person,
                        sex[person],
                        np.full(slots, ki),
                        np.full(slots, ci),
                        course,
                        delivery,
                        day,
                    ]
                )
            )
            first_pid += n_people
    # The same person on the same course, delivery and day is one row.
    table = np.unique(np.concatenate(parts, axis=1), axis=1)
    rows = dict(
        zip(("pid", "sex", "cadre", "county", "course", "delivery", "day"), table, strict=True)
    )
    a = {k: np.asarray(v, dtype=np.int64) for k, v in rows.items()}
    n = len(a["pid"])
    if not n:
        return 0
    order = np.lexsort((a["pid"], a["day"]))
    a = {k: v[order] for k, v in a.items()}
    scored = a["delivery"] == vocab.DELIVERIES.index("training")
    pre = np.clip(np.rint(rng.normal(50.0, 13.0, n)), 0, 100)
    post = np.clip(np.rint(pre + rng.normal(17.0, 9.0, n)), 0, 100)
    pre_ok = rng.random(n) < np.where(scored, 0.94, 0.30)
    post_ok = rng.random(n) < np.where(scored, 0.91, 0.35)
    keys = {p: pseudonymize(f"DEMO-P-{p:06d}") for p in np.unique(a["pid"]).tolist()}
    written = _insert(
        conn,
        trainings,
        {
            "participant_key": [keys[p] for p in a["pid"].tolist()],
            "participant_sex": [vocab.SEXES[i] for i in a["sex"].tolist()],
            "cadre": [vocab.CADRES[i] for i in a["cadre"].tolist()],
            "county_code": [PROGRAMME_COUNTIES[i] for i in a["county"].tolist()],
            "course": [vocab.COURSES[i] for i in a["course"].tolist()],
            "delivery": [vocab.DELIVERIES[i] for i in a["delivery"].tolist()],
            "held_on": cal.to_dates(a["day"]),
            "pre_score": _nullable(pre.tolist(), pre_ok),
            "post_score": _nullable(post.tolist(), post_ok),
        },
        batch_id=batch_id,
    )
    trained = np.unique(np.stack([a["pid"], a["county"], cal.quarter[a["day"]]]), axis=1)
    actuals.add("PEOPLE_TRAINED", ref.programme[trained[1]], trained[2])
    return written
