"""Every page's figures, by page id: what the page shows and ``manage.py export`` writes.

A page adds itself here in one line; the page, the export and the tests then share
one computation per figure. ``EXTRAS`` holds the tables a page shows beyond the figures
contract (each defined in words where it is computed): the export writes them too, after
the contract's tables, so that nothing a page shows is missing from its export.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
from sqlalchemy import Engine

from core.scope import Filters, Scope
from figures import funnel, outreach, overview, progress, training
from figures import map as county_map

Tables = Callable[[Engine, Scope, Filters], dict[str, pl.DataFrame]]

PAGES: dict[str, Tables] = {
    "overview": overview.tables,
    "funnel": funnel.tables,
    "progress": progress.tables,
    "map": county_map.tables,
    "training": training.tables,
    "outreach": outreach.tables,
}

EXTRAS: dict[str, Tables] = {
    "training": training.extra_tables,
    "outreach": outreach.extra_tables,
}


def tables(page_id: str, engine: Engine, scope: Scope, filters: Filters) -> dict[str, pl.DataFrame]:
    """The contract's tables of the page, then any tables it shows beyond the contract."""
    out = PAGES[page_id](engine, scope, filters)
    extra = EXTRAS.get(page_id)
    return out | extra(engine, scope, filters) if extra else out
