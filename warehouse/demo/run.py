"""What every writer of one generation shares: one small object instead of long argument lists."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from warehouse.demo.common import Actuals, Calendar, Reference
from warehouse.demo.sink import Sink
from warehouse.pseudonym import Pseudonymizer


@dataclass(frozen=True)
class Run:
    cal: Calendar
    ref: Reference
    sink: Sink
    batch: Mapping[str, int]  # table name -> the ingest batch its rows belong to
    actuals: Actuals  # counts the writers add to; targets are set from them
    pseudonyms: Mapping[str, Pseudonymizer]  # namespace -> keyed hash of source ids
    seed: int
    n_cases: int
