"""Community outreach sessions: audiences, topics and participants."""

from __future__ import annotations

import datetime as dt

import numpy as np

from warehouse import vocab
from warehouse.demo.common import labels, nullable, probs
from warehouse.demo.keys import SourceKeys
from warehouse.demo.params import (
    AUDIENCE_P,
    AUDIENCE_SIZE,
    GROWTH_PER_YEAR,
    START,
    SUB_COUNTY_RECORDED,
    TOPIC_P,
)
from warehouse.demo.run import Run
from warehouse.reference import PROGRAMME_COUNTIES
from warehouse.schema import outreach


def write_outreach(run: Run, rng) -> int:
    """Sessions in every programme county nearly every month, more as the programme grows."""
    days, programme_county = _session_days(run, rng)
    n = len(days)
    if not n:
        return 0
    county = run.ref.programme[programme_county]
    sub_id, sub_found = run.ref.pick(rng, run.ref.subs, county)
    sub_found &= rng.random(n) < SUB_COUNTY_RECORDED
    audience = rng.choice(len(vocab.AUDIENCES), size=n, p=probs(AUDIENCE_P))
    low, high, female_share = (
        np.array([AUDIENCE_SIZE[a][k] for a in vocab.AUDIENCES])[audience] for k in range(3)
    )
    total = rng.integers(low, high + 1)
    female = rng.binomial(total, female_share)
    keys = SourceKeys(run.pseudonyms["event"], "E", n)
    written = run.sink.insert(
        outreach,
        {
            "event_key": keys.hex(np.arange(n)).tolist(),
            "held_on": run.sink.dates(days),
            "county_code": labels(tuple(run.ref.codes), county),
            "sub_county_id": nullable(sub_id.tolist(), sub_found),
            "audience": labels(vocab.AUDIENCES, audience),
            "topic": labels(vocab.TOPICS, rng.choice(len(vocab.TOPICS), size=n, p=probs(TOPIC_P))),
            "participants_female": female.tolist(),
            "participants_male": (total - female).tolist(),
        },
        run.batch["outreach"],
    )
    run.actuals.add("OUTREACH_PARTICIPANTS", county, run.cal.quarter[days], total)
    return written


def _session_days(run: Run, rng) -> tuple[np.ndarray, np.ndarray]:
    """Session days and their programme county (position in PROGRAMME_COUNTIES), by day."""
    cal = run.cal
    base = float(np.clip(run.n_cases / 1500, 2.0, 25.0)) * len(PROGRAMME_COUNTIES)
    days, county = [], []
    for y in range(START.year, cal.until.year + 1):
        for mo in range(1, 13):
            first = (dt.date(y, mo, 1) - START).days
            if first > cal.last:
                break
            following = (dt.date(y + mo // 12, mo % 12 + 1, 1) - START).days
            growth = 1.0 + GROWTH_PER_YEAR * first / 365.25
            for ci, share in enumerate(run.ref.programme_share):
                d = first + rng.integers(0, following - first, rng.poisson(base * share * growth))
                d = d[d <= cal.last]
                days.append(d)
                county.append(np.full(len(d), ci))
    days, county = np.concatenate(days).astype(np.int64), np.concatenate(county).astype(np.int64)
    order = np.lexsort((county, days))
    return days[order], county[order]
