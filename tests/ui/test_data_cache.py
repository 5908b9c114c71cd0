"""st.cache_data is shared by every user of the server: its key must hold the scope."""

import inspect
from datetime import date

import pytest

from auth.policy import Principal, scope_for
from queries import overview
from queries.scope import Filters
from ui import data

FILTERS = Filters(date(2025, 1, 1), date(2026, 9, 30))
KILIFI = scope_for(Principal("k", "K", "cuc_member", ("003",)))
KWALE = scope_for(Principal("w", "W", "cuc_member", ("002",)))
# Functions that return facts about the warehouse rather than programme data.
UNSCOPED = {"county_names", "last_load_at"}


def test_every_cached_read_of_programme_data_takes_the_scope():
    cached = [n for n, f in vars(data).items() if callable(f) and hasattr(f, "clear")]
    assert cached, "ui.data should hold the cached reads"
    for name in cached:
        params = inspect.signature(getattr(data, name)).parameters
        if name not in UNSCOPED:
            assert {"url", "scope", "filters"} <= set(params), name


@pytest.mark.parametrize("read", ["headline", "reported_trend"])
def test_two_scopes_never_share_a_cached_answer(demo_warehouse, read):
    url = demo_warehouse.url.render_as_string(hide_password=False)
    args = (FILTERS,) if read == "headline" else (FILTERS, "month")
    kilifi = getattr(data, read)(url, KILIFI, *args)
    kwale = getattr(data, read)(url, KWALE, *args)  # same URL and filters, other scope
    direct = getattr(overview, read)
    assert kilifi.equals(direct(demo_warehouse, KILIFI, *args))
    assert kwale.equals(direct(demo_warehouse, KWALE, *args))
    assert not kilifi.equals(kwale)
