"""What the page harness measures: each page for the readers who may open it, with the
choices the page starts with (read from views/*.py and ui/components.py).

- Pages with the sidebar (overview, funnel, progress, map, training, outreach): the last
  four quarters to today, every county the reader may see (``sidebar_filters``).
- Summaries-only readers (the monitor's overview, the summary): the last completed quarter,
  all counties (``release_filters``' first choice).
- Indicators: the last completed quarter while one is running (``quarter_or_year``).
Today is pinned to the demo data's last day, so every run asks the same questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from auth.policy import Principal, scope_for
from core.periods import parse_period, period_bounds, quarter_code, quarters_until
from core.scope import Filters, Scope
from queries.release import published_quarters

TODAY = date(2026, 11, 15)  # the demo data's last day (build_demo's ``until``)
SEED = 1
PSEUDONYM_KEY = "bench-key-" * 4
KILIFI = "003"

READERS = {
    "manager": Principal("bench-pm", "PM", "project_manager"),
    "cuc-kilifi": Principal("bench-cuc", "CUC", "cuc_member", (KILIFI,)),
    "monitor": Principal("bench-monitor", "Monitor", "monitor"),
}


@dataclass(frozen=True)
class Scenario:
    page: str
    reader: str  # a key of READERS
    choice: str  # the choice in words: what the page starts with, or the county picked
    scope: Scope
    filters: Filters

    @property
    def label(self) -> str:
        return f"{self.page}/{self.reader}" + ("" if self.choice == "default" else
                                              f"/{self.choice}")


def sidebar_default(today: date = TODAY) -> Filters:
    quarters = quarters_until(today)
    start, end = period_bounds(quarters[max(0, len(quarters) - 4)], quarters[-1], today)
    return Filters(start, end, None, as_of=today)


def release_default(today: date = TODAY, counties: tuple[str, ...] | None = None) -> Filters:
    start, end = parse_period(quarter_code(published_quarters(today)[-1]))
    return Filters(start, end, counties, as_of=today)


def indicators_default(today: date = TODAY,
                       counties: tuple[str, ...] | None = None) -> Filters:
    quarters = [quarter_code(q) for q in reversed(quarters_until(today))]
    running = parse_period(quarters[0])[1] >= today
    start, end = parse_period(quarters[1 if running else 0])
    return Filters(start, min(end, today), counties, as_of=today)


def _one(page: str, reader: str, filters: Filters, choice: str = "default") -> Scenario:
    return Scenario(page, reader, choice, scope_for(READERS[reader]), filters)


def scenarios(today: date = TODAY) -> list[Scenario]:
    """Every page, for its default choices and two other readers (or choices, where only
    one role may open the page)."""
    side = sidebar_default(today)
    out = [_one("overview", r, side) for r in ("manager", "cuc-kilifi")]
    out.append(_one("overview", "monitor", release_default(today)))
    for page in ("funnel", "progress", "map", "training", "outreach"):
        out += [_one(page, r, side) for r in ("manager", "cuc-kilifi")]
    out.append(_one("indicators", "manager", indicators_default(today)))
    out.append(_one("indicators", "manager", indicators_default(today, (KILIFI,)), "Kilifi"))
    out.append(_one("summary", "monitor", release_default(today)))
    out.append(_one("summary", "monitor", release_default(today, (KILIFI,)), "Kilifi"))
    out.append(_one("summary", "manager", release_default(today)))
    return out
