"""Court dates of charged cases: adjournments, testimony and its protective measures."""

from __future__ import annotations

import numpy as np

from warehouse import vocab
from warehouse.demo.common import _court_day, _insert, _p
from warehouse.demo.params import ADJOURNMENT_P, MEASURE_P, P_ADJOURNED, P_TESTIMONY
from warehouse.schema import hearings


def _hearings(conn, rng, cal, key_arr, code_arr, court_id, court_found, D, reached, end, final, batch):
    """A court date every 3-8 weeks from the charge until judgment, withdrawal or `until`."""
    idx = np.nonzero((reached >= 3) & court_found)[0]
    m = len(idx)
    if not m:
        return 0
    start, stop, last = D[idx, 3], end[idx], final[idx]
    width = int((stop - start).max()) // 21 + 2
    gaps = rng.integers(21, 57, size=(m, width))
    gaps[:, 0] = 0
    H = _court_day(start[:, None] + np.cumsum(gaps, axis=1))
    valid = np.where(last[:, None], H < stop[:, None], H <= stop[:, None])
    adjourned = valid & (rng.random((m, width)) < P_ADJOURNED)
    reason = rng.choice(len(vocab.ADJOURNMENT_REASONS), size=(m, width), p=_p(ADJOURNMENT_P))
    in_trial = (reached[idx] >= 4)[:, None] & (H >= D[idx, 4][:, None])
    can_testify = valid & ~adjourned & in_trial
    times = np.where(rng.random(m) < 0.7, 1, 2)
    testifies = rng.random(m) < P_TESTIMONY
    testified = (
        can_testify & (np.cumsum(can_testify, axis=1) <= times[:, None]) & testifies[:, None]
    )
    measures = rng.random((m, width, len(vocab.TESTIMONY_MEASURES))) < np.asarray(MEASURE_P)
    measures &= testified[:, :, None]

    hi, hj = np.nonzero(valid)
    fi = np.nonzero(last)[0]  # the judgment or withdrawal hearing
    row_case = np.concatenate([hi, fi])
    row_day = np.concatenate([H[hi, hj], stop[fi]])
    row_adj = np.concatenate([adjourned[hi, hj], np.zeros(len(fi), bool)])
    row_reason = np.concatenate([reason[hi, hj], np.zeros(len(fi), np.int64)])
    row_test = np.concatenate([testified[hi, hj], np.zeros(len(fi), bool)])
    row_meas = np.concatenate([measures[hi, hj], np.zeros((len(fi), measures.shape[2]), bool)])
    order = np.lexsort((row_day, row_case))
    row_case, row_day, row_adj = row_case[order], row_day[order], row_adj[order]
    row_reason, row_test, row_meas = row_reason[order], row_test[order], row_meas[order]

    columns = {
        "case_key": key_arr[idx[row_case]].tolist(),
        "county_code": code_arr[idx[row_case]].tolist(),
        "court_station_id": court_id[idx[row_case]].tolist(),
        "hearing_on": cal.to_dates(row_day),
        "status": ["adjourned" if a else "proceeded" for a in row_adj.tolist()],
        "adjournment_reason": [
            vocab.ADJOURNMENT_REASONS[r] if a else None
            for r, a in zip(row_reason.tolist(), row_adj.tolist(), strict=True)
        ],
        "survivor_testified": row_test.tolist(),
    }
    for k, name in enumerate(vocab.TESTIMONY_MEASURES):
        columns[f"measure_{name}"] = row_meas[:, k].tolist()
    return _insert(conn, hearings, columns, batch_id=batch["hearings"])
