from datetime import date

import pytest

from queries.scope import Filters, Scope, ScopeError, effective_counties

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


def test_previous_period_has_equal_length_and_ends_the_day_before():
    f = Filters(start=date(2025, 1, 1), end=date(2025, 6, 30))
    prev = f.previous()
    assert prev.end == date(2024, 12, 31)
    assert prev.days == f.days == 181
    assert prev.start == date(2024, 7, 4)


def test_period_must_not_end_before_it_starts():
    with pytest.raises(ValueError, match="ends"):
        Filters(start=date(2025, 2, 1), end=date(2025, 1, 1))


def test_scope_and_filters_are_hashable_cache_keys():
    # st.cache_data keys on the arguments; two scopes must never collide.
    a, b = Scope((KILIFI,)), Scope((KWALE,))
    assert hash(a) != hash(b) or a != b
    assert Scope((KWALE, KILIFI)) == Scope((KILIFI, KWALE))
