"""Each registered indicator's computation, attached by code (``warehouse.indicators`` holds
what each one is).

Wherever a page already shows the figure, the indicator is read from that page's own
computation, never a second one: counts from their measure (``queries.measures``, as the
overview, map and summary count them), the conviction rate as the map divides it, the
medians from the funnel's ``durations`` and the progress page's ``time_to_service``, the
old-case shares from ``pending_age``, the protected testimonies from ``testimony``, the
knowledge gain from the training page's ``learning``. Only consent documented is new.

``values`` gives actual and base for every indicator: base is the denominator of a share
and the number of cases behind a median (None for a count).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import polars as pl
from sqlalchemy import Engine

from core.scope import Filters, Scope
from figures import funnel as funnel_figures
from figures import progress as progress_figures
from metrics.progress import TESTIFIED
from queries import indicators as qi
from queries import progress as qp
from queries import training as qt
from queries.measures import BY_ID
from warehouse.indicators import BY_CODE, CODES

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

Value = tuple[float | None, int | None]  # (actual, base)


def share(numerator: int | None, denominator: int | None) -> Value:
    """numerator ÷ denominator (Python's division, correctly rounded); none over 0."""
    if not denominator or numerator is None:
        return None, denominator
    return numerator / denominator, denominator


class Figures:
    """The page figures the indicators of one period and county scope are read from, each
    computed once however many indicators read it (two read the funnel's durations, two the
    open cases by age)."""

    def __init__(self, engine: Engine, scope: Scope, filters: Filters):
        self.engine, self.scope, self.filters = engine, scope, filters
        self._got: dict[Callable, pl.DataFrame] = {}

    def __call__(self, figure: Callable[[Engine, Scope, Filters], pl.DataFrame]
                 ) -> pl.DataFrame:
        if figure not in self._got:
            self._got[figure] = figure(self.engine, self.scope, self.filters)
        return self._got[figure]


def _pending_age_at_end(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """Cases open on the period's last day, by age (the progress page's ``pending_age``)."""
    return qp.pending_age(engine, scope, replace(filters, as_of=filters.end))


def _knowledge_gain(figures: Figures) -> Value:
    learning = figures(qt.learning)
    return share(int(learning["gained_10"].sum()), int(learning["with_both_scores"].sum()))


def _interval(name: str):
    def compute(figures: Figures) -> Value:
        rows = figures(funnel_figures.durations)
        row = rows.filter(pl.col("interval") == name).row(0, named=True)
        return row["median_days"], row["cases"]
    return compute


def _open_older(buckets: tuple[str, ...]):
    def compute(figures: Figures) -> Value:
        ages = figures(_pending_age_at_end)
        older = int(ages.filter(pl.col("bucket").is_in(buckets))["cases"].sum())
        return share(older, int(ages["cases"].sum()))
    return compute


def _testimony_protected(figures: Figures) -> Value:
    counts = dict(figures(qp.testimony).select("measure", "hearings").iter_rows())
    return share(counts["any"], counts[TESTIFIED])


def _days_to_first_service(figures: Figures) -> Value:
    row = figures(progress_figures.time_to_service).row(0, named=True)
    return row["median_days"], row["cases"]


def _consent(figures: Figures) -> Value:
    row = figures(qi.consent).row(0, named=True)
    return share(row["documented"], row["cases"])


COMPUTED: dict[str, Callable[[Figures], Value]] = {
    "KNOWLEDGE_GAIN": _knowledge_gain,
    "REPORT_TO_CHARGE_DAYS": _interval("report_to_charge"),
    "CHARGE_TO_JUDGMENT_DAYS": _interval("charge_to_judgment"),
    "OPEN_OVER_6_MONTHS": _open_older(("6_to_12_months", "1_to_3_years", "over_3_years")),
    "OPEN_OVER_3_YEARS": _open_older(("over_3_years",)),
    "TESTIMONY_PROTECTED": _testimony_protected,
    "DAYS_TO_FIRST_SERVICE": _days_to_first_service,
    "CONSENT_DOCUMENTED": _consent,
}
ATTACHED = (*MEASURED, *MEASURED_SHARES, *COMPUTED)

VALUES_SCHEMA = {"indicator_code": pl.String, "actual": pl.Float64, "base": pl.Int64}


def values(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """indicator_code, actual, base: every registered indicator, in the register's order."""
    wanted = {*MEASURED.values(), *(m for pair in MEASURED_SHARES.values() for m in pair)}
    counts = qi.totals(engine, scope, filters, tuple(BY_ID[m] for m in sorted(wanted)))
    got: dict[str, Value] = {code: (counts[m], None) for code, m in MEASURED.items()}
    got |= {code: share(counts[n], counts[d]) for code, (n, d) in MEASURED_SHARES.items()}
    figures = Figures(engine, scope, filters)
    got |= {code: compute(figures) for code, compute in COMPUTED.items()}
    return pl.DataFrame([(c, *got[c]) for c in CODES], schema=VALUES_SCHEMA, orient="row")


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
