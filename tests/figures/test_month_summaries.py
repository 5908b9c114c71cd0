"""The funnel's cohort figures and the outreach page's hotline table, read from the summaries
kept by month (whole months) and from the rows themselves (the days left over at either
end of a period), equal the hand counts over the raw tables, on both backends.

The other figures tests mostly ask for whole months, or for periods whose cohort moved after
the as-of date (read case by case); these periods make each figure add summary rows to rows
read one by one, and check that it did."""

from datetime import date

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
