"""Synthetic demo data: a realistic, deterministic programme warehouse with no real person in it.

``generate`` fills an initialized warehouse (schema and reference data present)
with cases, their steps, court dates, services, trainings, workforce figures,
outreach sessions, hotline reports and targets from 2021-01-01 to ``until``.

- Deterministic: the same (seed, until, cases, pseudonym key) always gives the
  same rows and the same keys. Every random draw comes from numpy generators
  seeded with (seed, stream, chunk), never from the clock or the process.
- Keys are made exactly as real ingest makes them: ``Pseudonymizer(key,
  namespace)`` applied to synthetic source ids ("DEMO-C-000001", ...).
- Scales to a million cases: cases are generated, vectorised, 20,000 at a time
  and inserted with executemany in slices, so memory stays flat.
- All or nothing: the whole run is one transaction, and the demo flag is
  written in it last. A failure leaves the warehouse as it was.

The shapes follow the data contract (``shared/contracts/data-templates.md``):
stage order, one terminal stage per case, verdicts on the judgment day, exits
before judgment, adjournment reasons only for adjourned hearings, nothing
dated after ``until``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import operator
from collections.abc import Callable

import numpy as np
from sqlalchemy import Connection, Engine, Table, select

from warehouse import vocab
from warehouse.meta import set_meta
from warehouse.pseudonym import Pseudonymizer
from warehouse.schema import (
    PROGRAMME_TABLES,
    case_events,
    cases,
    counties,
    court_stations,
    hearings,
    hotline_reports,
    ingest_batches,
    outreach,
    services,
    sub_counties,
    targets,
    trainings,
    workforce,
)

START = dt.date(2021, 1, 1)
CHUNK_CASES = 20_000  # cases generated (and their facts inserted) per step
INSERT_SLICE = 10_000  # rows per executemany call
SQLITE_CACHE_KIB = 256 * 1024  # page cache while generating (SQLite only)
PROGRAMME_COUNTIES = ("001", "002", "003")  # Mombasa, Kwale, Kilifi
# Cases from outside the programme area (~2%): preferred counties and weights.
OTHER_SHARE = 0.02
OTHER_COUNTIES = {"047": 0.40, "006": 0.25, "005": 0.20, "004": 0.15}
DEMO_FILE_NAME = "synthetic demo data"
DEMO_UPLOADER = "demo"

INDICATORS = (
    "CASES_REPORTED",
    "CASES_CHARGED",
    "CONVICTIONS",
    "SURVIVORS_SERVED",
    "PEOPLE_TRAINED",
    "OUTREACH_PARTICIPANTS",
)

Progress = Callable[[str, int, int], None]

# --- case attributes -------------------------------------------------------
# Weights follow vocab order.
REFERRAL_P = (0.20, 0.18, 0.15, 0.08, 0.05, 0.09, 0.12, 0.03, 0.05, 0.05)
OFFENCE_P = (0.25, 0.35, 0.12, 0.28)
AGE_P = (0.12, 0.30, 0.58)
SEX_P = (0.85, 0.13, 0.02)
CONSENT_P = (0.85, 0.05, 0.10)  # True, False, not recorded
SUB_COUNTY_RECORDED = 0.95
COURT_STATION_RECORDED = 0.90
MONTH_SEASON = (1.10, 0.95, 0.95, 1.10, 0.90, 0.90, 1.00, 1.15, 0.95, 0.95, 1.00, 1.25)
WEEKDAY_RATE = (1.0, 1.0, 1.0, 1.0, 1.0, 0.6, 0.45)
GROWTH_PER_YEAR = 0.35  # reporting grows with the programme: ~3x over six years

# --- case progression --------------------------------------------------------
# Chance of reaching each next stage given the one before; overall roughly 85%
# investigated, 55% arrest, 40% charged, 33% trial, 15% judgment.
P_NEXT = (0.85, 0.55 / 0.85, 0.40 / 0.55, 0.33 / 0.40, 0.15 / 0.33)
P_CONVICTED = 0.65
P_CLOSED_NFA = 0.70  # of cases that stop before charge
P_WITHDRAWN = 0.60  # of charged cases that stop before judgment

# --- hearings ------------------------------------------------------------------
P_ADJOURNED = 0.55
ADJOURNMENT_P = (0.28, 0.32, 0.12, 0.12, 0.10, 0.06)  # vocab.ADJOURNMENT_REASONS
P_TESTIMONY = 0.85  # of trials, the survivor testifies on one or two hearings
MEASURE_P = (0.85, 0.35, 0.30, 0.12, 0.70)  # vocab.TESTIMONY_MEASURES, when testified

# --- services ------------------------------------------------------------------
N_SERVICES_P = (0.15, 0.30, 0.25, 0.17, 0.13)  # 0..4 services per survivor
FIRST_SERVICE_P = (0.40, 0.45, 0.10, 0.05, 0.0, 0.0, 0.0)
LATER_SERVICE_P = (0.35, 0.10, 0.10, 0.15, 0.12, 0.12, 0.06)
GOVERNMENT_P = (0.35, 0.75, 0.30, 0.20, 0.60, 0.50, 0.20)  # by service

# --- hotline -------------------------------------------------------------------
HOTLINE_PER_CASE = 1.5
P_LINK_HOTLINE_CASE = 0.95  # a case referred by the 116 line has a report
P_LINK_OTHER_CASE = 0.35
CHANNEL_P = (0.60, 0.10, 0.20, 0.10)
LINKED_CATEGORY_P = (0.40, 0.60, 0.0, 0.0)
OTHER_CATEGORY_P = (0.12, 0.28, 0.35, 0.25)
REFERRED_P = {  # by category
    "child_trafficking": (0.55, 0.30, 0.10, 0.03, 0.02),
    "sexual_exploitation": (0.45, 0.30, 0.10, 0.12, 0.03),
    "other_abuse": (0.25, 0.40, 0.15, 0.10, 0.10),
    "information_request": (0.02, 0.08, 0.08, 0.02, 0.80),
}

# --- trainings and workforce -------------------------------------------------------
# Headcount on 1 January 2021, per cadre and programme county.
WORKFORCE_2021 = {
    "police": {"001": 2100, "002": 950, "003": 1550},
    "prosecutor": {"001": 36, "002": 12, "003": 22},
    "magistrate": {"001": 14, "002": 5, "003": 9},
    "children_officer": {"001": 24, "002": 14, "003": 20},
    "court_staff": {"001": 130, "002": 45, "003": 85},
    "cso_caseworker": {"001": 90, "002": 40, "003": 70},
    "health_worker": {"001": 2600, "002": 1100, "003": 1900},
}
WORKFORCE_GROWTH = 0.02
MAX_TRAINED_SHARE = 0.75  # never more participants than this share of the smallest headcount
TRAINING_ROWS_MIN, TRAINING_ROWS_MAX, TRAINING_ROWS_PER_CASE = 300, 30_000, 0.3
COURSES_PER_PARTICIPANT_P = (0.60, 0.28, 0.12)  # 1, 2 or 3 courses
CADRE_P = (0.30, 0.10, 0.04, 0.12, 0.10, 0.17, 0.17)
FEMALE_SHARE = (0.35, 0.50, 0.50, 0.55, 0.50, 0.65, 0.65)  # by cadre
COURSE_P = {  # by cadre, vocab.COURSES order
    "police": (0.55, 0.05, 0.10, 0.05, 0.25),
    "prosecutor": (0.10, 0.55, 0.10, 0.10, 0.15),
    "magistrate": (0.0, 0.10, 0.10, 0.60, 0.20),
    "children_officer": (0.05, 0.0, 0.50, 0.15, 0.30),
    "court_staff": (0.0, 0.05, 0.15, 0.60, 0.20),
    "cso_caseworker": (0.05, 0.0, 0.55, 0.10, 0.30),
    "health_worker": (0.05, 0.0, 0.45, 0.05, 0.45),
}
DELIVERY_P = (0.70, 0.20, 0.10)
SESSIONS_PER_MONTH = (0.6, 1.0, 0.4)  # per county x course, by delivery

# --- outreach ------------------------------------------------------------------
AUDIENCE_SIZE = {  # (low, high) participants per session, female share
    "teachers": (10, 50, 0.55),
    "boda_boda_riders": (15, 80, 0.05),
    "community_members": (20, 150, 0.55),
    "students": (40, 300, 0.50),
    "faith_leaders": (10, 60, 0.35),
    "parents": (15, 100, 0.65),
}
AUDIENCE_P = (0.15, 0.15, 0.25, 0.20, 0.10, 0.15)
TOPIC_P = (0.25, 0.25, 0.15, 0.20, 0.15)

# Random streams: each part of the data draws from its own generator, so that
# adding a draw in one part never changes another.
_S_DAYS, _S_REF, _S_CASES, _S_TRAIN, _S_WORK, _S_OUTREACH, _S_TARGETS = range(7)


class _Calendar:
    """Days are ints counted from START; this maps them to dates, quarters and weekdays."""

    def __init__(self, until: dt.date):
        self.until = until
        self.last = (until - START).days
        days = np.arange(self.last + 1)
        d64 = np.datetime64(START.isoformat()) + days
        self.year = d64.astype("datetime64[Y]").astype(np.int64) + 1970
        self.month = d64.astype("datetime64[M]").astype(np.int64) % 12 + 1
        self.weekday = (days + START.weekday()) % 7
        self.quarter = (self.year - START.year) * 4 + (self.month - 1) // 3
        self.n_quarters = int(self.quarter[-1]) + 1
        self.dates = [START + dt.timedelta(days=int(i)) for i in days]
        self.periods = [f"{START.year + q // 4}-Q{q % 4 + 1}" for q in range(self.n_quarters)]

    def to_dates(self, days: np.ndarray) -> list[dt.date]:
        dates = self.dates
        return [dates[i] for i in days.tolist()]


def _court_day(days: np.ndarray) -> np.ndarray:
    """Moves a Saturday or Sunday to the Monday after (monotone: keeps stage order)."""
    wd = (days + START.weekday()) % 7
    return days + np.where(wd == 5, 2, np.where(wd == 6, 1, 0))


def _gamma_days(rng, shape: float, scale: float, size, lo: int = 0, hi: int | None = None):
    return np.clip(np.rint(rng.gamma(shape, scale, size)).astype(np.int64), lo, hi)


def _p(weights) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, *stream])


def _nullable(values: list, present: np.ndarray) -> list:
    return [v if p else None for v, p in zip(values, present.tolist(), strict=True)]


def _insert(conn: Connection, table: Table, columns: dict[str, list], **constant) -> int:
    """executemany in slices; ``columns`` maps column name -> list of Python values."""
    names = list(columns)
    n = len(columns[names[0]]) if names else 0
    for lo in range(0, n, INSERT_SLICE):
        part = [columns[k][lo : lo + INSERT_SLICE] for k in names]
        conn.execute(
            table.insert(),
            [
                {**constant, **dict(zip(names, vals, strict=True))}
                for vals in zip(*part, strict=False)
            ],
        )
    return n


class _Reference:
    """Counties, sub-counties and court stations as this warehouse has them."""

    def __init__(self, conn: Connection, rng: np.random.Generator):
        rows = conn.execute(
            select(counties.c.code, counties.c.population_2019).order_by(counties.c.code)
        ).all()
        self.codes = [r.code for r in rows]
        missing = [c for c in PROGRAMME_COUNTIES if c not in self.codes]
        if missing:
            raise ValueError(
                "The warehouse has no reference data for programme counties "
                f"{', '.join(missing)}: initialize it first (schema and reference data)."
            )
        self.index = {c: i for i, c in enumerate(self.codes)}
        population = {r.code: r.population_2019 for r in rows}
        self.programme = np.array([self.index[c] for c in PROGRAMME_COUNTIES])
        self.weights = np.zeros(len(self.codes))
        prog_pop = np.array([population[c] for c in PROGRAMME_COUNTIES], dtype=float)
        others = {c: w for c, w in OTHER_COUNTIES.items() if c in self.index}
        if not others:  # fall back to the largest other counties the warehouse knows
            rest = sorted(
                (c for c in self.codes if c not in PROGRAMME_COUNTIES),
                key=lambda c: -population[c],
            )[:4]
            others = {c: float(population[c]) for c in rest}
        prog_share = 1.0 - OTHER_SHARE if others else 1.0
        self.weights[self.programme] = prog_share * prog_pop / prog_pop.sum()
        if others:
            w = _p(list(others.values()))
            for c, wc in zip(others, w, strict=True):
                self.weights[self.index[c]] = OTHER_SHARE * wc
        self.programme_share = prog_pop / prog_pop.sum()

        # Sub-counties and court stations per county, with uneven (but seeded) weights.
        self.subs: list[tuple[np.ndarray, np.ndarray]] = []
        self.courts: list[tuple[np.ndarray, np.ndarray]] = []
        sub_rows = conn.execute(
            select(sub_counties.c.id, sub_counties.c.county_code).order_by(sub_counties.c.id)
        ).all()
        court_rows = conn.execute(
            select(court_stations.c.id, court_stations.c.county_code).order_by(court_stations.c.id)
        ).all()
        for code in self.codes:
            for rows_, out, alpha in ((sub_rows, self.subs, 3.0), (court_rows, self.courts, 4.0)):
                ids = np.array([r.id for r in rows_ if r.county_code == code], dtype=np.int64)
                w = rng.dirichlet(np.full(len(ids), alpha)) if len(ids) else np.zeros(0)
                out.append((ids, w))

    def pick(self, rng, table: list, county_idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One id per row from ``table`` (subs or courts) within the row's county; found mask."""
        out = np.zeros(len(county_idx), dtype=np.int64)
        found = np.zeros(len(county_idx), dtype=bool)
        u = rng.random(len(county_idx))
        for ci in np.unique(county_idx):
            ids, w = table[ci]
            if not len(ids):
                continue
            rows = county_idx == ci
            cum = np.cumsum(w)
            pos = np.minimum(np.searchsorted(cum, u[rows] * cum[-1], side="right"), len(ids) - 1)
            out[rows] = ids[pos]
            found[rows] = True
        return out, found


