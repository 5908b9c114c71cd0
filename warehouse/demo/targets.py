"""Quarterly targets, set a little above the trend of what the generator wrote."""

from __future__ import annotations

import datetime as dt

import numpy as np

from warehouse.demo.common import Calendar
from warehouse.demo.params import INDICATORS, START
from warehouse.demo.run import Run
from warehouse.reference import PROGRAMME_COUNTIES
from warehouse.schema import targets


def write_targets(run: Run, rng) -> int:
    """Quarterly targets a little above the smoothed actuals, per programme county and ALL."""
    cal = run.cal
    covered = _quarter_covered(cal)
    cols = {"indicator_code": [], "period": [], "county_scope": [], "target": []}
    for indicator in INDICATORS:
        counts = run.actuals.counts[indicator]
        scopes = [(c, counts[run.ref.index[c]]) for c in PROGRAMME_COUNTIES]
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
    return run.sink.insert(targets, cols, run.batch["targets"])


def _quarter_covered(cal: Calendar) -> np.ndarray:
    """Share of each quarter the data covers: 1, except the last one, which is partly over
    (its count is scaled to a full quarter)."""
    def start(q: int) -> int:
        return (dt.date(START.year + q // 4, 3 * (q % 4) + 1, 1) - START).days

    covered = np.ones(cal.n_quarters)
    last = cal.n_quarters - 1
    covered[-1] = (cal.last - start(last) + 1) / (start(last + 1) - start(last))
    return covered
