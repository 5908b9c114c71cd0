from datetime import date

import pytest

from core.scope import Filters, Scope, ScopeError, effective_counties

KILIFI, KWALE, MOMBASA = "003", "002", "001"
PERIOD = {"start": date(2025, 1, 1), "end": date(2025, 3, 31)}


@pytest.mark.parametrize(
    ("scope_counties", "filter_counties", "expected"),
    [
        (None, None, None),  # all counties, no choice: no limit
        (None, (MOMBASA,), (MOMBASA,)),  # unlimited scope, narrowed by choice
        ((KILIFI,), None, (KILIFI,)),  # no choice: the scope
        ((KILIFI, KWALE), (KWALE,), (KWALE,)),  # narrowing within the scope
        ((), None, ()),  # an empty scope is nothing, never everything
    ],
)
def test_filters_only_narrow(scope_counties, filter_counties, expected):
    got = effective_counties(Scope(scope_counties), Filters(**PERIOD, counties=filter_counties))
    assert got == expected


@pytest.mark.parametrize("asked", [(MOMBASA,), (KILIFI, MOMBASA)])
def test_asking_outside_the_scope_is_refused(asked):
    with pytest.raises(ScopeError, match="001"):
        effective_counties(Scope((KILIFI,)), Filters(**PERIOD, counties=asked))


@pytest.mark.parametrize(("start", "end", "earlier"), [
    (date(2026, 1, 1), date(2026, 11, 28), (date(2025, 1, 1), date(2025, 11, 28))),
    (date(2024, 2, 29), date(2024, 3, 31), (date(2023, 2, 28), date(2023, 3, 31))),
    (date(2025, 1, 1), date(2025, 2, 28), (date(2024, 1, 1), date(2024, 2, 28))),
])
def test_comparison_is_the_same_dates_one_year_earlier(start, end, earlier):
    f = Filters(start=start, end=end, counties=(KILIFI,))
    e = f.year_earlier()
    assert (e.start, e.end, e.as_of, e.counties) == (*earlier, earlier[1], (KILIFI,))


def test_a_period_running_past_the_as_of_date_ends_on_it():
    f = Filters(start=date(2026, 10, 1), end=date(2026, 12, 31), as_of=date(2026, 11, 15))
    assert (f.end, f.as_of) == (date(2026, 11, 15), date(2026, 11, 15))
    assert Filters(start=date(2025, 1, 1), end=date(2025, 3, 31)).as_of == date(2025, 3, 31)
    with pytest.raises(ValueError, match="after the as-of date"):
        Filters(start=date(2026, 12, 1), end=date(2026, 12, 31), as_of=date(2026, 11, 15))


def test_period_must_not_end_before_it_starts():
    with pytest.raises(ValueError, match="ends"):
        Filters(start=date(2025, 2, 1), end=date(2025, 1, 1))


def test_scope_and_filters_are_hashable_cache_keys():
    # st.cache_data keys on the arguments; two scopes must never collide.
    a, b = Scope((KILIFI,)), Scope((KWALE,))
    assert hash(a) != hash(b) or a != b
    assert Scope((KWALE, KILIFI)) == Scope((KILIFI, KWALE))
