"""Every page's figures, by page id: what the page shows and ``manage.py export`` writes.

A page adds itself here in one line; the page, the export and the tests then share
one computation per figure.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
from sqlalchemy import Engine

from core.scope import Filters, Scope
from figures import funnel, overview, progress

Tables = Callable[[Engine, Scope, Filters], dict[str, pl.DataFrame]]

PAGES: dict[str, Tables] = {
    "overview": overview.tables,
    "funnel": funnel.tables,
    "progress": progress.tables,
}


def tables(page_id: str, engine: Engine, scope: Scope, filters: Filters) -> dict[str, pl.DataFrame]:
    return PAGES[page_id](engine, scope, filters)
