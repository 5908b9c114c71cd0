"""Counted measures, each defined once: what is counted, on which date, in which county.

The overview's headline counts a measure over a period (``total``); the release that
summaries-only readers see counts it by county group and quarter (``grouped``). Both are
built from the same definition, so a headline and a published table cannot disagree.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import reduce

from sqlalchemy import (
    BindParameter,
    ColumnCollection,
    ColumnElement,
    Select,
    Table,
    and_,
    distinct,
    func,
    literal,
    or_,
    select,
    union_all,
)

from core.periods import split_months
from core.scope import Filters, Scope
from metrics.outreach import NOT_REFERRED, SERIOUS
from queries.cells import (
    Cells,
    first_month_of,
    grouped_by_scope,
    period_of_day,
    period_of_month,
)
from queries.scoping import in_scope
from warehouse import indicators as register
from warehouse.schema import (
    case_events,
    cases,
    cohort_months,
    hotline_months,
    hotline_reports,
    outreach,
    service_days,
    service_months,
    stage_months,
    trainings,
)

PeriodOf = Callable[[ColumnElement], ColumnElement]  # a day -> the key of its period
Rule = Callable[[ColumnCollection], ColumnElement]  # a measure's where, over a table's columns


@dataclass(frozen=True)
class Monthly:
    """A summary kept by county and month (``queries.by_month``) holding a counted measure's
    rows, counted (``count``: the column saying how many), with the columns its rule reads:
    a total over a period sums it for the whole months and counts the rows of the days left
    over."""

    summary: Table
    month: str
    count: str
    rule: Rule | None = None
    # For a measure with ``previous``: the summary's column holding the month of that day,
    # so that a row of the whole months counts when its previous month is before the first.
    previous_month: str | None = None


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
    # A distinct count kept without DISTINCT: the column holding the day of the same
    # person's previous row, so that a row counts only when that day is outside its period
    # (each person's first row in it); per a grouping column, the column holding the day of
    # their previous row with the same value (``service_days``).
    previous: str | None = None
    previous_by: tuple[tuple[str, str], ...] = ()
    # Whether the count over a period is the sum of its counts per day (a count or a sum of
    # rows; not a distinct count), so that it can be taken per county and day first.
    adds_across_days: bool = True
    monthly: Monthly | None = None

    @property
    def day_column(self) -> ColumnElement:
        return self.table.c[self.day]

    @property
    def county_column(self) -> ColumnElement:
        return self.table.c.county_code

    def _base(self, *columns, start: date, end: date, period: PeriodOf | None = None,
              by: str | None = None, period_start: date | None = None) -> Select:
        """The rows of [start, end]; for a measure with ``previous``, those first in the
        period that starts on ``period_start`` (``start`` unless given)."""
        stmt = select(*columns).select_from(self.table).where(
            self.day_column.between(start, end))
        first = self._first_in_period(period_start or start, period, by)
        if first is not None:
            stmt = stmt.where(first)
        return stmt if self.where is None else stmt.where(self.where())

    def _first_in_period(self, start: date, period: PeriodOf | None,
                         by: str | None) -> ColumnElement | None:
        """For a measure with ``previous``: the row is its person's first in its period (of
        ``period``, or from ``start``), per value of the grouping column ``by``."""
        column = dict(self.previous_by).get(by, self.previous) if by else self.previous
        if column is None:
            return None
        previous = self.table.c[column]
        outside = [previous.is_(None), previous < start]
        if period is not None:
            outside.append(period(previous) != period(self.day_column))
        return or_(*outside)

    def per_day(self, start: date, end: date, scope: Scope | None = None,
                filters: Filters | None = None) -> Select:
        """``county_code``, ``day``, ``n``: the count per county and day over [start, end]
        (in the reader's counties when ``scope`` is given), to be summed into the period over
        far fewer rows than the measure's table. Only for a measure that adds across days;
        one with ``previous`` counts each person once in [start, end], so its days add up
        to that period only (take one per period to sum into several)."""
        if not self.adds_across_days:
            raise ValueError(f"{self.id} is a distinct count: it cannot be summed over days")
        stmt = self.grouped({"county_code": self.county_column, "day": self.day_column},
                            start, end)
        return stmt if scope is None else in_scope(stmt, self.county_column, scope, filters)

    def total(self, scope: Scope, filters: Filters) -> Select:
        """One row, one column ``n``: the count over the period and the reader's counties.

        With a monthly summary, the period's whole months are summed from it and the days
        left over are counted row by row. A measure with ``previous`` counts each person's
        first row from the period's start, which the summary's months can tell only for a
        period that starts on a month's first day (any other is counted row by row)."""
        months, days = split_months(filters.start, filters.end)
        whole_from_start = self.previous is None or filters.start.day == 1
        if self.monthly is None or not months or not whole_from_start:
            stmt = self._base(func.coalesce(self.value(), 0).label("n"),
                              start=filters.start, end=filters.end)
            return in_scope(stmt, self.county_column, scope, filters)
        s = self.monthly.summary.c
        summed = self._months(func.coalesce(func.sum(s[self.monthly.count]), 0),
                              months=months)
        parts = [in_scope(summed, s.county_code, scope, filters)] + [
            in_scope(self._base(func.coalesce(self.value(), 0), start=lo, end=hi,
                                period_start=filters.start),
                     self.county_column, scope, filters)
            for lo, hi in days]
        return select(reduce(operator.add, [p.scalar_subquery() for p in parts]).label("n"))

    def _months(self, *columns, months: list[str],
                first: str | ColumnElement | None = None) -> Select:
        """``columns`` over the monthly summary's rows of ``months`` (whole months, in
        order) that the measure counts: those of its rule, and for a measure with
        ``previous`` those whose previous month is before the first of their period
        (``first``: the first of ``months`` unless given; each person's first rows from
        its first day)."""
        s = self.monthly.summary.c
        stmt = select(*columns).where(s[self.monthly.month].in_(months))
        if self.monthly.rule is not None:
            stmt = stmt.where(self.monthly.rule(s))
        if self.monthly.previous_month is not None:
            previous = s[self.monthly.previous_month]
            stmt = stmt.where(or_(previous.is_(None),
                                  previous < (months[0] if first is None else first)))
        return stmt

    def months_by_cells(self, scope: Scope, cells: Cells) -> list[Select]:
        """Selects of measure, month, county_scope, n: the count in each month of the
        cells' periods (whole months) and each of their county scopes, from the monthly
        summary as ``total`` sums a period's whole months (per month first, in the order
        of the summary's month index, with no sort); ``summed_by_cells`` adds the months
        into their periods."""
        s = self.monthly.summary.c
        month = s[self.monthly.month]
        # Only a measure with ``previous`` reads each month's period's first month.
        first = (first_month_of(month, cells) if self.monthly.previous_month is not None
                 else None)
        return grouped_by_scope(
            lambda label: self._months(literal(self.id).label("measure"),
                                       month.label("month"), label.label("county_scope"),
                                       func.sum(s[self.monthly.count]).label("n"),
                                       months=cells.months(), first=first),
            month, s.county_code, scope, cells)

    def counted_by_cells(self, scope: Scope, cells: Cells) -> list[Select]:
        """Selects of measure, period, county_scope, current: the count in each cell, whose
        periods must be contiguous, counted row by row as ``total`` counts a period (a
        person once in each period: ``previous`` compares the periods of the two days)."""
        period = period_of_day(self.day_column, cells)
        return grouped_by_scope(
            lambda label: self._base(literal(self.id).label("measure"), period.label("period"),
                                     label.label("county_scope"),
                                     func.coalesce(self.value(), 0).label("current"),
                                     start=cells.start, end=cells.end,
                                     period=lambda day: period_of_day(day, cells)),
            period, self.county_column, scope, cells)

    def per_month(self, start: date, end: date) -> Select:
        """``county_code``, ``n``: the count per county over [start, end], which must be
        whole months, summed from the monthly summary: a few rows per month instead of the
        measure's rows or days. Only for a measure with one (``monthly``); for one with
        ``previous``, [start, end] is its period (each person counted once in it)."""
        months, days = split_months(start, end)
        if self.monthly is None or not months or days:
            raise ValueError(f"{self.id}: no monthly summary for {start}–{end} (whole months "
                             "of a measure that has one only)")
        s = self.monthly.summary.c
        return self._months(s.county_code.label("county_code"),
                            func.sum(s[self.monthly.count]).label("n"),
                            months=months).group_by(s.county_code)

    def grouped(self, labels: dict[str, ColumnElement], start: date, end: date, *,
                period: PeriodOf | None = None, by: str | None = None) -> Select:
        """One column per label, then ``n``; grouped by the labels that are expressions over
        the rows (a constant label, such as 'ALL', is only repeated). ``period``: the
        function of the day that a label groups by (``quarter_key``...), and ``by``: the
        column a label groups by, for a distinct count to be taken per period or value."""
        columns = [expr.label(name) for name, expr in labels.items()]
        stmt = self._base(*columns, func.coalesce(self.value(), 0).label("n"),
                          start=start, end=end, period=period, by=by)
        keys = [c for c, expr in zip(columns, labels.values(), strict=True)
                if not isinstance(expr, BindParameter)]
        return stmt.group_by(*keys) if keys else stmt


def totals_stmt(measures: tuple[Measure, ...], scope: Scope, filters: Filters) -> Select:
    """One row per measure, in the order given: measure (its id), current (its total)."""
    return union_all(*[
        select(literal(m.id).label("measure"), m.total(scope, filters).scalar_subquery()
               .label("current"))
        for m in measures
    ])


def summed_by_cells(measures: tuple[Measure, ...], scope: Scope, cells: Cells) -> Select:
    """measure, period, county_scope, current: each measure's count in each cell, whose
    periods must be whole months, summed from its monthly summary (``months_by_cells``),
    the months of every measure put into their periods by one expression."""
    m = union_all(*[part for measure in measures
                    for part in measure.months_by_cells(scope, cells)]).subquery("months").c
    period = period_of_month(m.month, cells)
    return (select(m.measure, period.label("period"), m.county_scope,
                   func.sum(m.n).label("current"))
            .group_by(m.measure, period, m.county_scope))


def totals_by_cells_stmt(measures: tuple[Measure, ...], scope: Scope, cells: Cells) -> Select:
    """measure, period, county_scope, current: ``totals_stmt`` in every cell (one without
    anything to count may have no row), whose periods must be contiguous. A measure kept
    in a monthly summary is summed from it for the periods of whole months (all such
    measures at once: a few rows per county and month), and counted row by row in a period
    cut short at the as-of date; every other measure is counted row by row."""
    whole, cut = cells.whole_months()
    summed = tuple(m for m in measures if m.monthly is not None) if whole is not None else ()
    parts = [summed_by_cells(summed, scope, whole)] if summed else []
    for m in measures:
        if m not in summed:
            parts += m.counted_by_cells(scope, cells)
        elif cut is not None:
            parts += m.counted_by_cells(scope, cut)
    return select(union_all(*parts).subquery("measure_cells"))


def _count():
    return func.count()


def _stages(*stages: str) -> dict:
    """A stage measure's rule (events of these stages), over the events and over their
    monthly summary."""
    def rule(t: ColumnCollection) -> ColumnElement:
        return t.stage == stages[0] if len(stages) == 1 else t.stage.in_(stages)
    return {"where": lambda: rule(case_events.c),
            "monthly": Monthly(stage_months, "occurred_month", "events", rule)}


def _people():
    return func.count(distinct(trainings.c.participant_key))


def _trained_in(courses: tuple[str, ...], cadres: tuple[str, ...] | None = None):
    t = trainings.c
    parts = [t.delivery == "training", t.course.in_(courses)]
    if cadres is not None:
        parts.append(t.cadre.in_(cadres))
    return lambda: and_(*parts)


MEASURES = (
    Measure("cases_reported", "Cases reported", "Cases whose report date falls in the period.",
            cases, "reported_on", _count,
            monthly=Monthly(cohort_months, "reported_month", "cases")),
    Measure("cases_charged", "Cases charged",
            "Cases that reached 'charged' on a date in the period.", case_events, "occurred_on",
            _count, **_stages("charged")),
    Measure("convictions", "Convictions",
            "Cases with a conviction recorded on a date in the period.", case_events,
            "occurred_on", _count, **_stages("convicted")),
    Measure("survivors_served", "Survivors served",
            "Survivors who received at least one service in the period.", service_days,
            "provided_on", _count, adds_across_quarters=False, previous="previous_any_on",
            previous_by=(("service", "previous_on"),),
            monthly=Monthly(service_months, "provided_month", "service_rows",
                            previous_month="previous_month")),
    Measure("people_trained", "People trained",
            "Different people who took part in a training, mentorship or technical assistance "
            "session in the period (counted once however many they attended).", trainings,
            "held_on", lambda: func.count(distinct(trainings.c.participant_key)),
            adds_across_counties=False, adds_across_quarters=False, adds_across_days=False),
    Measure("outreach_participants", "Outreach participants",
            "Attendance at community sessions in the period (a person at two sessions counts "
            "twice).", outreach, "held_on",
            lambda: func.sum(outreach.c.participants_female + outreach.c.participants_male)),
)


def _hotline(rule: Rule | None = None) -> dict:
    """A hotline measure's rule, over the reports and over their monthly summary (which
    keeps their category, channel and referral)."""
    return {"where": None if rule is None else (lambda: rule(hotline_reports.c)),
            "monthly": Monthly(hotline_months, "received_month", "reports", rule)}


def _serious(t: ColumnCollection) -> ColumnElement:
    return t.category.in_(SERIOUS)


def _referred(t: ColumnCollection) -> ColumnElement:
    return and_(t.category.in_(SERIOUS), t.referred_to != NOT_REFERRED)


HOTLINE_REPORTS = Measure(
    "hotline_reports", "Hotline reports",
    "Reports received by the 116 helpline or a referral desk in the period.", hotline_reports,
    "received_on", _count, **_hotline())
# The conviction rate's denominator: cases decided or dropped after charge, in the period.
DECIDED = Measure(
    "decided", "Cases decided", "Convictions, acquittals and withdrawals dated in the period.",
    case_events, "occurred_on", _count, **_stages("convicted", "acquitted", "withdrawn"))
# Stage events and other counts the indicators and the summary add (see the register for
# the indicators' words).
MORE = (
    DECIDED,
    Measure("investigations_opened", "Investigations opened",
            "Cases with an investigation opened on a date in the period.", case_events,
            "occurred_on", _count, **_stages("investigation_opened")),
    Measure("hotline_tip_reports", "Trafficking and exploitation reports",
            register.BY_CODE["HOTLINE_TIP_REPORTS"].numerator, hotline_reports, "received_on",
            _count, **_hotline(_serious)),
    Measure("hotline_referred", "Referred for protection services",
            register.BY_CODE["PS.5.1-29"].numerator, hotline_reports, "received_on", _count,
            **_hotline(_referred)),
    Measure("first_responders_trained", "First responders trained on victim identification",
            register.BY_CODE["PS.5.1-28"].numerator, trainings, "held_on", _people,
            _trained_in(register.IDENTIFICATION_COURSES, register.FIRST_RESPONDERS),
            adds_across_counties=False, adds_across_quarters=False, adds_across_days=False),
    Measure("prevention_trained", "People trained in trafficking prevention",
            register.BY_CODE["PS.5.3-15"].numerator, trainings, "held_on", _people,
            _trained_in(register.PREVENTION_COURSES),
            adds_across_counties=False, adds_across_quarters=False, adds_across_days=False),
)

BY_ID = {m.id: m for m in (*MEASURES, HOTLINE_REPORTS, *MORE)}


@dataclass(frozen=True)
class Linked:
    """Published measures that are sums of disjoint parts, which a reader could subtract from
    one another (decided less convictions are the acquittals and withdrawals): the release
    protects them together (``metrics.protection.protect_linked``). The parts are counted
    but never published."""

    parts: tuple[Measure, ...]
    sums: dict[str, tuple[str, ...]]  # published measure id -> the ids of its parts


def _unreferred(t: ColumnCollection) -> ColumnElement:
    return and_(t.category.in_(SERIOUS), t.referred_to == NOT_REFERRED)


LINKED = (
    Linked((BY_ID["convictions"],
            Measure("acquitted_or_withdrawn", "Acquittals and withdrawals", "", case_events,
                    "occurred_on", _count, **_stages("acquitted", "withdrawn"))),
           {"convictions": ("convictions",),
            "decided": ("convictions", "acquitted_or_withdrawn")}),
    Linked((BY_ID["hotline_referred"],
            Measure("hotline_tip_unreferred", "Trafficking reports not referred", "",
                    hotline_reports, "received_on", _count, **_hotline(_unreferred)),
            Measure("hotline_other", "Other reports", "", hotline_reports, "received_on",
                    _count, **_hotline(lambda t: ~_serious(t)))),
           {"hotline_reports": ("hotline_referred", "hotline_tip_unreferred", "hotline_other"),
            "hotline_tip_reports": ("hotline_referred", "hotline_tip_unreferred"),
            "hotline_referred": ("hotline_referred",)}),
)
LINKED_BY_ID = {m: family for family in LINKED for m in family.sums}
