"""Cases and everything hanging off them: steps, services and hotline reports.

Cases are generated a chunk at a time; court dates are in ``hearings``.
"""

from __future__ import annotations

import numpy as np

from warehouse import vocab
from warehouse.demo.common import _Calendar, _court_day, _gamma_days, _insert, _nullable, _p
from warehouse.demo.hearings import _hearings
from warehouse.demo.params import (
    AGE_P,
    CHANNEL_P,
    CONSENT_P,
    COURT_STATION_RECORDED,
    FIRST_SERVICE_P,
    GOVERNMENT_P,
    GROWTH_PER_YEAR,
    HOTLINE_PER_CASE,
    LATER_SERVICE_P,
    LINKED_CATEGORY_P,
    MONTH_SEASON,
    N_SERVICES_P,
    OFFENCE_P,
    OTHER_CATEGORY_P,
    P_CLOSED_NFA,
    P_CONVICTED,
    P_LINK_HOTLINE_CASE,
    P_LINK_OTHER_CASE,
    P_NEXT,
    P_WITHDRAWN,
    REFERRAL_P,
    REFERRED_P,
    SEX_P,
    SUB_COUNTY_RECORDED,
    WEEKDAY_RATE,
)
from warehouse.schema import case_events, cases, hotline_reports, services


def _reported_days(rng, cal: _Calendar, n: int) -> np.ndarray:
    """Report day of every case, sorted: growth over time, a seasonal and a weekly rhythm."""
    days = np.arange(cal.last + 1)
    rate = (
        (1.0 + GROWTH_PER_YEAR * days / 365.25)
        * np.asarray(MONTH_SEASON)[cal.month - 1]
        * np.asarray(WEEKDAY_RATE)[cal.weekday]
    )
    per_day = rng.multinomial(n, _p(rate))
    return np.repeat(days, per_day).astype(np.int64)


# --- cases and everything hanging off them -----------------------------------------


