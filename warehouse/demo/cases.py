"""Cases and everything hanging off them: steps, court dates, services, hotline reports.

Cases are made a chunk at a time (``warehouse.demo.chunk``); court dates are in
``hearings``, how far a case gets in ``stages``, hotline reports in ``hotline``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from warehouse import vocab
from warehouse.demo.chunk import CaseAttributes, Chunk
from warehouse.demo.common import Calendar, Stream, gamma_days, labels, nullable, probs, rng_for
from warehouse.demo.hearings import write_hearings
from warehouse.demo.hotline import Reports, draw_reports, write_reports
from warehouse.demo.keys import SourceKeys
from warehouse.demo.params import (
    AGE_P,
    CONSENT_P,
    COURT_STATION_RECORDED,
    FIRST_SERVICE_P,
    GOVERNMENT_P,
    GROWTH_PER_YEAR,
    LATER_SERVICE_P,
    MONTH_SEASON,
    N_SERVICES_P,
    OFFENCE_P,
    REFERRAL_P,
    SEX_P,
    SUB_COUNTY_RECORDED,
    WEEKDAY_RATE,
)
from warehouse.demo.run import Run
from warehouse.demo.stages import Progression, Stage, progression
from warehouse.schema import case_events, cases, services

CASE_TABLES = ("cases", "case_events", "hearings", "services", "hotline_reports")


def write_cases(run: Run, chunk_cases: int, report: Callable) -> dict[str, int]:
    """Every case, a chunk at a time, then the hotline reports; rows written per table."""
    n = run.n_cases
    days = reported_days(rng_for(run.seed, Stream.DAYS), run.cal, n)
    keys = SourceKeys(run.pseudonyms["case"], "C", n)
    written = dict.fromkeys(CASE_TABLES, 0)
    drawn: list[Reports] = []
    report("cases", 0, n)
    for number, lo in enumerate(range(0, n, chunk_cases)):
        index = keys.order[lo : lo + chunk_cases]
        rng = rng_for(run.seed, Stream.CASES, number)
        chunk = Chunk(run, rng, index, keys.hex(index), days[index])
        counts, reports = write_chunk(chunk)
        for table, count in counts.items():
            written[table] += count
        drawn.append(reports)
        report("cases", min(lo + chunk_cases, n), n)
    report("hotline", 0, 1)
    written["hotline_reports"] = write_reports(run, Reports.concat(drawn), keys)
    report("hotline", 1, 1)
    return written


def reported_days(rng, cal: Calendar, n: int) -> np.ndarray:
    """Report day of every case, sorted: growth over time, a seasonal and a weekly rhythm."""
    days = np.arange(cal.last + 1)
    rate = (
        (1.0 + GROWTH_PER_YEAR * days / 365.25)
        * np.asarray(MONTH_SEASON)[cal.month - 1]
        * np.asarray(WEEKDAY_RATE)[cal.weekday]
    )
    per_day = rng.multinomial(n, probs(rate))
    return np.repeat(days, per_day).astype(np.int64)


def write_chunk(chunk: Chunk) -> tuple[dict[str, int], Reports]:
    """Write the chunk's cases and their facts: rows per table, and the hotline reports
    drawn for them (written later, with every other chunk's, in the order of their keys)."""
    attrs = _write_case_rows(chunk)
    prog = progression(chunk.rng, chunk.days, chunk.run.cal.last)
    written = {
        "cases": chunk.n,
        "case_events": _write_events(chunk, attrs, prog),
        "hearings": write_hearings(chunk, attrs, prog),
        "services": _write_services(chunk, attrs),
    }
    return written, draw_reports(chunk, attrs)


def _write_case_rows(chunk: Chunk) -> CaseAttributes:
    rng, ref, n = chunk.rng, chunk.run.ref, chunk.n
    county = rng.choice(len(ref.codes), size=n, p=ref.weights)
    codes = np.array(ref.codes, dtype=object)[county]
    sub_id, sub_found = ref.pick(rng, ref.subs, county)
    sub_found &= rng.random(n) < SUB_COUNTY_RECORDED
    court_id, court_found = ref.pick(rng, ref.courts, county)
    court_recorded = court_found & (rng.random(n) < COURT_STATION_RECORDED)
    referral = rng.choice(len(vocab.REFERRAL_SOURCES), size=n, p=probs(REFERRAL_P))
    consent = rng.choice(3, size=n, p=probs(CONSENT_P))  # yes, no, not recorded
    chunk.run.sink.insert(
        cases,
        {
            "case_key": chunk.keys.tolist(),
            "county_code": codes.tolist(),
            "sub_county_id": nullable(sub_id.tolist(), sub_found),
            "reported_on": chunk.run.sink.dates(chunk.days),
            "referral_source": labels(vocab.REFERRAL_SOURCES, referral),
            "offence": _draw(rng, vocab.OFFENCES, OFFENCE_P, n),
            "victim_age_band": _draw(rng, vocab.AGE_BANDS, AGE_P, n),
            "victim_sex": _draw(rng, vocab.SEXES, SEX_P, n),
            "court_station_id": nullable(court_id.tolist(), court_recorded),
            "consent_documented": nullable(chunk.run.sink.flags(consent == 0), consent < 2),
        },
        chunk.run.batch["cases"],
    )
    chunk.run.actuals.add("CASES_REPORTED", county, chunk.run.cal.quarter[chunk.days])
    return CaseAttributes(county, codes, court_id, court_found, referral)


def _draw(rng, codes: tuple[str, ...], weights, n: int) -> list[str]:
    return labels(codes, rng.choice(len(codes), size=n, p=probs(weights)))


def _write_events(chunk: Chunk, attrs: CaseAttributes, prog: Progression) -> int:
    """One event per stage reached, and the case's end (verdict, withdrawal or closure)."""
    parts = [(prog.has_reached(stage), stage.code, prog.on(stage)) for stage in Stage]
    parts += [
        (prog.convicted, "convicted", prog.on(Stage.JUDGMENT)),
        (prog.acquitted, "acquitted", prog.on(Stage.JUDGMENT)),
        (prog.withdrawn, "withdrawn", prog.exit_day),
        (prog.closed, "closed_no_further_action", prog.exit_day),
    ]
    case, stage, day = [], [], []
    for mask, code, when in parts:
        rows = np.nonzero(mask)[0]
        case.append(rows)
        stage.append(np.full(len(rows), vocab.STAGES.index(code)))
        day.append(when[rows])
    case, stage, day = (np.concatenate(a) for a in (case, stage, day))
    order = np.lexsort((stage, case))  # by case, i.e. by key
    case, stage, day = case[order], stage[order], day[order]
    written = chunk.run.sink.insert(
        case_events,
        {
            "case_key": chunk.keys[case].tolist(),
            "county_code": attrs.codes[case].tolist(),
            "stage": labels(vocab.STAGES, stage),
            "occurred_on": chunk.run.sink.dates(day),
        },
        chunk.run.batch["case_events"],
    )
    _count_charges_and_convictions(chunk, attrs, prog)
    return written


def _count_charges_and_convictions(chunk: Chunk, attrs: CaseAttributes, prog: Progression):
    quarter, actuals = chunk.run.cal.quarter, chunk.run.actuals
    charged = np.nonzero(prog.has_reached(Stage.CHARGED))[0]
    actuals.add("CASES_CHARGED", attrs.county[charged], quarter[prog.on(Stage.CHARGED)[charged]])
    convicted = np.nonzero(prog.convicted)[0]
    on = quarter[prog.on(Stage.JUDGMENT)[convicted]]
    actuals.add("CONVICTIONS", attrs.county[convicted], on)


def _write_services(chunk: Chunk, attrs: CaseAttributes) -> int:
    """Up to four services per survivor: the first within weeks, later ones a month apart."""
    rng, n = chunk.rng, chunk.n
    n_services = rng.choice(5, size=n, p=probs(N_SERVICES_P))
    gaps = np.empty((n, 4), np.int64)
    gaps[:, 0] = gamma_days(rng, 1.5, 7.0, n, 0, 120)
    gaps[:, 1:] = 7 + gamma_days(rng, 1.5, 30.0, (n, 3), 0, 365)
    day = chunk.days[:, None] + np.cumsum(gaps, axis=1)
    kind = np.empty((n, 4), np.int64)
    kind[:, 0] = rng.choice(len(vocab.SERVICES), size=n, p=probs(FIRST_SERVICE_P))
    kind[:, 1:] = rng.choice(len(vocab.SERVICES), size=(n, 3), p=probs(LATER_SERVICE_P))
    gov = rng.random((n, 4)) < np.asarray(GOVERNMENT_P)[kind]
    given = (np.arange(4)[None, :] < n_services[:, None]) & (day <= chunk.run.cal.last)
    case, nth = np.nonzero(given)  # row-major: by case, i.e. by key
    written = chunk.run.sink.insert(
        services,
        {
            "case_key": chunk.keys[case].tolist(),
            "county_code": attrs.codes[case].tolist(),
            "service": labels(vocab.SERVICES, kind[case, nth]),
            "provided_on": chunk.run.sink.dates(day[case, nth]),
            "provider_type": labels(vocab.PROVIDER_TYPES, np.where(gov[case, nth], 0, 1)),
        },
        chunk.run.batch["services"],
    )
    # A survivor counts once per quarter in which they got any service.
    served = np.unique(np.stack([case, chunk.run.cal.quarter[day[case, nth]]]), axis=1)
    chunk.run.actuals.add("SURVIVORS_SERVED", attrs.county[served[0]], served[1])
    return written
