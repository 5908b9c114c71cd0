"""Queries behind the prosecution funnel (figures contract, page ``funnel``).

Cohort figures follow the cases reported in the period, as they stood on the as-of
date (``warehouse.standing`` says what "reached", "open" and "current stage" mean);
the activity figure counts stage events dated in the period. The cohort's whole months
are read from the summaries kept by county and month (``warehouse.maintained_cohort``)
when none of their cases moved after the as-of date, the rest case by case from the
milestones (``plan``); the two parts add up (counts) or are ranked together (medians,
from the summaries' counts per number of days). Each ``*_stmt`` builds one select; each reader function runs it through ``queries.run.fetch`` and returns the
contract's columns, every row of the table present (zeros and empty medians included).
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import (
    Engine,
    Integer,
    Select,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    union_all,
)

from core.periods import split_months
from core.scope import Filters, Scope, effective_counties
from metrics.tables import complete
from queries import by_month
from queries import milestones as ms
from queries.by_month import Kept, Split, in_counties, rows
from queries.cells import ALL, Cells, period_of_day, period_of_month, scopes_of
from queries.counting import as_rows, count_if
from queries.percentiles import MEDIAN, P75, percentiles
from queries.run import connected, fetch, per_read, protect
from queries.scoping import in_scope
from warehouse import maintained_cohort as summary
from warehouse import vocab
from warehouse.constructs import days_between
from warehouse.schema import (
    case_events,
    case_milestones,
    cases,
    cohort_attribute_months,
    cohort_duration_months,
    cohort_months,
)

FUNNEL_STAGES = (*vocab.PROGRESSION_STAGES, ms.CONVICTED)
STILL_OPEN = "still_open"
EXITS = (*(s for s in vocab.TERMINAL_STAGES if s != ms.CONVICTED), STILL_OPEN)
INTERVALS = summary.INTERVALS  # interval -> (from stage, to stage)
# Dimension -> for a coded attribute, every code it may hold.
BREAKDOWNS = {
    "county": None,
    "offence": vocab.OFFENCES,
    "victim_age_band": vocab.AGE_BANDS,
    "victim_sex": vocab.SEXES,
    "referral_source": vocab.REFERRAL_SOURCES,
}
BREAKDOWN_COUNTS = summary.BREAKDOWN_COUNTS
PERIOD = "chosen"  # the key of a page's one period, counted as a cell


# --- the cohort's rows: the summaries for whole months, the milestones for the rest ------

def plan(engine: Engine, scope: Scope, filters: Filters) -> Split:
    """Where the cohort is read from. The summaries hold their cases as they stand at the end
    of time, which is how they stood on the as-of date when none of them reached a stage
    or ended after it: then the whole months come from the summaries and the days left
    over from the milestones, as of the as-of date. Otherwise (an as-of date before some
    of the cohort's steps) every case is read from the milestones, as of that date.
    Decided once per page read (``queries.run.per_read``: the funnel's figures and the
    progress page's time to service all follow the same cohort)."""
    return per_read(engine, ("cohort plan", scope, filters),
                    lambda: _plan(engine, scope, filters))


def _plan(engine: Engine, scope: Scope, filters: Filters) -> Split:
    # The cases' own report dates (the milestones copy them), read through their index.
    split = by_month.split(engine, filters.start, filters.end, cases.c.reported_on,
                           cases.c.county_code, effective_counties(scope, filters))
    if not split.months:
        return split
    c = cohort_months.c
    latest = in_scope(select(func.max(c.latest_on)).where(c.reported_month.in_(split.months)),
                      c.county_code, scope, filters)
    with connected(engine) as conn:
        last = conn.execute(latest).scalar()
    return split if last is None or last <= filters.as_of else Split.row_by_row(
        filters.start, filters.end)


def _kept(table) -> Kept:
    m = case_milestones.c
    return Kept(table, "reported_month", m.reported_on, m.county_code)


def _sum(condition, weight):
    """The sum of ``weight`` over the rows meeting ``condition`` (0 over none)."""
    return func.coalesce(func.sum(case((condition, weight), else_=0)), 0)


def _wide(table, scope: Scope, filters: Filters, split: Split, names, from_summary, live):
    """One row, a column per name: the sums of the summary's counts (whole months) and the
    milestones' (the days left over), which add up as the cases do."""
    parts = rows(_kept(table), split, effective_counties(scope, filters),
                 lambda where: select(*live()).select_from(case_milestones).where(*where),
                 f"{table.name}_parts",
                 lambda where: select(*from_summary(table.c)).where(*where)).c
    return select(*[cast(func.sum(parts[n]), Integer).label(n) for n in names])


def funnel_stmt(scope: Scope, filters: Filters, split: Split) -> Select:
    """Cohort cases that had reached each stage by the as-of date, in stage order (in the
    summary, a case reached every stage up to the latest it reached)."""
    progression = vocab.PROGRESSION_STAGES

    def from_summary(r):
        return [*[_sum(r.reached.in_(progression[i:]), r.cases).label(stage)
                  for i, stage in enumerate(progression)],
                _sum(r.terminal_stage == ms.CONVICTED, r.cases).label(ms.CONVICTED)]

    def live():
        return [count_if(ms.reached(s, filters.as_of)).label(s) for s in FUNNEL_STAGES]

    wide = _wide(cohort_months, scope, filters, split, FUNNEL_STAGES, from_summary, live)
    return as_rows(wide, "stage", "cases", FUNNEL_STAGES)


def exits_stmt(scope: Scope, filters: Filters, split: Split) -> Select:
    """Cohort cases by how they left the funnel by the as-of date, or still open."""
    ways = [s for s in EXITS if s != STILL_OPEN]

    def from_summary(r):
        return [*[_sum(r.terminal_stage == s, r.cases).label(s) for s in ways],
                _sum(r.terminal_stage.is_(None), r.cases).label(STILL_OPEN)]

    def live():
        return [*[count_if(ms.ended(s, filters.as_of)).label(s) for s in ways],
                count_if(ms.open_on(filters.as_of)).label(STILL_OPEN)]

    wide = _wide(cohort_months, scope, filters, split, EXITS, from_summary, live)
    return as_rows(wide, "exit", "cases", EXITS)


def plans_by_cells(engine: Engine, scope: Scope, cells: Cells) -> dict[str, Split]:
    """Each period's ``plan``, for every county scope of ``cells``: a period of whole months
    is read from the summaries unless a case of its cohort in any county read reached a
    stage or ended after the as-of date (one statement for all of them; a plan for fewer
    counties could only be read from the summaries more often, and either reading gives
    the same figures); a period cut short, as ``plan`` decides alone for each scope."""
    plans, whole = {}, []
    for key, start, end in cells.periods:
        if split_months(start, end)[1]:
            plans[key] = plan(engine, scope, Filters(start, end, cells.counties,
                                                     as_of=cells.as_of))
        else:
            whole.append((key, start, end))
    if whole:
        months = {key: split_months(start, end)[0] for key, start, end in whole}
        c = cohort_months.c
        latest = in_scope(select(c.reported_month, func.max(c.latest_on))
                          .where(c.reported_month.in_(sorted({m for ms in months.values()
                                                              for m in ms})))
                          .group_by(c.reported_month), c.county_code, scope,
                          Filters(min(p[1] for p in whole), max(p[2] for p in whole), cells.counties,
                                  as_of=cells.as_of))
        with connected(engine) as conn:
            last = dict(conn.execute(latest).all())
        for key, start, end in whole:
            moved = any(last.get(m) is not None and last[m] > cells.as_of for m in months[key])
            plans[key] = Split.row_by_row(start, end) if moved else Split.of(start, end)
    return plans


def intervals_by_cells_stmt(scope: Scope, cells: Cells, plans: dict[str, Split],
                            intervals: tuple[str, ...]) -> Select:
    """period, county_scope, interval, cases, median_days, p75_days: for each of
    ``intervals``, the cohort cases of each cell (whose periods must be contiguous) that
    had reached both of its ends by the as-of date, and the days between them; a cell with
    no such case has no row. The rows are the summaries' for the whole months of each
    period's plan and the milestones' for its other days, ranked cell by cell in one
    statement (the indicators count eleven cells at once; a page one: ``intervals_stmt``)."""
    d, m = cohort_duration_months.c, case_milestones.c
    months = [month for p in plans.values() for month in p.months]
    days = [span for p in plans.values() for span in p.days]
    together, alone = cells.split_scopes()
    # (label, counties read): each scope read together, and the counties each a scope of
    # their own, labelled by their code (None: the rows' county).
    reads = [*together, *([(None, alone)] if alone else [])]
    parts = []
    for label, counties in reads:
        read = effective_counties(scope, cells.read(counties))
        if months:
            period = period_of_month(d.reported_month, cells).label("period")
            where = [d.interval.in_(intervals), d.reported_month.in_(months)]
            if read is not None:
                where.append(d.county_code.in_(read))
            parts.append(select(period, (literal(label) if label else d.county_code)
                                .label("county_scope"), d.interval, d.days, d.cases)
                         .where(*where))
        if days:
            parts.append(summary.duration_select(
                cells.as_of, [or_(*[m.reported_on.between(lo, hi) for lo, hi in days]),
                              in_counties(m.county_code, read)],
                by_month=False, intervals=intervals,
                labels=[period_of_day(m.reported_on, cells).label("period"),
                        (literal(label) if label else m.county_code).label("county_scope")]))
    parts = [p if isinstance(p, Select) else select(p.subquery()) for p in parts]
    values = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("cell_intervals")
    return percentiles(values, "days", by=["period", "county_scope", "interval"],
                       weight="cases", fractions={"median_days": MEDIAN, "p75_days": P75})


def intervals_stmt(scope: Scope, filters: Filters, split: Split,
                   intervals: tuple[str, ...]) -> Select:
    """interval, cases, median_days, p75_days: ``intervals_by_cells_stmt`` for the period
    and counties chosen, an interval without a case left out."""
    cells = Cells(((PERIOD, filters.start, filters.end),), scopes_of([ALL], filters.counties),
                  filters.as_of)
    c = intervals_by_cells_stmt(scope, cells, {PERIOD: split}, intervals).subquery("chosen").c
    return select(c.interval, c.cases, c.median_days, c.p75_days)


def durations_stmt(scope: Scope, filters: Filters, split: Split) -> Select:
    """Days between two stages for the cohort cases that had reached both by the as-of
    date: per interval, the cases, the median and the 75th percentile."""
    return intervals_stmt(scope, filters, split, tuple(INTERVALS))


def pending_stmt(scope: Scope, filters: Filters, split: Split) -> Select:
    """Cohort cases open on the as-of date by current stage, with the median days since
    they reached it."""
    on = filters.as_of

    def from_summary(where):
        r = cohort_months.c
        return select(r.reached.label("current_stage"),
                      days_between(r.waiting_since, ms.day(on)).label("days"),
                      r.cases.label("weight")).where(r.terminal_stage.is_(None), *where)

    def live(where):
        return select(ms.current_stage(on).label("current_stage"),
                      days_between(ms.current_stage_on(on), ms.day(on)).label("days"),
                      literal(1).label("weight")).where(ms.open_on(on), *where)

    values = rows(_kept(cohort_months), split, effective_counties(scope, filters), live,
                  "waiting", from_summary)
    return percentiles(values, "days", by=["current_stage"], weight="weight",
                       fractions={"median_days_waiting": MEDIAN})


def activity_stmt(scope: Scope, filters: Filters) -> Select:
    """Stage events dated in the period, whatever the case's report date."""
    e = case_events.c
    # Every stage named (all events have one of them), so that a county reader's count
    # reads the county's events in the period from the index, stage by stage.
    stmt = (select(e.stage, func.count().label("events"))
            .where(e.stage.in_(vocab.STAGES), e.occurred_on.between(filters.start, filters.end))
            .group_by(e.stage))
    return in_scope(stmt, e.county_code, scope, filters)


def breakdown_stmt(scope: Scope, filters: Filters, split: Split) -> Select:
    """Cohort cases by each attribute: reported, and those that had reached charged and
    convicted by the as-of date; one row per dimension and value."""
    r = rows(_kept(cohort_attribute_months), split, effective_counties(scope, filters),
             lambda where: summary.attribute_select(filters.as_of, where, by_month=False),
             "attributes_parts").c
    return (select(r.dimension, r.value,
                   *[cast(func.sum(r[n]), Integer).label(n) for n in BREAKDOWN_COUNTS])
            .group_by(r.dimension, r.value))


# --- the tables, through fetch ----------------------------------------------------------

def funnel(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """stage, cases (+ cases_withheld). Nested counts, so nothing adds up: not additive."""
    return fetch(engine, funnel_stmt(scope, filters, plan(engine, scope, filters)), scope,
                 schema={"stage": pl.String, "cases": pl.Int64}, counts=("cases",),
                 additive=False)


def exits(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """exit, cases (+ cases_withheld). With the convicted, they add up to the cohort."""
    return fetch(engine, exits_stmt(scope, filters, plan(engine, scope, filters)), scope,
                 schema={"exit": pl.String, "cases": pl.Int64}, counts=("cases",))


def durations(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """interval, cases, median_days, p75_days (+ cases_withheld), every interval."""
    df = fetch(engine, durations_stmt(scope, filters, plan(engine, scope, filters)), scope,
               schema={"interval": pl.String, "cases": pl.Int64, "median_days": pl.Float64,
                       "p75_days": pl.Float64},
               counts=("cases",), additive=False)
    return complete(df, "interval", list(INTERVALS), zeros=("cases",))


def pending(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """current_stage, cases, median_days_waiting (+ cases_withheld), every progression
    stage in order. They add up to the exits' still-open cases."""
    df = fetch(engine, pending_stmt(scope, filters, plan(engine, scope, filters)), scope,
               schema={"current_stage": pl.String, "cases": pl.Int64,
                       "median_days_waiting": pl.Float64},
               counts=("cases",))
    return complete(df, "current_stage", list(vocab.PROGRESSION_STAGES), zeros=("cases",))


def activity(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """stage, events (+ events_withheld), all ten stages in order."""
    df = fetch(engine, activity_stmt(scope, filters), scope,
               schema={"stage": pl.String, "events": pl.Int64}, counts=("events",),
               additive=False)
    return complete(df, "stage", list(vocab.STAGES), zeros=("events",))


def breakdown(engine: Engine, scope: Scope, filters: Filters) -> pl.DataFrame:
    """dimension, value, reported, charged, convicted (+ their ``_withheld``).

    Coded attributes list every code; counties list each county the reader chose or may
    see, or, for a reader of every county who chose none, the counties with a case in the
    cohort. Each dimension's rows add up to the cohort, so each is suppressed as a whole.
    """
    counts = tuple(BREAKDOWN_COUNTS)
    schema = {"dimension": pl.String, "value": pl.String} | {c: pl.Int64 for c in counts}
    every = fetch(engine, breakdown_stmt(scope, filters, plan(engine, scope, filters)), scope, schema=schema)
    parts = []
    for dimension, codes in BREAKDOWNS.items():
        df = every.filter(pl.col("dimension") == dimension).drop("dimension")
        df = protect(df, scope, counts)
        if codes is None:
            allowed = effective_counties(scope, filters)
            codes = sorted(set(allowed) if allowed is not None else set(df["value"]))
        df = complete(df, "value", list(codes), zeros=counts)
        parts.append(df.select(pl.lit(dimension).alias("dimension"), pl.all()))
    return pl.concat(parts)


# --- the rules in words: the page's help texts say what the statements above count -----
# ``{as_of}`` is the as-of date in words.
RULES = {
    "cohort": (
        "Cohort view: the cases reported in the period, followed to {as_of}, whenever "
        "their later steps happened."),
    "activity": (
        "Activity view: stage events dated in the period, whatever the case's report "
        "date. A case reported last year and charged this quarter counts here as charged."),
    "funnel": (
        "Each bar counts the cases reported in the period that had reached that stage by "
        "{as_of}: an event at that stage or any later one, dated on or before that day (a "
        "conviction or acquittal counts as a judgment), so no bar is longer than the one "
        "above it. 'Of reported' divides by the cases reported; 'of the stage before' by "
        "the bar above."),
    "exits": (
        "How the cases reported in the period had left the process by {as_of}: acquitted, "
        "withdrawn, or closed with no further action. 'Still open' cases have none of "
        "these and no conviction dated on or before that day; convictions are the "
        "funnel's last bar."),
    "durations": (
        "Calendar days between two stages (from the report date for 'report'), for the "
        "cases reported in the period that had reached both by {as_of}. Half of them took "
        "no longer than the median, three in four no longer than the 75th percentile. "
        "Cases still open are not in these figures: they are counted beside, with how "
        "long they have waited."),
    "pending": (
        "Cases reported in the period that were still open on {as_of} (no verdict, "
        "withdrawal or closure by then), by the latest stage each had reached, with the "
        "median days since it reached that stage (since the report, for 'Reported')."),
    "breakdown": (
        "Cases reported in the period, and of them the cases that had reached 'charged' "
        "(or any later stage) and a conviction by {as_of}."),
}
