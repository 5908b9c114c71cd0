"""Every page's figures, by page id: what the page shows and ``manage.py export`` writes.

A page adds itself here in one line; the page, the export and the tests then share
one computation per figure. ``EXTRAS`` holds the tables a page shows beyond the figures
contract (each defined in words where it is computed): the export writes them too, after
the contract's tables, so that nothing a page shows is missing from its export.
``PARTS`` holds a table the page draws one part at a time, for a choice the reader makes
on the page (the indicators' drill-down: one indicator): a visit computes only the part
shown (``page_tables`` + ``part``), the export every part (``tables``).
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
from sqlalchemy import Engine

from core.scope import Filters, Scope
from figures import funnel, indicators, outreach, overview, progress, summary, training
from figures import map as county_map
from queries.run import one_read

Tables = Callable[[Engine, Scope, Filters], dict[str, pl.DataFrame]]
# An extra table may read the page's contract tables, computed already (``given``), rather
# than compute a figure twice.
Extras = Callable[[Engine, Scope, Filters, dict[str, pl.DataFrame]], dict[str, pl.DataFrame]]

PAGES: dict[str, Tables] = {
    "overview": overview.tables,
    "funnel": funnel.tables,
    "progress": progress.tables,
    "map": county_map.tables,
    "training": training.tables,
    "outreach": outreach.tables,
    "indicators": indicators.tables,
    "summary": summary.tables,
}

EXTRAS: dict[str, Extras] = {
    "training": training.extra_tables,
    "outreach": outreach.extra_tables,
    "indicators": indicators.extra_tables,
}

# page id -> (table name, its computation given a choice (None: every part), default choice)
Part = Callable[[Engine, Scope, Filters, str | None], pl.DataFrame]
PARTS: dict[str, tuple[str, Part, str]] = {
    "indicators": indicators.DRILL_DOWN,
}


def page_tables(page_id: str, engine: Engine, scope: Scope, filters: Filters
                ) -> dict[str, pl.DataFrame]:
    """The contract's tables of the page, then any tables it shows beyond the contract,
    except a table drawn one part at a time (``part``)."""
    with one_read(engine):
        out = PAGES[page_id](engine, scope, filters)
        extra = EXTRAS.get(page_id)
        return out | extra(engine, scope, filters, out) if extra else out


def part(page_id: str, engine: Engine, scope: Scope, filters: Filters,
         choice: str | None) -> dict[str, pl.DataFrame]:
    """The page's part table for one choice (None: every part); {} for a page without."""
    if page_id not in PARTS:
        return {}
    name, compute, _ = PARTS[page_id]
    with one_read(engine):
        return {name: compute(engine, scope, filters, choice)}


def default_choice(page_id: str) -> str | None:
    return PARTS[page_id][2] if page_id in PARTS else None


def visit(page_id: str, engine: Engine, scope: Scope, filters: Filters
          ) -> dict[str, pl.DataFrame]:
    """What one visit with the default choices computes: what ``bench`` times."""
    with one_read(engine):
        return page_tables(page_id, engine, scope, filters) | part(
            page_id, engine, scope, filters, default_choice(page_id))


def tables(page_id: str, engine: Engine, scope: Scope, filters: Filters) -> dict[str, pl.DataFrame]:
    """Everything the page can show (every part): what ``manage.py export`` writes."""
    with one_read(engine):
        return page_tables(page_id, engine, scope, filters) | part(page_id, engine, scope,
                                                                  filters, None)
