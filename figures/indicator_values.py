"""Each registered indicator's computation, attached by code (``warehouse.indicators`` holds
what each one is).

Wherever a page already shows the figure, the indicator is counted by that page's own
definitions, never a second set: counts by their measure (``queries.measures``, as the
overview, map and summary count them), the conviction rate as the map divides it, the
medians by the funnel's and the progress page's interval days and percentiles, the
old-case shares by ``pending_age``'s buckets, the protected testimonies by ``testimony``'s
sums, the knowledge gain by the training page's ``learning`` counts. Only consent
documented is new.

The indicators page shows eleven cells (a period and a county scope): each figure is
counted for all of them in one statement (``queries.cells``; a hundred statements before,
most of the page's time in building and running them), and ``values`` is one cell of it.

``values`` gives actual and base for every indicator: base is the denominator of a share
and the number of cases behind a median (None for a count).
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
from sqlalchemy import Engine

from core.scope import Filters, Scope
from metrics.progress import TESTIFIED
from queries import funnel as qf
from queries import indicators as qi
from queries import progress as qp
from queries import training as qt
from queries.cells import ALL, Cells, scopes_of, union
from queries.measures import BY_ID, totals_by_cells_stmt
from queries.run import fetch
from warehouse.indicators import BY_CODE, CODES
from warehouse.maintained_cohort import FIRST_SERVICE

# Counted indicators -> their measure.
MEASURED = {
    "PS.5.1-28": "first_responders_trained",
    "PS.5.1-29": "hotline_referred",
    "PS.5.3-15": "prevention_trained",
    "PEOPLE_TRAINED": "people_trained",
    "OUTREACH_PARTICIPANTS": "outreach_participants",
    "HOTLINE_TIP_REPORTS": "hotline_tip_reports",
    "CASES_REPORTED": "cases_reported",
    "CASES_INVESTIGATED": "investigations_opened",
    "CASES_CHARGED": "cases_charged",
    "CONVICTIONS": "convictions",
    "SURVIVORS_SERVED": "survivors_served",
}
# A share of two measures: (numerator, denominator).
MEASURED_SHARES = {"CONVICTION_RATE": ("convictions", "decided")}
# Every measure the indicators read.
READ = tuple(sorted({*MEASURED.values(), *(m for pair in MEASURED_SHARES.values() for m in pair)}))

Value = tuple[float | None, int | None]  # (actual, base)
Cell = tuple[str, str]  # (period, county scope)
CELL = {"period": pl.String, "county_scope": pl.String}


def share(numerator: int | None, denominator: int | None) -> Value:
    """numerator ÷ denominator (Python's division, correctly rounded); none over 0."""
    if not denominator or numerator is None:
        return None, denominator
    return numerator / denominator, denominator


def _measures(engine: Engine, scope: Scope, cells: Cells) -> pl.DataFrame:
    return fetch(engine, totals_by_cells_stmt(tuple(BY_ID[m] for m in READ), scope, cells), scope,
                 schema={"measure": pl.String} | CELL | {"current": pl.Int64},
                 counts=("current",), additive=False)


def _intervals(engine: Engine, scope: Scope, cells: Cells) -> pl.DataFrame:
    """The funnel's ``durations`` and the progress page's ``time_to_service``: the days
    between two steps for the cohort, each period read as its plan says
    (``queries.funnel.plans_by_cells``: one decision for all the cells)."""
    stmt = qf.intervals_by_cells_stmt(scope, cells, qf.plans_by_cells(engine, scope, cells),
                                      (*qf.INTERVALS, FIRST_SERVICE))
    return fetch(engine, stmt, scope, schema=CELL | {
        "interval": pl.String, "cases": pl.Int64, "median_days": pl.Float64,
        "p75_days": pl.Float64}, counts=("cases",), additive=False)


BUCKETS = tuple(code for code, _ in qp.AGE_BUCKETS)


def _open_by_age(engine: Engine, scope: Scope, cells: Cells) -> pl.DataFrame:
    """Cases open on each period's last day, by age (the progress page's ``pending_age``)."""
    stmt = qp.open_by_age_stmt(scope, [(k, e) for k, _, e in cells.periods], cells.scopes)
    return fetch(engine, stmt, scope, schema={"key": pl.String, "county_scope": pl.String}
                 | {b: pl.Int64 for b in BUCKETS}, counts=BUCKETS, additive=False
                 ).rename({"key": "period"})


def _testimony(engine: Engine, scope: Scope, cells: Cells) -> pl.DataFrame:
    """The progress page's ``testimony``."""
    counts = (TESTIFIED, *qp.MEASURES)
    return fetch(engine, union(lambda f: qp.testimony_wide(scope, f), cells), scope,
                 schema=CELL | {m: pl.Int64 for m in counts}, counts=counts, additive=False)


def _learning(engine: Engine, scope: Scope, cells: Cells) -> pl.DataFrame:
    """The training page's ``learning`` counts, summed over its courses and cadres."""
    return fetch(engine, qt.learning_by_cells_stmt(scope, cells), scope,
                 schema=CELL | {"with_both_scores": pl.Int64, "gained_10": pl.Int64},
                 counts=("with_both_scores", "gained_10"), additive=False)


def _consent(engine: Engine, scope: Scope, cells: Cells) -> pl.DataFrame:
    return fetch(engine, union(lambda f: qi.consent_stmt(scope, f), cells), scope,
                 schema=CELL | {"cases": pl.Int64, "documented": pl.Int64},
                 counts=("cases", "documented"), additive=False)


class Figures:
    """The figures the indicators of some cells are read from, each counted once for all
    the cells however many indicators read it, as {key: row}: keyed by the cell, and by
    the measure or interval first where a cell has several rows."""

    def __init__(self, engine: Engine, scope: Scope, cells: Cells):
        self.engine, self.scope, self.cells = engine, scope, cells
        self._got: dict[Callable, dict[tuple, dict]] = {}

    def __call__(self, figure: Callable[[Engine, Scope, Cells], pl.DataFrame]
                 ) -> dict[tuple, dict]:
        if figure not in self._got:
            df = figure(self.engine, self.scope, self.cells)
            keys = [k for k in ("measure", "interval") if k in df.columns]
            self._got[figure] = {tuple(r[k] for k in (*keys, "period", "county_scope")): r
                                 for r in df.iter_rows(named=True)}
        return self._got[figure]

    def count(self, figure: Callable, key: tuple, column: str) -> int | None:
        """A count of the cell ``key``; 0 for a cell without a row (nothing to count)."""
        row = self(figure).get(key)
        return 0 if row is None else row[column]


def _knowledge_gain(figures: Figures, cell: Cell) -> Value:
    return share(figures.count(_learning, cell, "gained_10"),
                 figures.count(_learning, cell, "with_both_scores"))


def _interval(name: str):
    def compute(figures: Figures, cell: Cell) -> Value:
        row = figures(_intervals).get((name, *cell))
        return (None, 0) if row is None else (row["median_days"], row["cases"])
    return compute


def _open_older(buckets: tuple[str, ...]):
    def compute(figures: Figures, cell: Cell) -> Value:
        counts = [figures.count(_open_by_age, cell, code) for code, _ in qp.AGE_BUCKETS]
        older = [figures.count(_open_by_age, cell, code) for code in buckets]
        return share(sum(n or 0 for n in older), sum(n or 0 for n in counts))
    return compute


def _testimony_protected(figures: Figures, cell: Cell) -> Value:
    return share(figures.count(_testimony, cell, qp.ANY_MEASURE),
                 figures.count(_testimony, cell, TESTIFIED))


def _consent_documented(figures: Figures, cell: Cell) -> Value:
    return share(figures.count(_consent, cell, "documented"),
                 figures.count(_consent, cell, "cases"))


COMPUTED: dict[str, Callable[[Figures, Cell], Value]] = {
    "KNOWLEDGE_GAIN": _knowledge_gain,
    "REPORT_TO_CHARGE_DAYS": _interval("report_to_charge"),
    "CHARGE_TO_JUDGMENT_DAYS": _interval("charge_to_judgment"),
    "OPEN_OVER_6_MONTHS": _open_older(("6_to_12_months", "1_to_3_years", "over_3_years")),
    "OPEN_OVER_3_YEARS": _open_older(("over_3_years",)),
    "TESTIMONY_PROTECTED": _testimony_protected,
    "DAYS_TO_FIRST_SERVICE": _interval(FIRST_SERVICE),
    "CONSENT_DOCUMENTED": _consent_documented,
}
ATTACHED = (*MEASURED, *MEASURED_SHARES, *COMPUTED)

VALUES_SCHEMA = {"indicator_code": pl.String, "actual": pl.Float64, "base": pl.Int64}
CELL_VALUES_SCHEMA = CELL | VALUES_SCHEMA


def cell_values(engine: Engine, scope: Scope, cells: Cells) -> pl.DataFrame:
    """period, county_scope, indicator_code, actual, base: every registered indicator in
    every cell, period by period, scope by scope, in the register's order."""
    figures = Figures(engine, scope, cells)
    rows = []
    for period, _, _ in cells.periods:
        for county_scope, _ in cells.scopes:
            cell = (period, county_scope)
            counts = {m: figures.count(_measures, (m, *cell), "current") for m in READ}
            got: dict[str, Value] = {code: (counts[m], None) for code, m in MEASURED.items()}
            got |= {code: share(counts[n], counts[d])
                    for code, (n, d) in MEASURED_SHARES.items()}
            got |= {code: compute(figures, cell) for code, compute in COMPUTED.items()}
            rows += [(period, county_scope, c, *got[c]) for c in CODES]
    return pl.DataFrame(rows, schema=CELL_VALUES_SCHEMA, orient="row")


def values(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """indicator_code, actual, base: every registered indicator over the period and
    counties chosen (one cell), in the register's order."""
    cells = Cells((("period", filters.start, filters.end),), scopes_of([ALL], filters.counties),
                  filters.as_of)
    return cell_values(engine, scope, cells).drop("period", "county_scope")


# --- drill-downs: an indicator split by one of its dimensions (other than county) -------

BREAKDOWN_SCHEMA = {"value": pl.String, "actual": pl.Float64, "base": pl.Int64}


def _frame(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=BREAKDOWN_SCHEMA, orient="row")


def _counted(df: pl.DataFrame) -> pl.DataFrame:
    return _frame([(v, n, None) for v, n in df.select("value", "n").iter_rows()])


def _learning_by(engine, scope, filters, dimension) -> pl.DataFrame:
    learning = qt.learning(engine, scope, filters)
    per = learning.group_by(dimension).agg(pl.col("gained_10").sum(),
                                           pl.col("with_both_scores").sum()).sort(dimension)
    return _frame([(v, *share(g, b)) for v, g, b in per.iter_rows()])


def _testimony_by(engine, scope, filters) -> pl.DataFrame:
    counts = dict(qp.testimony(engine, scope, filters).select("measure", "hearings").iter_rows())
    base = counts.pop(TESTIFIED)
    return _frame([(m, *share(n, base)) for m, n in counts.items()])


def _consent_by(engine, scope, filters, dimension) -> pl.DataFrame:
    rows = qi.consent(engine, scope, filters, by=dimension)
    return _frame([(v, *share(d, n)) for v, n, d in rows.iter_rows()])


def breakdown(engine: Engine, scope: Scope, filters: Filters, code: str,
              dimension: str) -> pl.DataFrame:
    """value, actual, base: ``code`` per value of ``dimension`` (one of its register
    disaggregations other than county, which is the indicators table's own rows)."""
    if dimension not in BY_CODE[code].disaggregations or dimension == "county":
        raise KeyError(f"{code} has no drill-down by {dimension!r}")
    if code == "KNOWLEDGE_GAIN":
        return _learning_by(engine, scope, filters, dimension)
    if code == "TESTIMONY_PROTECTED":
        return _testimony_by(engine, scope, filters)
    if code == "CONSENT_DOCUMENTED":
        return _consent_by(engine, scope, filters, dimension)
    if code == "OUTREACH_PARTICIPANTS" and dimension == "sex":
        return _counted(qi.attendance_by_sex(engine, scope, filters))
    return _counted(qi.split(engine, scope, filters, BY_ID[MEASURED[code]], dimension))
