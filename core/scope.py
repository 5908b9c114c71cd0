"""What a signed-in person may see (Scope) and what they chose to look at (Filters).

The ground floor: every other room (auth, queries, metrics, figures, ui) imports these
and nothing here imports them. A Scope comes from ``auth.policy.scope_for``; Filters
come from a page's widgets or from ``manage.py export``. ``effective_counties`` is the
one place where the two meet: a filter may only narrow the scope, and asking for a
county outside it is an error, not a widening.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

ALL_COUNTIES = None  # a Scope or Filters with counties=None is not limited by county
# Summaries-only readers never see a count from 1 to DEFAULT_SUPPRESS_BELOW - 1 (the
# setting HAKI_SUPPRESS_BELOW may raise it).
DEFAULT_SUPPRESS_BELOW = 11


class ScopeError(PermissionError):
    """A request asked for data outside the signed-in person's scope."""


@dataclass(frozen=True)
class Scope:
    # None: every county. A tuple, even an empty one, is the complete list allowed.
    counties: tuple[str, ...] | None
    # Counts from 1 to suppress_below - 1 are withheld; 0 turns suppression off.
    suppress_below: int = 0

    def __post_init__(self):
        if self.counties is not None:
            object.__setattr__(self, "counties", tuple(sorted(set(self.counties))))

    @property
    def aggregate_only(self) -> bool:
        return self.suppress_below > 0


@dataclass(frozen=True)
class Filters:
    """A closed period [start, end], the counties chosen, and the as-of date that stage
    and status questions ("has reached", "is pending") are answered on."""

    start: date  # inclusive
    end: date  # inclusive
    counties: tuple[str, ...] | None = ALL_COUNTIES
    as_of: date | None = None  # None: the period's end

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")
        if self.counties is not None:
            object.__setattr__(self, "counties", tuple(sorted(set(self.counties))))
        if self.as_of is None:
            object.__setattr__(self, "as_of", self.end)
        elif self.end > self.as_of:
            # The figures contract: a period that runs past the as-of date ends on it.
            if self.start > self.as_of:
                raise ValueError(
                    f"the period starts ({self.start}) after the as-of date ({self.as_of})")
            object.__setattr__(self, "end", self.as_of)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def year_earlier(self) -> Filters:
        """The same dates one year earlier (29 February becomes the 28th), as of the end of
        that earlier period: what a page compares this period with."""
        start, end = _year_before(self.start), _year_before(self.end)
        return replace(self, start=start, end=end, as_of=end)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def effective_counties(scope: Scope, filters: Filters) -> tuple[str, ...] | None:
    """The counties a query may read: the filter's choice, within the scope. None = all."""
    if scope.counties is None:
        return filters.counties
    if filters.counties is None:
        return scope.counties
    outside = sorted(set(filters.counties) - set(scope.counties))
    if outside:
        raise ScopeError(f"county codes {', '.join(outside)} are outside this account's scope")
    return filters.counties
