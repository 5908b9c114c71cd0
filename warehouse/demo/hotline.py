"""Hotline reports: most never become a case, some lead to one (same county, weeks before).

Drawn chunk by chunk with the cases (a few small integers per report), then numbered in
the order they were received and written in the order of their keys.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from warehouse import vocab
from warehouse.demo.chunk import CaseAttributes, Chunk
from warehouse.demo.common import labels, probs
from warehouse.demo.keys import SourceKeys
from warehouse.demo.params import (
    CHANNEL_P,
    HOTLINE_PER_CASE,
    LINKED_CATEGORY_P,
    OTHER_CATEGORY_P,
    P_LINK_HOTLINE_CASE,
    P_LINK_OTHER_CASE,
    REFERRED_P,
)
from warehouse.demo.run import Run
from warehouse.schema import hotline_reports

WRITE_SLICE = 50_000  # reports turned into rows at a time
NOT_LINKED = -1


@dataclass(frozen=True)
class Reports:
    """Reports as positions in vocabularies; ``case`` is a case's 0-based number or -1."""

    day: np.ndarray
    county: np.ndarray  # position in Reference.codes
    case: np.ndarray
    channel: np.ndarray
    category: np.ndarray
    referred: np.ndarray

    @classmethod
    def small(cls, **columns: np.ndarray) -> Reports:
        """Kept as 32-bit integers: a million cases' reports stay a few tens of MB."""
        return cls(**{k: np.asarray(v, np.int32) for k, v in columns.items()})

    @classmethod
    def concat(cls, parts: list[Reports]) -> Reports:
        return cls(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)))

    def take(self, index: np.ndarray) -> Reports:
        return Reports(*(getattr(self, f.name)[index] for f in fields(self)))


def draw_reports(chunk: Chunk, attrs: CaseAttributes) -> Reports:
    """About 1.5 reports per case: one before most cases referred by the 116 line and a
    third of the others, and unlinked ones that follow the cases' time and place."""
    rng, n = chunk.rng, chunk.n
    by_hotline = attrs.referral == vocab.REFERRAL_SOURCES.index("hotline_116")
    linked = np.nonzero(
        rng.random(n) < np.where(by_hotline, P_LINK_HOTLINE_CASE, P_LINK_OTHER_CASE)
    )[0]
    n_other = max(0, round(HOTLINE_PER_CASE * n) - len(linked))
    like = rng.integers(0, n, n_other)
    category = np.concatenate(
        [
            rng.choice(4, size=len(linked), p=probs(LINKED_CATEGORY_P)),
            rng.choice(4, size=n_other, p=probs(OTHER_CATEGORY_P)),
        ]
    )
    case = np.concatenate([chunk.index[linked], np.full(n_other, NOT_LINKED)])
    return Reports.small(
        day=np.concatenate(
            [
                np.maximum(0, chunk.days[linked] - rng.integers(0, 22, len(linked))),
                np.maximum(0, chunk.days[like] - rng.integers(0, 15, n_other)),
            ]
        ),
        county=np.concatenate([attrs.county[linked], attrs.county[like]]),
        case=case,
        channel=rng.choice(len(vocab.CHANNELS), size=len(case), p=probs(CHANNEL_P)),
        category=category,
        referred=_referred(rng, category, case != NOT_LINKED),
    )


def _referred(rng, category: np.ndarray, linked: np.ndarray) -> np.ndarray:
    referred = np.empty(len(category), np.int64)
    for ci, name in enumerate(vocab.HOTLINE_CATEGORIES):
        rows = category == ci
        referred[rows] = rng.choice(
            len(vocab.REFERRED_TO), size=int(rows.sum()), p=probs(REFERRED_P[name])
        )
    # A report that became a case was referred somewhere.
    nowhere = vocab.REFERRED_TO.index("none")
    referred[linked & (referred == nowhere)] = vocab.REFERRED_TO.index("police")
    return referred


def write_reports(run: Run, reports: Reports, case_keys: SourceKeys) -> int:
    """Number the reports by the day received (DEMO-R-000001 first), write in key order."""
    reports = reports.take(np.argsort(reports.day, kind="stable"))
    n = len(reports.day)
    keys = SourceKeys(run.pseudonyms["report"], "R", n)
    for lo in range(0, n, WRITE_SLICE):
        index = keys.order[lo : lo + WRITE_SLICE]
        part = reports.take(index)
        linked = part.case != NOT_LINKED
        case_key = np.full(len(index), None, dtype=object)
        case_key[linked] = case_keys.hex(part.case[linked])
        run.sink.insert(
            hotline_reports,
            {
                "report_key": keys.hex(index).tolist(),
                "received_on": run.sink.dates(part.day),
                "county_code": labels(tuple(run.ref.codes), part.county),
                "channel": labels(vocab.CHANNELS, part.channel),
                "category": labels(vocab.HOTLINE_CATEGORIES, part.category),
                "referred_to": labels(vocab.REFERRED_TO, part.referred),
                "case_key": case_key.tolist(),
            },
            run.batch["hotline_reports"],
        )
    return n
