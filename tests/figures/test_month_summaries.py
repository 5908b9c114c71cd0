"""The funnel's cohort figures, the progress page's time to a first service and the outreach
page's hotline table, read from the summaries
kept by month (whole months) and from the rows themselves (the days left over at either
end of a period), equal the hand counts over the raw tables, on both backends.

The other figures tests mostly ask for whole months, or for periods whose cohort moved after
the as-of date (read case by case); these periods make each figure add summary rows to rows
read one by one, and check that it did."""

from datetime import date, timedelta

import pytest

from core.scope import Filters
from figures import registry
from queries import by_month
from queries import funnel as funnel_queries
from tests.figures import independent
from tests.figures.hand_count import HandCount, Warehouse
from tests.figures.test_funnel_progress import SCOPES, _counties, _rows
from warehouse.schema import hotline_reports

# Whole months from March to July, and days in February and August; followed to the data's
# last day, so that nothing in the cohort happened after the as-of date.
MID_MONTH = Filters(date(2023, 2, 10), date(2023, 8, 20), as_of=date(2026, 11, 15))
# Ends mid-June with later June rows in the warehouse: June is read row by row.
TO_MID_JUNE = Filters(date(2025, 3, 1), date(2025, 6, 17), as_of=date(2026, 11, 15))
CHOICES = {"mid-month": MID_MONTH, "to-mid-june": TO_MID_JUNE}
COHORT = ["funnel", "exits", "durations", "pending", "breakdown"]


@pytest.fixture(scope="module")
def raw(demo_warehouse):
    return Warehouse(demo_warehouse)


@pytest.fixture(scope="module")
def tables(demo_warehouse):
    return independent.load(demo_warehouse)


@pytest.mark.parametrize("choice", sorted(CHOICES))
@pytest.mark.parametrize("who", ["manager", "cuc_kilifi"])
def test_cohort_figures_from_summaries_and_rows_equal_the_hand_count(demo_warehouse, raw,
                                                                    who, choice):
    scope, filters = SCOPES[who], CHOICES[choice]
    split = funnel_queries.plan(demo_warehouse, scope, filters)
    assert split.months and split.days, "both the summaries and the rows are read"
    got = registry.tables("funnel", demo_warehouse, scope, filters)
    hand = HandCount(raw, _counties(scope, filters), filters.start, filters.end, filters.as_of)
    for name in COHORT:
        assert _rows(got[name]) == getattr(hand, name)(), (name, who, choice)
    served = registry.tables("progress", demo_warehouse, scope, filters)["time_to_service"]
    assert _rows(served) == hand.time_to_service(), (who, choice)


def _latest_step(case) -> date:
    return max([case.row["reported_on"], *case.events.values()])


def test_a_first_service_after_the_as_of_date_is_not_counted(demo_warehouse, raw):
    """A month whose cases' last step is a first service: followed to the day before it,
    the month is read case by case, so that service is not counted (nor its days)."""
    months = {}
    for case in raw.cases.values():
        key = (case.row["county_code"], case.row["reported_on"].replace(day=1))
        months.setdefault(key, []).append(case)
    found = None
    for (county, first), month in sorted(months.items()):
        steps = max(_latest_step(c) for c in month)
        services = [min(c.services) for c in month if c.services]
        if services and max(services) > steps + timedelta(days=1):
            found = county, first, max(services) - timedelta(days=1)
            break
    assert found, "the demo has a month whose last step is a first service"
    county, first, as_of = found
    end = date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(days=1)
    filters = Filters(first, end, (county,), as_of=as_of)
    scope = SCOPES["manager"]
    hand = HandCount(raw, (county,), first, end, as_of)
    got = registry.tables("progress", demo_warehouse, scope, filters)["time_to_service"]
    assert _rows(got) == hand.time_to_service()


@pytest.mark.parametrize("choice", sorted(CHOICES))
@pytest.mark.parametrize("who", ["manager", "cuc_kilifi"])
def test_hotline_from_summaries_and_rows_equals_the_count(demo_warehouse, tables, who, choice):
    scope, f = SCOPES[who], CHOICES[choice]
    codes = independent.allowed(scope, f)
    split = by_month.split(demo_warehouse, f.start, f.end, hotline_reports.c.received_on,
                           hotline_reports.c.county_code, codes)
    assert split.months and split.days, "both the summary and the rows are read"
    contract = independent.CONTRACT["outreach"]
    hotline = registry.tables("outreach", demo_warehouse, scope, f)["hotline"]
    assert {r[:4]: r[4:] for r in hotline.select(contract["hotline"]).iter_rows()} == \
        independent.hotline(tables, codes, f.start, f.end)
