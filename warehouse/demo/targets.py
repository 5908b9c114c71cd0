"""Quarterly targets, set a little above the trend of what the generator wrote."""

from __future__ import annotations

import datetime as dt

import numpy as np

from warehouse.demo.common import _insert
from warehouse.demo.params import INDICATORS, START
from warehouse.reference import PROGRAMME_COUNTIES
from warehouse.schema import targets


def _targets(conn, rng, cal, ref, actuals, batch_id) -> int:
    """Quarterly targets a little above the smoothed actuals, per programme county and ALL."""
    q_start = [
        (dt.date(START.year + q // 4, 3 * (q % 4) + 1, 1) - START).days
        for q in range(cal.n_quarters)
    ]
    q_len = [
        (dt.date(START.year + (q + 1) // 4, 3 * ((q + 1) % 4) + 1, 1) - START).days - q_start[q]
        for q in range(cal.n_quarters)
    ]
    # The last quarter is partly over: scale its count to a full quarter.
    covered = np.ones(cal.n_quarters)
    covered[-1] = (cal.last - q_start[-1] + 1) / q_len[-1]
    cols = {"indicator_code": [], "period": [], "county_scope": [], "target": []}
    for indicator in INDICATORS:
        counts = actuals.counts[indicator]
        scopes = [(c, counts[ref.index[c]]) for c in PROGRAMME_COUNTIES]
        scopes.append(("ALL", counts.sum(axis=0)))
        for scope, series in scopes:
            rate = series / covered
            smooth = np.array([rate[max(0, q - 2) : q + 3].mean() for q in range(cal.n_quarters)])
            uplift = 1.10 + rng.normal(0.0, 0.04, cal.n_quarters)
            values = np.maximum(0.0, np.rint(smooth * uplift))
            cols["indicator_code"].extend([indicator] * cal.n_quarters)
            cols["period"].extend(cal.periods)
            cols["county_scope"].extend([scope] * cal.n_quarters)
            cols["target"].extend(values.tolist())
    return _insert(conn, targets, cols, batch_id=batch_id)