def _case_chunk(conn, rng, cal, ref, actuals, keys, batch, days, offset, report_counter):
    n = len(days)
    U = cal.last
    written = {}

    case_keys = [keys["case"](f"DEMO-C-{offset + i + 1:06d}") for i in range(n)]
    key_arr = np.array(case_keys, dtype=object)
    county = rng.choice(len(ref.codes), size=n, p=ref.weights)
    code_arr = np.array(ref.codes, dtype=object)[county]
    sub_id, sub_found = ref.pick(rng, ref.subs, county)
    sub_found &= rng.random(n) < SUB_COUNTY_RECORDED
    court_id, court_found = ref.pick(rng, ref.courts, county)
    court_recorded = court_found & (rng.random(n) < COURT_STATION_RECORDED)
    referral = rng.choice(len(vocab.REFERRAL_SOURCES), size=n, p=_p(REFERRAL_P))
    offence = rng.choice(len(vocab.OFFENCES), size=n, p=_p(OFFENCE_P))
    age = rng.choice(len(vocab.AGE_BANDS), size=n, p=_p(AGE_P))
    sex = rng.choice(len(vocab.SEXES), size=n, p=_p(SEX_P))
    consent = rng.choice(3, size=n, p=_p(CONSENT_P))

    written["cases"] = _insert(
        conn,
        cases,
        {
            "case_key": case_keys,
            "county_code": code_arr.tolist(),
            "sub_county_id": _nullable(sub_id.tolist(), sub_found),
            "reported_on": cal.to_dates(days),
            "referral_source": [vocab.REFERRAL_SOURCES[i] for i in referral.tolist()],
            "offence": [vocab.OFFENCES[i] for i in offence.tolist()],
            "victim_age_band": [vocab.AGE_BANDS[i] for i in age.tolist()],
            "victim_sex": [vocab.SEXES[i] for i in sex.tolist()],
            "court_station_id": _nullable(court_id.tolist(), court_recorded),
            "consent_documented": _nullable((consent == 0).tolist(), consent < 2),
        },
        batch_id=batch["cases"],
    )
    actuals.add("CASES_REPORTED", county, cal.quarter[days])

    # --- stages ----------------------------------------------------------------
    D = np.empty((n, 6), np.int64)
    D[:, 0] = days
    D[:, 1] = D[:, 0] + _gamma_days(rng, 1.2, 6.0, n, 0, 60)  # investigation: within weeks
    D[:, 2] = D[:, 1] + _gamma_days(rng, 1.0, 21.0, n, 0, 365)  # arrest
    D[:, 3] = _court_day(D[:, 2] + _gamma_days(rng, 1.5, 14.0, n, 0, 365))  # charge
    D[:, 4] = _court_day(D[:, 3] + _gamma_days(rng, 2.5, 50.0, n, 14, 720))  # trial: months
    D[:, 5] = _court_day(D[:, 4] + 365 + _gamma_days(rng, 2.0, 170.0, n, 0, 730))  # 1-3 years
    steps = rng.random((n, 5)) < np.asarray(P_NEXT)
    level = np.cumprod(steps, axis=1).sum(axis=1)  # the furthest stage this case would reach
    # D is non-decreasing along a row, so the stages on or before `until` are a prefix.
    reached = np.minimum(level, (D <= U).sum(axis=1) - 1)
    last = D[np.arange(n), level]
    u_exit = rng.random(n)
    exit_delay = np.where(
        level < 3,
        _gamma_days(rng, 2.0, 45.0, n, 7, 540),
        np.where(
            level == 3,
            _gamma_days(rng, 2.0, 90.0, n, 14, 900),
            30 + _gamma_days(rng, 2.0, 150.0, n, 0, 900),
        ),
    )
    exit_day = _court_day(last + exit_delay)
    settled = (reached == level) & (exit_day <= U)
    closed = (level < 3) & (u_exit < P_CLOSED_NFA) & settled
    withdrawn = ((level == 3) | (level == 4)) & (u_exit < P_WITHDRAWN) & settled
    judged = reached == 5
    convicted = judged & (rng.random(n) < P_CONVICTED)

    ev_case, ev_stage, ev_day = [], [], []
    for k, stage in enumerate(vocab.PROGRESSION_STAGES):
        idx = np.nonzero(reached >= k)[0]
        ev_case.append(idx)
        ev_stage.append(np.full(len(idx), vocab.STAGES.index(stage)))
        ev_day.append(D[idx, k])
    for stage, mask, when in (
        ("convicted", convicted, D[:, 5]),
        ("acquitted", judged & ~convicted, D[:, 5]),
        ("withdrawn", withdrawn, exit_day),
        ("closed_no_further_action", closed, exit_day),
    ):
        idx = np.nonzero(mask)[0]
        ev_case.append(idx)
        ev_stage.append(np.full(len(idx), vocab.STAGES.index(stage)))
        ev_day.append(when[idx])
    ev_case, ev_stage, ev_day = (np.concatenate(a) for a in (ev_case, ev_stage, ev_day))
    order = np.lexsort((ev_stage, ev_case))
    ev_case, ev_stage, ev_day = ev_case[order], ev_stage[order], ev_day[order]
    written["case_events"] = _insert(
        conn,
        case_events,
        {
            "case_key": key_arr[ev_case].tolist(),
            "county_code": code_arr[ev_case].tolist(),
            "stage": [vocab.STAGES[i] for i in ev_stage.tolist()],
            "occurred_on": cal.to_dates(ev_day),
        },
        batch_id=batch["case_events"],
    )
    charged_idx = np.nonzero(reached >= 3)[0]
    actuals.add("CASES_CHARGED", county[charged_idx], cal.quarter[D[charged_idx, 3]])
    conv_idx = np.nonzero(convicted)[0]
    actuals.add("CONVICTIONS", county[conv_idx], cal.quarter[D[conv_idx, 5]])

    # --- hearings --------------------------------------------------------------------
    end = np.where(judged, D[:, 5], np.where(withdrawn, exit_day, U))
    final = judged | withdrawn  # judgment or withdrawal is read out at a last hearing
    written["hearings"] = _hearings(
        conn, rng, cal, key_arr, code_arr, court_id, court_found, D, reached, end, final, batch
    )

    # --- services ----------------------------------------------------------------------
    n_services = rng.choice(5, size=n, p=_p(N_SERVICES_P))
    gaps = np.empty((n, 4), np.int64)
    gaps[:, 0] = _gamma_days(rng, 1.5, 7.0, n, 0, 120)  # first one within weeks
    gaps[:, 1:] = 7 + _gamma_days(rng, 1.5, 30.0, (n, 3), 0, 365)
    sday = days[:, None] + np.cumsum(gaps, axis=1)
    kind = np.empty((n, 4), np.int64)
    kind[:, 0] = rng.choice(len(vocab.SERVICES), size=n, p=_p(FIRST_SERVICE_P))
    kind[:, 1:] = rng.choice(len(vocab.SERVICES), size=(n, 3), p=_p(LATER_SERVICE_P))
    gov = rng.random((n, 4)) < np.asarray(GOVERNMENT_P)[kind]
    ok = (np.arange(4)[None, :] < n_services[:, None]) & (sday <= U)
    si, sj = np.nonzero(ok)
    written["services"] = _insert(
        conn,
        services,
        {
            "case_key": key_arr[si].tolist(),
            "county_code": code_arr[si].tolist(),
            "service": [vocab.SERVICES[i] for i in kind[si, sj].tolist()],
            "provided_on": cal.to_dates(sday[si, sj]),
            "provider_type": [vocab.PROVIDER_TYPES[0 if g else 1] for g in gov[si, sj].tolist()],
        },
        batch_id=batch["services"],
    )
    # A survivor counts once per quarter in which they got any service.
    served = np.unique(np.stack([si, cal.quarter[sday[si, sj]]]), axis=1)
    actuals.add("SURVIVORS_SERVED", county[served[0]], served[1])

    # --- hotline reports --------------------------------------------------------------
    hotline_ref = referral == vocab.REFERRAL_SOURCES.index("hotline_116")
    linked = np.nonzero(
        rng.random(n) < np.where(hotline_ref, P_LINK_HOTLINE_CASE, P_LINK_OTHER_CASE)
    )[0]
    n_other = max(0, int(round(HOTLINE_PER_CASE * n)) - len(linked))
    like = rng.integers(0, n, n_other)  # unlinked reports follow the cases' time and place
    r_day = np.concatenate(
        [
            np.maximum(0, days[linked] - rng.integers(0, 22, len(linked))),
            np.maximum(0, days[like] - rng.integers(0, 15, n_other)),
        ]
    )
    r_county = np.concatenate([county[linked], county[like]])
    r_case = np.concatenate([linked, np.full(n_other, -1)])
    category = np.concatenate(
        [
            rng.choice(4, size=len(linked), p=_p(LINKED_CATEGORY_P)),
            rng.choice(4, size=n_other, p=_p(OTHER_CATEGORY_P)),
        ]
    )
    channel = rng.choice(len(vocab.CHANNELS), size=len(r_day), p=_p(CHANNEL_P))
    referred = np.empty(len(r_day), np.int64)
    for ci, cat in enumerate(vocab.HOTLINE_CATEGORIES):
        rows = category == ci
        referred[rows] = rng.choice(
            len(vocab.REFERRED_TO), size=int(rows.sum()), p=_p(REFERRED_P[cat])
        )
    referred[r_case >= 0] = np.where(
        referred[r_case >= 0] == vocab.REFERRED_TO.index("none"),
        vocab.REFERRED_TO.index("police"),
        referred[r_case >= 0],
    )  # a report that became a case was referred somewhere
    order = np.argsort(r_day, kind="stable")
    first = report_counter[0]
    report_counter[0] += len(order)
    written["hotline_reports"] = _insert(
        conn,
        hotline_reports,
        {
            "report_key": [
                keys["report"](f"DEMO-R-{first + i + 1:06d}") for i in range(len(order))
            ],
            "received_on": cal.to_dates(r_day[order]),
            "county_code": [ref.codes[i] for i in r_county[order].tolist()],
            "channel": [vocab.CHANNELS[i] for i in channel[order].tolist()],
            "category": [vocab.HOTLINE_CATEGORIES[i] for i in category[order].tolist()],
            "referred_to": [vocab.REFERRED_TO[i] for i in referred[order].tolist()],
            "case_key": [case_keys[i] if i >= 0 else None for i in r_case[order].tolist()],
        },
        batch_id=batch["hotline_reports"],
    )
    return written