class _Actuals:
    """Counts per indicator x county x quarter, for targets near the trend."""

    def __init__(self, n_counties: int, n_quarters: int):
        self.counts = {i: np.zeros((n_counties, n_quarters), np.int64) for i in INDICATORS}

    def add(self, indicator: str, county_idx: np.ndarray, quarter: np.ndarray, weight=1) -> None:
        np.add.at(self.counts[indicator], (county_idx, quarter), weight)


@contextlib.contextmanager
def _roomy_cache(conn: Connection):
    """SQLite: a larger page cache while generating, so one long transaction does not
    spill index pages to the WAL over and over (fewer, larger writes); restored after."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar_one()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")


def _whole(value, name: str, minimum: int) -> int:
    try:
        number = operator.index(value)
    except TypeError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None
    if isinstance(value, bool) or number < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, not {value!r}")
    return number


def _check_empty(conn: Connection) -> None:
    holding = [
        t.name for t in PROGRAMME_TABLES if conn.execute(select(1).select_from(t).limit(1)).first()
    ]
    if holding:
        raise ValueError(
            "This warehouse already holds programme data (in "
            + ", ".join(holding)
            + "); demo data is only generated into an empty warehouse, so that synthetic "
            "and real records can never be mixed."
        )


def generate(
    engine: Engine,
    *,
    cases: int,
    seed: int,
    until: dt.date,
    pseudonym_key: str,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Fill an initialized, empty warehouse with synthetic data; rows written per table."""
    n_cases, seed = _whole(cases, "cases", 1), _whole(seed, "seed", 0)
    if isinstance(until, dt.datetime):
        until = until.date()
    if until < START:
        raise ValueError(f"until must be on or after {START.isoformat()}")
    Pseudonymizer(pseudonym_key, "case")  # fails early without a key
    report = progress or (lambda stage, done, total: None)

    cal = _Calendar(until)
    written: dict[str, int] = {t.name: 0 for t in PROGRAMME_TABLES}
    stamp = dt.datetime.combine(until, dt.time(6, 0), tzinfo=dt.UTC)

    with engine.begin() as conn, _roomy_cache(conn):
        # The batch rows first: they take the write lock (SQLite), so the emptiness
        # check below cannot race another writer.
        batch = {}
        for t in PROGRAMME_TABLES:
            batch[t.name] = conn.execute(
                ingest_batches.insert().values(
                    template=t.name,
                    file_name=DEMO_FILE_NAME,
                    uploaded_by=DEMO_UPLOADER,
                    started_at=stamp,
                    finished_at=stamp,
                    status="loaded",
                    rows_read=0,
                    rows_loaded=0,
                    rows_rejected=0,
                    rejections_by_rule="{}",
                )
            ).inserted_primary_key[0]
        _check_empty(conn)

        ref = _Reference(conn, _rng(seed, _S_REF))
        actuals = _Actuals(len(ref.codes), cal.n_quarters)
        keys = {
            ns: Pseudonymizer(pseudonym_key, ns)
            for ns in ("case", "participant", "event", "report")
        }

        report_days = _reported_days(_rng(seed, _S_DAYS), cal, n_cases)
        report_counter = [0]
        report("cases", 0, n_cases)
        for chunk, lo in enumerate(range(0, n_cases, CHUNK_CASES)):
            rng = _rng(seed, _S_CASES, chunk)
            days = report_days[lo : lo + CHUNK_CASES]
            counts = _case_chunk(
                conn, rng, cal, ref, actuals, keys, batch, days, lo, report_counter
            )
            for name, n in counts.items():
                written[name] += n
            report("cases", min(lo + CHUNK_CASES, n_cases), n_cases)

        report("trainings", 0, 2)
        headcount = _workforce_headcounts(_rng(seed, _S_WORK), cal)
        written["trainings"] = _trainings(
            conn,
            _rng(seed, _S_TRAIN),
            cal,
            ref,
            actuals,
            keys["participant"],
            batch["trainings"],
            n_cases,
            headcount,
        )
        report("trainings", 1, 2)
        written["workforce"] = _write_workforce(conn, cal, headcount, batch["workforce"])
        report("trainings", 2, 2)

        report("outreach", 0, 1)
        written["outreach"] = _outreach(
            conn,
            _rng(seed, _S_OUTREACH),
            cal,
            ref,
            actuals,
            keys["event"],
            batch["outreach"],
            n_cases,
        )
        report("outreach", 1, 1)

        report("targets", 0, 1)
        written["targets"] = _targets(
            conn, _rng(seed, _S_TARGETS), cal, ref, actuals, batch["targets"]
        )
        for name, n in written.items():
            conn.execute(
                ingest_batches.update()
                .where(ingest_batches.c.id == batch[name])
                .values(rows_read=n, rows_loaded=n)
            )
        # Last, in the same transaction: only a complete warehouse is ever flagged.
        set_meta(conn, "demo", "true")
        set_meta(conn, "demo_seed", str(seed))
        set_meta(conn, "demo_cases", str(n_cases))
        set_meta(conn, "demo_until", until.isoformat())
        report("targets", 1, 1)

    written["ingest_batches"] = len(batch)
    return written


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
            "county_code": [ref.codes[i] for i in county.tolist()],
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
        conn, rng, cal, key_arr, court_id, court_found, D, reached, end, final, batch
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


def _hearings(conn, rng, cal, key_arr, court_id, court_found, D, reached, end, final, batch):
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


# --- trainings and workforce -------------------------------------------------------------


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


# --- outreach ------------------------------------------------------------------------------


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


# --- targets ---------------------------------------------------------------------------------


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
