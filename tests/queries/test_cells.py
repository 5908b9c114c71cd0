"""The cells the indicators page counts together (queries.cells): what they accept, and how
they split their scopes and periods. That the figures counted this way equal independent
counts, cell by cell, is tested with the indicators (tests/figures/test_indicators.py)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import column

from queries.cells import ALL, Cells, period_of_day, scopes_of

Q1 = ("2025-Q1", date(2025, 1, 1), date(2025, 3, 31))
Q2 = ("2025-Q2", date(2025, 4, 1), date(2025, 6, 30))
Q3_TO_DATE = ("2025-Q3", date(2025, 7, 1), date(2025, 8, 20))
AS_OF = date(2025, 8, 20)


def test_scopes_read_every_county_or_their_own():
    assert scopes_of([ALL, "001", "002"]) == ((ALL, None), ("001", ("001",)), ("002", ("002",)))
    assert scopes_of([ALL], ("001", "047")) == ((ALL, ("001", "047")),)


def test_scopes_together_and_counties_each_on_their_own():
    cells = Cells((Q1,), scopes_of([ALL, "001", "002"]), AS_OF)
    assert cells.split_scopes() == (((ALL, None),), ("001", "002"))
    assert cells.counties is None
    two = Cells((Q1,), scopes_of(["001", "047"]), AS_OF)
    assert two.split_scopes() == ((), ("001", "047"))
    assert two.counties == ("001", "047")


def test_periods_of_whole_months_and_a_period_cut_short():
    whole, cut = Cells((Q1, Q2, Q3_TO_DATE), scopes_of([ALL]), AS_OF).whole_months()
    assert whole.periods == (Q1, Q2) and cut.periods == (Q3_TO_DATE,)
    assert whole.months() == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    assert Cells((Q1,), scopes_of([ALL]), AS_OF).whole_months() == (
        Cells((Q1,), scopes_of([ALL]), AS_OF), None)


@pytest.mark.parametrize(("periods", "scopes", "words"), [
    ((), scopes_of([ALL]), "periods"),
    (((Q1[0], Q1[2], Q1[1]),), scopes_of([ALL]), "first day to its last"),
    ((Q1, Q1), scopes_of([ALL]), "each with its own key"),
    ((Q1,), (), "county scopes"),
    ((Q1,), scopes_of([ALL, ALL]), "each with its own key"),
])
def test_cells_refuse_what_they_cannot_count(periods, scopes, words):
    with pytest.raises(ValueError, match=words):
        Cells(periods, scopes, AS_OF)


def test_a_period_of_a_day_needs_periods_one_after_the_other():
    day = column("day")
    period_of_day(day, Cells((Q1, Q2, Q3_TO_DATE), scopes_of([ALL]), AS_OF))
    with pytest.raises(ValueError, match="not one after the other"):
        period_of_day(day, Cells((Q1, Q3_TO_DATE), scopes_of([ALL]), AS_OF))
