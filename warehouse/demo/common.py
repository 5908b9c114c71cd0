"""What every part of the demo generator shares: calendar, random streams, the
warehouse's reference data and the actuals that targets are set from."""

from __future__ import annotations

import datetime as dt
from enum import IntEnum

import numpy as np
from sqlalchemy import Connection, select

from warehouse.demo.params import INDICATORS, OTHER_COUNTIES, OTHER_SHARE, START
from warehouse.reference import PROGRAMME_COUNTIES
from warehouse.schema import counties, court_stations, sub_counties


class Stream(IntEnum):
    """Random streams: each part of the data draws from its own generator, so that adding
    a draw in one part never changes another."""

    DAYS = 0
    REFERENCE = 1
    CASES = 2
    TRAININGS = 3
    WORKFORCE = 4
    OUTREACH = 5
    TARGETS = 6


class Calendar:
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


def court_day(days: np.ndarray) -> np.ndarray:
    """Moves a Saturday or Sunday to the Monday after (monotone: keeps stage order)."""
    wd = (days + START.weekday()) % 7
    return days + np.where(wd == 5, 2, np.where(wd == 6, 1, 0))


def gamma_days(rng, shape: float, scale: float, size, lo: int = 0, hi: int | None = None):
    return np.clip(np.rint(rng.gamma(shape, scale, size)).astype(np.int64), lo, hi)


def probs(weights) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w / w.sum()


def rng_for(seed: int, *stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, *stream])


def nullable(values: list, present: np.ndarray) -> list:
    """``values`` with None where ``present`` is False."""
    return [v if ok else None for v, ok in zip(values, present.tolist(), strict=True)]


def labels(codes: tuple[str, ...], index: np.ndarray) -> list[str]:
    """Vocabulary codes for an array of positions in ``codes``."""
    return np.asarray(codes, dtype=object)[index].tolist()


class Reference:
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
        self.programme = np.array([self.index[c] for c in PROGRAMME_COUNTIES])
        population = {r.code: r.population_2019 for r in rows}
        prog_pop = np.array([population[c] for c in PROGRAMME_COUNTIES], dtype=float)
        self.programme_share = prog_pop / prog_pop.sum()
        self.weights = self._case_weights(population)
        # Sub-counties and court stations per county, with uneven (but seeded) weights.
        self.subs, self.courts = self._places(conn, rng)

    def _case_weights(self, population: dict[str, int]) -> np.ndarray:
        """Share of cases per county: the programme counties by population, and ~2% from
        a few others (preferred ones, or the largest the warehouse knows)."""
        others = {c: w for c, w in OTHER_COUNTIES.items() if c in self.index}
        if not others:
            rest = sorted(
                (c for c in self.codes if c not in PROGRAMME_COUNTIES),
                key=lambda c: -population[c],
            )[:4]
            others = {c: float(population[c]) for c in rest}
        weights = np.zeros(len(self.codes))
        weights[self.programme] = (1.0 - OTHER_SHARE if others else 1.0) * self.programme_share
        if others:
            for c, share in zip(others, probs(list(others.values())), strict=True):
                weights[self.index[c]] = OTHER_SHARE * share
        return weights

    def _places(self, conn: Connection, rng) -> tuple[list, list]:
        """Per county (in code order): (sub-county ids, weights), (court station ids, weights)."""
        tables = []
        for table, alpha in ((sub_counties, 3.0), (court_stations, 4.0)):
            rows = conn.execute(select(table.c.id, table.c.county_code).order_by(table.c.id)).all()
            per_county = []
            for code in self.codes:
                ids = np.array([r.id for r in rows if r.county_code == code], dtype=np.int64)
                w = rng.dirichlet(np.full(len(ids), alpha)) if len(ids) else np.zeros(0)
                per_county.append((ids, w))
            tables.append(per_county)
        return tables[0], tables[1]

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


class Actuals:
    """Counts per indicator x county x quarter, for targets near the trend."""

    def __init__(self, n_counties: int, n_quarters: int):
        self.counts = {i: np.zeros((n_counties, n_quarters), np.int64) for i in INDICATORS}

    def add(self, indicator: str, county_idx: np.ndarray, quarter: np.ndarray, weight=1) -> None:
        np.add.at(self.counts[indicator], (county_idx, quarter), weight)
