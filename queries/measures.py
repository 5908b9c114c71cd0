"""Counted measures, each defined once: what is counted, on which date, in which county.

The overview's headline counts a measure over a period (``total``); the release that
summaries-only readers see counts it by county group and quarter (``grouped``). Both are
built from the same definition, so a headline and a published table cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import BindParameter, ColumnElement, Select, Table, distinct, func, select

from core.scope import Filters, Scope
from queries.scoping import in_scope
from warehouse.schema import case_events, cases, hotline_reports, outreach, services, trainings


@dataclass(frozen=True)
class Measure:
    id: str
    label: str
    counts: str  # the counting rule in words, shown as the figure's help text
    table: Table
    day: str  # the date column that places a row in a period
    value: Callable[[], ColumnElement]  # the count over the rows
    where: Callable[[], ColumnElement] | None = None
    # Whether counts add up across counties, and across quarters (a distinct count of
    # people does not: someone trained in two quarters is one person in the year).
    adds_across_counties: bool = True
    adds_across_quarters: bool = True

    @property
    def day_column(self) -> ColumnElement:
        return self.table.c[self.day]

    @property
    def county_column(self) -> ColumnElement:
        return self.table.c.county_code

    def _base(self, *columns, start: date, end: date) -> Select:
        stmt = select(*columns).select_from(self.table).where(
            self.day_column.between(start, end))
        return stmt if self.where is None else stmt.where(self.where())

    def total(self, scope: Scope, filters: Filters) -> Select:
        """One row, one column ``n``: the count over the period and the reader's counties."""
        stmt = self._base(func.coalesce(self.value(), 0).label("n"),
                          start=filters.start, end=filters.end)
        return in_scope(stmt, self.county_column, scope, filters)

    def grouped(self, labels: dict[str, ColumnElement], start: date, end: date) -> Select:
        """One column per label, then ``n``; grouped by the labels that are expressions over
        the rows (a constant label, such as 'ALL', is only repeated)."""
        columns = [expr.label(name) for name, expr in labels.items()]
        stmt = self._base(*columns, func.coalesce(self.value(), 0).label("n"),
                          start=start, end=end)
        keys = [c for c, expr in zip(columns, labels.values(), strict=True)
                if not isinstance(expr, BindParameter)]
        return stmt.group_by(*keys) if keys else stmt


def _count():
    return func.count()


MEASURES = (
    Measure("cases_reported", "Cases reported", "Cases whose report date falls in the period.",
            cases, "reported_on", _count),
    Measure("cases_charged", "Cases charged",
            "Cases that reached 'charged' on a date in the period.", case_events, "occurred_on",
            _count, lambda: case_events.c.stage == "charged"),
    Measure("convictions", "Convictions",
            "Cases with a conviction recorded on a date in the period.", case_events,
            "occurred_on", _count, lambda: case_events.c.stage == "convicted"),
    Measure("survivors_served", "Survivors served",
            "Survivors who received at least one service in the period.", services,
            "provided_on", lambda: func.count(distinct(services.c.case_key)),
            adds_across_quarters=False),
    Measure("people_trained", "People trained",
            "Different people who took part in a training, mentorship or technical assistance "
            "session in the period (counted once however many they attended).", trainings,
            "held_on", lambda: func.count(distinct(trainings.c.participant_key)),
            adds_across_counties=False, adds_across_quarters=False),
    Measure("outreach_participants", "Outreach participants",
            "Attendance at community sessions in the period (a person at two sessions counts "
            "twice).", outreach, "held_on",
            lambda: func.sum(outreach.c.participants_female + outreach.c.participants_male)),
)
HOTLINE_REPORTS = Measure(
    "hotline_reports", "Hotline reports",
    "Reports received by the 116 helpline or a referral desk in the period.", hotline_reports,
    "received_on", _count)

BY_ID = {m.id: m for m in (*MEASURES, HOTLINE_REPORTS)}
