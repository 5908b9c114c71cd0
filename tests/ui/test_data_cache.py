"""st.cache_data is shared by every user of the server: its key must hold the scope, the
filters and the data version, and no argument may be left out of the key."""

import inspect
from datetime import date

from auth.policy import Principal, scope_for
from core.scope import Filters
from figures import overview, registry
from ui import data

FILTERS = Filters(date(2025, 1, 1), date(2026, 9, 30))
KILIFI = scope_for(Principal("k", "K", "cuc_member", ("003",)))
KWALE = scope_for(Principal("w", "W", "cuc_member", ("002",)))
# Functions that return facts about the warehouse rather than programme data.
UNSCOPED = {"county_names", "last_load_at", "first_report_on"}


def _cached():
    return {n: f for n, f in vars(data).items() if callable(f) and hasattr(f, "clear")}


def test_every_cached_read_of_programme_data_takes_scope_filters_and_version():
    cached = _cached()
    assert "page_tables" in cached
    for name, func in cached.items():
        params = inspect.signature(func).parameters
        # Streamlit leaves arguments whose names start with '_' out of the cache key.
        assert not [p for p in params if p.startswith("_")], name
        if name not in UNSCOPED:
            assert {"url", "scope", "filters", "version"} <= set(params), name


def test_two_scopes_never_share_a_cached_answer(demo_warehouse):
    url = demo_warehouse.url.render_as_string(hide_password=False)
    kilifi = data.page_tables("overview", url, KILIFI, FILTERS, 1)
    kwale = data.page_tables("overview", url, KWALE, FILTERS, 1)  # same URL, filters, version
    for name in ("headline", "trend"):
        assert kilifi[name].equals(overview.tables(demo_warehouse, KILIFI, FILTERS)[name])
        assert kwale[name].equals(overview.tables(demo_warehouse, KWALE, FILTERS)[name])
        assert not kilifi[name].equals(kwale[name])


def test_a_new_data_version_is_a_new_answer(demo_warehouse, monkeypatch):
    """A load changes the data version, and the next run computes afresh."""
    url = demo_warehouse.url.render_as_string(hide_password=False)
    calls = []
    real = registry.page_tables
    monkeypatch.setattr(registry, "page_tables", lambda *a: calls.append(a) or real(*a))
    version = 10**6 + len(str(url))  # a version no other test uses
    data.page_tables("overview", url, KILIFI, FILTERS, version)
    data.page_tables("overview", url, KILIFI, FILTERS, version)
    assert len(calls) == 1
    data.page_tables("overview", url, KILIFI, FILTERS, version + 1)
    assert len(calls) == 2


def test_a_drill_down_is_cached_per_choice_and_scope(demo_warehouse):
    """The indicators' drill-down is computed for the indicator chosen: each choice and each
    scope is its own answer, and each equals that indicator's rows of the export."""
    url = demo_warehouse.url.render_as_string(hide_password=False)
    year = Filters(date(2025, 1, 1), date(2025, 12, 31), as_of=date(2026, 9, 30))
    every = registry.tables("indicators", demo_warehouse, KILIFI, year)["disaggregations"]
    for code in ("PS.5.1-29", "PS.5.1-28"):
        got = data.page_part("indicators", url, KILIFI, year, code, 1)["disaggregations"]
        assert set(got["indicator_code"]) == {code}
        assert got.equals(every.filter(every["indicator_code"] == code))
    # Split by county only (the indicators table's rows): nothing here, and no error.
    rate = data.page_part("indicators", url, KILIFI, year, "CONVICTION_RATE", 1)
    assert rate["disaggregations"].is_empty()
    kwale = data.page_part("indicators", url, KWALE, year, "PS.5.1-29", 1)["disaggregations"]
    assert set(kwale["county_scope"]) == {"002"}
