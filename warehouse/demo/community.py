"""Community outreach sessions: audiences, topics and participants."""

from __future__ import annotations

import datetime as dt

import numpy as np

from warehouse import vocab
from warehouse.demo.common import _insert, _nullable, _p
from warehouse.demo.params import (
    AUDIENCE_P,
    AUDIENCE_SIZE,
    GROWTH_PER_YEAR,
    START,
    SUB_COUNTY_RECORDED,
    TOPIC_P,
)
from warehouse.reference import PROGRAMME_COUNTIES
from warehouse.schema import outreach


def _outreach(conn, rng, cal, ref, actuals, pseudonymize, batch_id, n_cases) -> int:
    base = float(np.clip(n_cases / 1500, 2.0, 25.0)) * len(PROGRAMME_COUNTIES)
    days_all, county_all = [], []
    for y in range(START.year, cal.until.year + 1):
        for mo in range(1, 13):
            first = (dt.date(y, mo, 1) - START).days
            if first > cal.last:
                break
            nxt = (dt.date(y + mo // 12, mo % 12 + 1, 1) - START).days
            growth = 1.0 + GROWTH_PER_YEAR * first / 365.25
            for ci, share in enumerate(ref.programme_share):
                k = rng.poisson(base * share * growth)
                d = first + rng.integers(0, nxt - first, k)
                d = d[d <= cal.last]
                days_all.append(d)
                county_all.append(np.full(len(d), ci))
    days = np.concatenate(days_all).astype(np.int64)
    cidx = np.concatenate(county_all).astype(np.int64)
    n = len(days)
    if not n:
        return 0
    order = np.lexsort((cidx, days))
    days, cidx = days[order], cidx[order]
    county = ref.programme[cidx]
    sub_id, sub_found = ref.pick(rng, ref.subs, county)
    sub_found &= rng.random(n) < SUB_COUNTY_RECORDED
    audience = rng.choice(len(vocab.AUDIENCES), size=n, p=_p(AUDIENCE_P))
    topic = rng.choice(len(vocab.TOPICS), size=n, p=_p(TOPIC_P))
    low = np.array([AUDIENCE_SIZE[a][0] for a in vocab.AUDIENCES])[audience]
    high = np.array([AUDIENCE_SIZE[a][1] for a in vocab.AUDIENCES])[audience]
    share = np.array([AUDIENCE_SIZE[a][2] for a in vocab.AUDIENCES])[audience]
    total = rng.integers(low, high + 1)
    female = rng.binomial(total, share)
    male = total - female
    written = _insert(
        conn,
        outreach,
        {
            "event_key": [pseudonymize(f"DEMO-E-{i + 1:06d}") for i in range(n)],
            "held_on": cal.to_dates(days),
            "county_code": [ref.codes[i] for i in county.tolist()],
            "sub_county_id": _nullable(sub_id.tolist(), sub_found),
            "audience": [vocab.AUDIENCES[i] for i in audience.tolist()],
            "topic": [vocab.TOPICS[i] for i in topic.tolist()],
            "participants_female": female.tolist(),
            "participants_male": male.tolist(),
        },
        batch_id=batch_id,
    )
    actuals.add("OUTREACH_PARTICIPANTS", county, cal.quarter[days], total)
    return written
