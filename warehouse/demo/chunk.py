"""A chunk of cases: the parameter object every writer of case facts takes.

Cases are generated a chunk at a time in the order of their keys, not of their numbers:
every table keyed by case key (cases, case events, hearings, services) then grows at its
end, chunk after chunk, instead of at random places all over an ever larger index.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from warehouse.demo.run import Run


@dataclass(frozen=True)
class Chunk:
    run: Run
    rng: np.random.Generator  # this chunk's own stream
    index: np.ndarray  # 0-based numbers of its cases, in key order
    keys: np.ndarray  # their keys (ascending)
    days: np.ndarray  # their report days

    @property
    def n(self) -> int:
        return len(self.index)


@dataclass(frozen=True)
class CaseAttributes:
    """What the case rows of a chunk say, as far as the facts hanging off them need it."""

    county: np.ndarray  # position in Reference.codes
    codes: np.ndarray  # county codes (object array)
    court_id: np.ndarray  # a court station in the county (when there is one)
    court_found: np.ndarray  # the county has a court station
    referral: np.ndarray  # position in vocab.REFERRAL_SOURCES
