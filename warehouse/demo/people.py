"""Trainings of the justice and care workforce, and that workforce's headcounts."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import numpy as np

from warehouse import vocab
from warehouse.demo.common import Calendar, labels, nullable, probs
from warehouse.demo.keys import SourceKeys
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
from warehouse.demo.run import Run
from warehouse.reference import PROGRAMME_COUNTIES
from warehouse.schema import trainings, workforce

Headcounts = dict[tuple[str, str], list[int]]


class Cell(NamedTuple):
    """The people of one cadre in one programme county (positions in the vocabularies)."""

    county: int
    cadre: int
    n_people: int
    first_pid: int  # participant numbers first_pid .. first_pid + n_people - 1
# Columns of the participation table: one row per person, course, delivery and day.
PARTICIPATION = ("pid", "sex", "cadre", "county", "course", "delivery", "day")


def workforce_headcounts(rng, cal: Calendar) -> Headcounts:
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


def write_workforce(run: Run, headcount: Headcounts) -> int:
    rows = [
        (county, cadre, count, (dt.date(START.year + y, 1, 1) - START).days)
        for (county, cadre), counts in headcount.items()
        for y, count in enumerate(counts)
    ]
    county, cadre, count, day = zip(*rows, strict=True)
    columns = {
        "county_code": list(county),
        "cadre": list(cadre),
        "headcount": list(count),
        "as_of": run.sink.dates(np.array(day)),
    }
    return run.sink.insert(workforce, columns, run.batch["workforce"])


def write_trainings(run: Run, rng, headcount: Headcounts) -> int:
    """Participants per county and cadre (by population, below the cadre's headcount),
    each on one to three courses held in sessions, so people train in cohorts."""
    sessions = _sessions(rng, run.cal)
    alloc = _participants_per_cell(rng, run)
    parts, first_pid = [], 1
    for ci, county in enumerate(PROGRAMME_COUNTIES):
        for ki, cadre in enumerate(vocab.CADRES):
            cap = int(MAX_TRAINED_SHARE * min(headcount[(county, cadre)]))
            n_people = min(int(alloc[ci, ki]), cap)
            parts.append(_participation(rng, Cell(ci, ki, n_people, first_pid), sessions[ci]))
            first_pid += n_people
    # The same person on the same course, delivery and day is one row.
    table = np.unique(np.concatenate(parts, axis=1), axis=1)
    rows = {k: np.asarray(v, np.int64) for k, v in zip(PARTICIPATION, table, strict=True)}
    if not len(rows["pid"]):
        return 0
    order = np.lexsort((rows["pid"], rows["day"]))
    return _write_training_rows(run, rng, {k: v[order] for k, v in rows.items()})


def _participants_per_cell(rng, run: Run) -> np.ndarray:
    """People to train per programme county x cadre, by population and cadre."""
    target_rows = min(
        TRAINING_ROWS_MAX, max(TRAINING_ROWS_MIN, round(run.n_cases * TRAINING_ROWS_PER_CASE))
    )
    mean_courses = float(np.dot(probs(COURSES_PER_PARTICIPANT_P), [1, 2, 3]))
    cell_p = np.outer(run.ref.programme_share, probs(CADRE_P))
    want = round(target_rows / mean_courses)
    return rng.multinomial(want, cell_p.ravel()).reshape(cell_p.shape)


def _sessions(rng, cal: Calendar) -> list[dict[tuple[int, int], np.ndarray]]:
    """Per programme county: (course, delivery) -> its session days, more in later years."""
    months = (cal.until.year - START.year) * 12 + cal.until.month
    first_day = min(14, cal.last)
    out = []
    for _county in PROGRAMME_COUNTIES:
        per = {}
        for co in range(len(vocab.COURSES)):
            for de in range(len(vocab.DELIVERIES)):
                k = max(1, rng.poisson(SESSIONS_PER_MONTH[de] * months))
                u = np.sqrt(rng.random(k))  # the programme scales up
                per[(co, de)] = np.sort(
                    first_day + np.rint(u * (cal.last - first_day)).astype(np.int64)
                )
        out.append(per)
    return out


def _participation(rng, cell: Cell, sessions) -> np.ndarray:
    """PARTICIPATION rows (as a 2-D array) for the people of one cell."""
    n_people = cell.n_people
    u = rng.random(n_people)
    female = FEMALE_SHARE[cell.cadre]
    sex = np.where(u < 0.01, 2, np.where(u < 0.01 + 0.99 * female, 0, 1))
    n_courses = rng.choice(3, size=n_people, p=probs(COURSES_PER_PARTICIPANT_P)) + 1
    person = np.repeat(np.arange(n_people), n_courses)
    slots = len(person)
    course_p = probs(COURSE_P[vocab.CADRES[cell.cadre]])
    course = rng.choice(len(vocab.COURSES), size=slots, p=course_p)
    delivery = rng.choice(len(vocab.DELIVERIES), size=slots, p=probs(DELIVERY_P))
    pick = rng.random(slots)
    day = np.empty(slots, np.int64)
    for (co, de), dates in sessions.items():
        rows = (course == co) & (delivery == de)
        day[rows] = dates[(pick[rows] * len(dates)).astype(np.int64)]
    constant = [np.full(slots, cell.cadre), np.full(slots, cell.county)]
    return np.stack([cell.first_pid + person, sex[person], *constant, course, delivery, day])


def _write_training_rows(run: Run, rng, a: dict[str, np.ndarray]) -> int:
    n = len(a["pid"])
    scored = a["delivery"] == vocab.DELIVERIES.index("training")
    pre = np.clip(np.rint(rng.normal(50.0, 13.0, n)), 0, 100)
    post = np.clip(np.rint(pre + rng.normal(17.0, 9.0, n)), 0, 100)
    pre_ok = rng.random(n) < np.where(scored, 0.94, 0.30)
    post_ok = rng.random(n) < np.where(scored, 0.91, 0.35)
    keys = SourceKeys(run.pseudonyms["participant"], "P", int(a["pid"].max()))
    written = run.sink.insert(
        trainings,
        {
            "participant_key": keys.hex(a["pid"] - 1).tolist(),  # pid 1 is DEMO-P-000001
            "participant_sex": labels(vocab.SEXES, a["sex"]),
            "cadre": labels(vocab.CADRES, a["cadre"]),
            "county_code": labels(PROGRAMME_COUNTIES, a["county"]),
            "course": labels(vocab.COURSES, a["course"]),
            "delivery": labels(vocab.DELIVERIES, a["delivery"]),
            "held_on": run.sink.dates(a["day"]),
            "pre_score": nullable(pre.tolist(), pre_ok),
            "post_score": nullable(post.tolist(), post_ok),
        },
        run.batch["trainings"],
    )
    trained = np.unique(np.stack([a["pid"], a["county"], run.cal.quarter[a["day"]]]), axis=1)
    run.actuals.add("PEOPLE_TRAINED", run.ref.programme[trained[1]], trained[2])
    return written
