"""``manage.py export`` for the map, training and outreach pages: exactly the contract's
tables and columns, the reader's counties only, refused to readers who may not open them."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from startup.export import ExportError, export
from tests.conftest import DEMO_UNTIL
from tests.figures import independent
from tests.test_export import _settings

AS_OF = DEMO_UNTIL.isoformat()
PAGES = sorted(independent.CONTRACT)
BEYOND_CONTRACT = {"training": {"quarterly"}, "outreach": {"sessions_detail"}}


def _json(engine, page, username, **choices) -> dict:
    return json.loads(export(_settings(engine), page=page, username=username, as_of=AS_OF,
                             **choices))


@pytest.mark.parametrize("page", PAGES)
def test_tables_and_columns_are_the_contracts(demo_warehouse, page):
    body = _json(demo_warehouse, page, "demo-manager", period="2026")
    assert body["page"] == page
    got = {n: t["columns"] for n, t in body["tables"].items()}
    contract = independent.CONTRACT[page]
    # The contract's tables first, in its order; then what the page shows beyond it.
    assert list(got)[:len(contract)] == list(contract)
    assert {n: got[n] for n in contract} == contract
    assert set(list(got)[len(contract):]) == BEYOND_CONTRACT.get(page, set())
    assert all(t["rows"] for t in body["tables"].values())


@pytest.mark.parametrize("page", PAGES)
def test_a_kwale_member_exports_kwale_only(demo_warehouse, page):
    body = _json(demo_warehouse, page, "demo-cuc-kwale", period="2025")
    assert body["counties"] == ["002"]
    for name, table in body["tables"].items():
        if "county_code" in table["columns"]:
            i = table["columns"].index("county_code")
            assert {row[i] for row in table["rows"]} == {"002"}, name
    if page == "map":
        assert [r[1] for r in body["tables"]["counties"]["rows"]] == ["Kwale"]
    with pytest.raises(ExportError, match="outside this account's scope"):
        export(_settings(demo_warehouse), page=page, username="demo-cuc-kwale",
               counties="001", as_of=AS_OF)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("username", ["demo-monitor", "demo-admin"])
def test_summaries_only_readers_may_not_export_these_pages(demo_warehouse, page, username):
    with pytest.raises(ExportError, match=f"may not open the page '{page}'"):
        export(_settings(demo_warehouse), page=page, username=username, as_of=AS_OF)


def test_the_map_export_equals_an_independent_count(demo_warehouse):
    raw = independent.load(demo_warehouse)
    body = _json(demo_warehouse, "map", "demo-cuc-kilifi", period="2025Q3")
    want = independent.map_counties(raw, ("003",), date(2025, 7, 1), date(2025, 9, 30))["003"]
    table = body["tables"]["counties"]
    got = dict(zip(table["columns"], table["rows"][0], strict=True))
    for column, value in want.items():
        assert got[column] == (pytest.approx(value) if isinstance(value, float) else value)


@pytest.mark.parametrize(("page", "first"), [("map", "counties"), ("training", "trained"),
                                             ("outreach", "sessions")])
def test_csv_defaults_to_the_pages_first_table(demo_warehouse, page, first):
    text = export(_settings(demo_warehouse), page=page, username="demo-manager",
                  period="2025Q3", as_of=AS_OF, fmt="csv").decode()
    header = next(csv.reader(io.StringIO(text)))
    assert header == independent.CONTRACT[page][first]
