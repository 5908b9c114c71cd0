"""The registry: what a visit computes and what the export writes are the same tables."""

from datetime import date

import polars as pl
import pytest

from auth.policy import Principal, scope_for
from core.scope import Filters
from figures import registry

MANAGER = scope_for(Principal("pm", "PM", "project_manager"))
YEAR = Filters(date(2025, 1, 1), date(2025, 12, 31), as_of=date(2026, 9, 30))


@pytest.mark.parametrize("page", list(registry.PAGES))
def test_a_visit_shows_the_exports_tables_and_the_default_part(demo_warehouse, page):
    export = registry.tables(page, demo_warehouse, MANAGER, YEAR)
    visit = registry.visit(page, demo_warehouse, MANAGER, YEAR)
    assert list(visit) == list(export)
    for name, table in visit.items():
        if page in registry.PARTS and name == registry.PARTS[page][0]:
            # Only the default choice's part: the export's rows for that choice.
            choice = registry.default_choice(page)
            assert table.height > 0
            assert table.equals(export[name].filter(pl.col("indicator_code") == choice))
        else:
            assert table.equals(export[name]), name


def test_the_export_holds_every_part(demo_warehouse):
    """Every indicator's drill-down, one after the other, is the export's table."""
    name, _, _ = registry.PARTS["indicators"]
    export = registry.tables("indicators", demo_warehouse, MANAGER, YEAR)[name]
    parts = [registry.part("indicators", demo_warehouse, MANAGER, YEAR, code)[name]
             for code in export["indicator_code"].unique(maintain_order=True)]
    assert pl.concat(parts).equals(export)
