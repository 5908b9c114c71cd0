"""Court dates of charged cases: adjournments, testimony and its protective measures."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from warehouse import vocab
from warehouse.demo.chunk import CaseAttributes, Chunk
from warehouse.demo.common import court_day, labels, probs
from warehouse.demo.params import ADJOURNMENT_P, MEASURE_P, P_ADJOURNED, P_TESTIMONY
from warehouse.demo.stages import Progression, Stage
from warehouse.schema import hearings

N_MEASURES = len(vocab.TESTIMONY_MEASURES)


@dataclass(frozen=True)
class CourtDates:
    """A grid of possible court dates: one row per charged case with a court, one column
    per 3-8 week step from the charge; ``valid`` marks the dates that happen."""

    case: np.ndarray  # row -> position of the case in its chunk
    day: np.ndarray  # (rows, steps)
    valid: np.ndarray  # (rows, steps)
    stop: np.ndarray  # row -> judgment, withdrawal or `until`
    final: np.ndarray  # row -> a judgment or withdrawal is read out on `stop`


@dataclass(frozen=True)
class Sittings:
    """What happens on each date of a CourtDates grid (same shape)."""

    adjourned: np.ndarray
    reason: np.ndarray  # position in vocab.ADJOURNMENT_REASONS (read only when adjourned)
    testified: np.ndarray
    measures: np.ndarray  # (rows, steps, vocab.TESTIMONY_MEASURES)


def write_hearings(chunk: Chunk, attrs: CaseAttributes, prog: Progression) -> int:
    """A court date every 3-8 weeks from the charge until judgment, withdrawal or `until`."""
    dates = _court_dates(chunk, attrs, prog)
    if dates is None:
        return 0
    rng = chunk.rng
    shape = dates.day.shape
    adjourned = dates.valid & (rng.random(shape) < P_ADJOURNED)
    reason = rng.choice(len(vocab.ADJOURNMENT_REASONS), size=shape, p=probs(ADJOURNMENT_P))
    in_trial = prog.has_reached(Stage.TRIAL_STARTED)[dates.case][:, None] & (
        dates.day >= prog.on(Stage.TRIAL_STARTED)[dates.case][:, None]
    )
    testified = _testimony(rng, dates.valid & ~adjourned & in_trial)
    measures = rng.random((*shape, N_MEASURES)) < np.asarray(MEASURE_P)
    measures &= testified[:, :, None]
    return _write_rows(chunk, attrs, dates, Sittings(adjourned, reason, testified, measures))


def _court_dates(chunk: Chunk, attrs: CaseAttributes, prog: Progression) -> CourtDates | None:
    case = np.nonzero(prog.has_reached(Stage.CHARGED) & attrs.court_found)[0]
    if not len(case):
        return None
    end = np.where(
        prog.judged,
        prog.on(Stage.JUDGMENT),
        np.where(prog.withdrawn, prog.exit_day, chunk.run.cal.last),
    )
    final = (prog.judged | prog.withdrawn)[case]
    start, stop = prog.on(Stage.CHARGED)[case], end[case]
    steps = int((stop - start).max()) // 21 + 2
    gaps = chunk.rng.integers(21, 57, size=(len(case), steps))
    gaps[:, 0] = 0
    day = court_day(start[:, None] + np.cumsum(gaps, axis=1))
    # The judgment or withdrawal hearing is added on its own day, so earlier ones stop short.
    valid = np.where(final[:, None], day < stop[:, None], day <= stop[:, None])
    return CourtDates(case, day, valid, stop, final)


def _testimony(rng, can_testify: np.ndarray) -> np.ndarray:
    """Most survivors of a trial testify, on its first one or two hearings that proceed."""
    rows = len(can_testify)
    times = np.where(rng.random(rows) < 0.7, 1, 2)
    testifies = rng.random(rows) < P_TESTIMONY
    first_ones = np.cumsum(can_testify, axis=1) <= times[:, None]
    return can_testify & first_ones & testifies[:, None]


def _write_rows(chunk: Chunk, attrs: CaseAttributes, dates: CourtDates, sit: Sittings) -> int:
    row, step = np.nonzero(dates.valid)
    last = np.nonzero(dates.final)[0]  # the judgment or withdrawal hearing: it proceeds
    case = np.concatenate([row, last])
    day = np.concatenate([dates.day[row, step], dates.stop[last]])
    order = np.lexsort((day, case))  # by case (i.e. by key), then date

    def rows(grid: np.ndarray) -> np.ndarray:  # a grid's dates, then the last hearings' value
        closing = np.zeros((len(last), *grid.shape[2:]), grid.dtype)
        return np.concatenate([grid[row, step], closing])[order]

    adjourned, in_chunk = rows(sit.adjourned), dates.case[case[order]]
    measures = rows(sit.measures)
    columns = {
        "case_key": chunk.keys[in_chunk].tolist(),
        "county_code": attrs.codes[in_chunk].tolist(),
        "court_station_id": attrs.court_id[in_chunk].tolist(),
        "hearing_on": chunk.run.sink.dates(day[order]),
        "status": labels(vocab.HEARING_STATUSES, adjourned.astype(np.int64)),
        "adjournment_reason": _reasons(rows(sit.reason), adjourned),
        "survivor_testified": chunk.run.sink.flags(rows(sit.testified)),
    }
    for k, name in enumerate(vocab.TESTIMONY_MEASURES):
        columns[f"measure_{name}"] = chunk.run.sink.flags(measures[:, k])
    return chunk.run.sink.insert(hearings, columns, chunk.run.batch["hearings"])


def _reasons(reason: np.ndarray, adjourned: np.ndarray) -> list:
    words = np.asarray(vocab.ADJOURNMENT_REASONS, dtype=object)[reason]
    words[~adjourned] = None
    return words.tolist()
