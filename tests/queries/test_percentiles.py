"""The portable percentile equals numpy's (and PostgreSQL's percentile_cont) exactly."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select

from queries.percentiles import MEDIAN, P75, percentiles
from tests.conftest import BACKENDS, new_warehouse_url
from warehouse.engine import get_engine

meta = MetaData()
values = Table("pct_values", meta, Column("id", Integer, primary_key=True),
               Column("g", String(10)), Column("v", Integer))

rng = np.random.default_rng(3)
GROUPS = {
    "odd": [5, 1, 9, 3, 7],
    "even": [4, 10, 1, 7],
    "two": [0, 3],
    "ties": [2, 2, 2, 5, 5, 9, 9, 9, 9],
    "single": [42],
    "negative": [-30, -1, 0, 4, 12, 12],
    "big_odd": rng.integers(0, 2000, 301).tolist(),
    "big_even": rng.integers(0, 2000, 400).tolist(),
}
for size in range(1, 13):  # every remainder of (n - 1) x 3 / 4, twice over
    GROUPS[f"n{size}"] = rng.integers(0, 60, size).tolist()


def _filled(backend, request, tmp_path_factory):
    engine = get_engine(new_warehouse_url(backend, tmp_path_factory, request))
    meta.create_all(engine)
    rows = [{"g": g, "v": v} for g, vs in GROUPS.items() for v in vs]
    rows += [{"g": "only_nulls", "v": None}, {"g": "odd", "v": None}]  # nulls are ignored
    with engine.begin() as conn:
        conn.execute(insert(values), rows)
    return engine


@pytest.fixture(scope="module", params=BACKENDS)
def engine(request, tmp_path_factory):
    return _filled(request.param, request, tmp_path_factory)


@pytest.fixture(scope="module")
def pg_engine(request, tmp_path_factory):
    return _filled("postgresql", request, tmp_path_factory)


def _run(engine, stmt):
    with engine.connect() as conn:
        return conn.execute(stmt).mappings().all()


def _grouped(engine):
    stmt = percentiles(select(values).subquery("vals"), "v", by=["g"],
                       fractions={"median": MEDIAN, "p75": P75, "p10": 0.1})
    return {r["g"]: r for r in _run(engine, stmt)}


def test_each_group_equals_numpy_exactly(engine):
    got = _grouped(engine)
    for g, vs in GROUPS.items():
        row = got[g]
        assert row["cases"] == len(vs), g
        assert row["median"] == float(np.percentile(vs, 50)), (g, sorted(vs))
        assert row["p75"] == float(np.percentile(vs, 75)), (g, sorted(vs))
        assert row["p10"] == pytest.approx(float(np.percentile(vs, 10)), abs=1e-9), g
        assert isinstance(row["median"], float)


def test_a_group_with_no_values_has_no_row(engine):
    assert "only_nulls" not in _grouped(engine)


def test_without_groups_one_row_and_null_when_empty(engine):
    whole = percentiles(select(values).subquery("vals"), "v", fractions={"median": MEDIAN})
    everything = [v for vs in GROUPS.values() for v in vs]
    [row] = _run(engine, whole)
    assert (row["cases"], row["median"]) == (len(everything), float(np.median(everything)))
    none = percentiles(select(values).where(values.c.g == "nowhere").subquery("vals"), "v",
                       fractions={"median": MEDIAN, "p75": P75})
    [row] = _run(engine, none)
    assert (row["cases"], row["median"], row["p75"]) == (0, None, None)


@pytest.mark.postgres
def test_equals_postgresql_percentile_cont(pg_engine):
    engine = pg_engine
    native = select(values.c.g,
                    func.percentile_cont(0.5).within_group(values.c.v).label("median"),
                    func.percentile_cont(0.75).within_group(values.c.v).label("p75")
                    ).where(values.c.v.is_not(None)).group_by(values.c.g)
    want = {r["g"]: (r["median"], r["p75"]) for r in _run(engine, native)}
    got = {g: (r["median"], r["p75"]) for g, r in _grouped(engine).items()}
    assert got == want


@pytest.mark.parametrize("bad", [Fraction(3, 2), -0.1, "half"])
def test_a_percentile_outside_0_to_1_is_refused(bad):
    with pytest.raises(ValueError, match="from 0 to 1"):
        percentiles(select(values).subquery("vals"), "v", fractions={"x": bad})
