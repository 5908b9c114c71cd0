"""What a signed-in person may see (Scope) and what they chose to look at (Filters).

A Scope comes from ``auth.policy.scope_for``; Filters come from the page's widgets.
``effective_counties`` is the one place where the two meet: a filter may only
narrow the scope, and asking for a county outside it is an error, not a widening.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

ALL_COUNTIES = None  # a Scope or Filters with counties=None is not limited by county


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
    start: date  # inclusive
    end: date  # inclusive
    counties: tuple[str, ...] | None = ALL_COUNTIES

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")
        if self.counties is not None:
            object.__setattr__(self, "counties", tuple(sorted(set(self.counties))))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Filters:
        """The period of equal length that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Filters(start=end - timedelta(days=self.days - 1), end=end, counties=self.counties)


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
