"""Every table of the funnel and progress pages equals a count by hand over the raw tables
(``tests/figures/hand_count.py``), for several readers, periods and as-of dates, on both
backends: exactly, medians and shares included."""

from __future__ import annotations

from datetime import date

import pytest

from auth.policy import Principal, scope_for
from core.scope import Filters, ScopeError
from figures import registry
from figures.export import columns
from queries import progress as qp
from tests.figures.hand_count import TERMINAL, HandCount, Warehouse

KILIFI, KWALE, MOMBASA = "003", "002", "001"
SCOPES = {
    "manager": scope_for(Principal("p", "P", "project_manager")),
    "cuc_kilifi": scope_for(Principal("k", "K", "cuc_member", (KILIFI,))),
    "cuc_kwale": scope_for(Principal("w", "W", "cuc_member", (KWALE,))),
}
CHOICES = {
    # The page's default on the demo's last day: four quarters, the last one running.
    "year-to-date": Filters(date(2026, 1, 1), date(2026, 11, 15), as_of=date(2026, 11, 15)),
    # A closed year, looked at well after it ended.
    "2024-as-of-mid-2026": Filters(date(2024, 1, 1), date(2024, 12, 31),
                                   as_of=date(2026, 6, 30)),
    # An early quarter as it stood when it ended.
    "2022-Q1": Filters(date(2022, 1, 1), date(2022, 3, 31)),
    # Odd dates: a period starting mid-month, as of a day inside a later month.
    "mid-month": Filters(date(2023, 2, 10), date(2023, 8, 20), as_of=date(2024, 2, 29)),
    # Kwale chosen by name: a manager may; a Kilifi member may not.
    "kwale-2025": Filters(date(2025, 1, 1), date(2025, 12, 31), counties=(KWALE,),
                          as_of=date(2026, 11, 15)),
}
PAGES = {
    "funnel": ["funnel", "exits", "durations", "pending", "activity", "breakdown"],
    "progress": ["pending_by_month", "pending_age", "adjournments", "adjournment_reasons",
                 "adjournments_by_station", "testimony", "services", "time_to_service"],
}


@pytest.fixture(scope="module")
def raw(demo_warehouse):
    return Warehouse(demo_warehouse)


def _counties(scope, filters):
    if scope.counties is None:
        return filters.counties
    return filters.counties or scope.counties


def _rows(df):
    cols = columns(df)
    return cols, [list(r) for r in df.select(cols).iter_rows()]


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("choice", sorted(CHOICES))
@pytest.mark.parametrize("who", sorted(SCOPES))
def test_every_table_equals_the_hand_count(demo_warehouse, raw, page, who, choice):
    scope, filters = SCOPES[who], CHOICES[choice]
    if scope.counties is not None and filters.counties and not (
            set(filters.counties) <= set(scope.counties)):
        with pytest.raises(ScopeError):
            registry.tables(page, demo_warehouse, scope, filters)
        return
    got = registry.tables(page, demo_warehouse, scope, filters)
    assert list(got) == PAGES[page]
    hand = HandCount(raw, _counties(scope, filters), filters.start, filters.end,
                     filters.as_of)
    for name in PAGES[page]:
        want_columns, want_rows = getattr(hand, name)()
        got_columns, got_rows = _rows(got[name])
        assert got_columns == want_columns, name
        assert got_rows == want_rows, (name, who, choice)


# Past as-of days for the open cases by age: month ends (the cases that end in a later
# month are read from closed_case_months) and days inside a month (those that end later
# in the same month are read case by case).
PAST_DAYS = (date(2022, 7, 1), date(2023, 6, 30), date(2024, 12, 31), date(2025, 3, 12),
             date(2026, 1, 15), date(2026, 9, 30))


@pytest.mark.parametrize("who", sorted(SCOPES))
def test_open_cases_by_age_on_past_days_equal_the_hand_count(demo_warehouse, raw, who):
    scope = SCOPES[who]
    for day in PAST_DAYS:
        filters = Filters(date(2022, 1, 1), day, as_of=day)
        hand = HandCount(raw, scope.counties, filters.start, filters.end, day)
        assert _rows(qp.pending_age(demo_warehouse, scope, filters)) == hand.pending_age(), day


def test_the_past_days_include_cases_ending_later_in_their_month(raw):
    """The comparisons above check both parts: on every day some open cases end in a later
    month, and on days inside a month some end later in that same month."""
    def ending_later(day: date, same_month: bool) -> int:
        ends = [min(c.events[s] for s in TERMINAL if s in c.events)
                for c in raw.cases.values()
                if c.open_on(day) and any(s in c.events for s in TERMINAL)]
        return sum(((end.year, end.month) == (day.year, day.month)) == same_month
                   for end in ends)
    assert all(ending_later(day, same_month=False) for day in PAST_DAYS)
    assert sum(ending_later(day, same_month=True) > 0 for day in PAST_DAYS
               if day.day < 28) >= 2


def test_the_medians_checked_cover_odd_and_even_counts(raw):
    """The comparisons above are only as good as their cases: among the medians they check
    are ones over an odd and over an even number of cases, and ones that fall between two
    days (an even count whose middle values differ)."""
    counts, halves = set(), 0
    for filters in CHOICES.values():
        for scope in SCOPES.values():
            hand = HandCount(raw, _counties(scope, filters), filters.start, filters.end,
                             filters.as_of)
            for name, n_col, median_col in (("durations", 1, 2), ("pending", 1, 2),
                                            ("time_to_service", 0, 1)):
                for row in getattr(hand, name)()[1]:
                    if row[n_col] >= 2:
                        counts.add(row[n_col] % 2)
                        halves += row[median_col] != int(row[median_col])
    assert counts == {0, 1}
    assert halves > 0


def test_a_kilifi_member_sees_only_kilifi(demo_warehouse):
    scope = SCOPES["cuc_kilifi"]
    whole = Filters(date(2021, 1, 1), date(2026, 11, 15))
    funnel = registry.tables("funnel", demo_warehouse, scope, whole)
    counties = funnel["breakdown"].filter(funnel["breakdown"]["dimension"] == "county")
    assert counties["value"].to_list() == [KILIFI]
    assert counties["reported"].item() == funnel["funnel"]["cases"][0]
    for asked in [(MOMBASA,), (KILIFI, MOMBASA)]:
        for page in PAGES:
            with pytest.raises(ScopeError):
                registry.tables(page, demo_warehouse, scope, Filters(whole.start, whole.end,
                                                                     asked))


def test_the_funnel_never_widens_and_the_exits_add_up(demo_warehouse):
    got = registry.tables("funnel", demo_warehouse, SCOPES["manager"], CHOICES["2024-as-of-mid-2026"])
    cases = got["funnel"]["cases"].to_list()
    assert cases == sorted(cases, reverse=True) and cases[-1] > 0
    assert got["exits"]["cases"].sum() + cases[-1] == cases[0]
    still_open = got["exits"].filter(got["exits"]["exit"] == "still_open")["cases"].item()
    assert got["pending"]["cases"].sum() == still_open
