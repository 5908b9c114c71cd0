"""How far each case gets, and when: the stage matrix and the way a case ends."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from warehouse import vocab
from warehouse.demo.common import court_day, gamma_days
from warehouse.demo.params import P_CLOSED_NFA, P_CONVICTED, P_NEXT, P_WITHDRAWN


class Stage(IntEnum):
    """Columns of the stage matrix: ``vocab.PROGRESSION_STAGES`` in order (a test checks)."""

    REPORTED = 0
    INVESTIGATION_OPENED = 1
    SUSPECT_ARRESTED = 2
    CHARGED = 3
    TRIAL_STARTED = 4
    JUDGMENT = 5

    @property
    def code(self) -> str:
        return vocab.PROGRESSION_STAGES[self]


@dataclass(frozen=True)
class Progression:
    """One row per case of a chunk."""

    day: np.ndarray  # (cases, Stage): the day each stage is, or would be, reached
    level: np.ndarray  # the furthest Stage the case would reach with time enough
    reached: np.ndarray  # the furthest Stage reached on or before `until`
    exit_day: np.ndarray  # when a case that stops short would be withdrawn or closed
    closed: np.ndarray  # closed without further action (stopped before charge)
    withdrawn: np.ndarray  # withdrawn (charged, stopped before judgment)
    convicted: np.ndarray

    def on(self, stage: Stage) -> np.ndarray:
        return self.day[:, stage]

    def has_reached(self, stage: Stage) -> np.ndarray:
        return self.reached >= stage

    @property
    def judged(self) -> np.ndarray:
        return self.reached == Stage.JUDGMENT

    @property
    def acquitted(self) -> np.ndarray:
        return self.judged & ~self.convicted


def progression(rng: np.random.Generator, reported: np.ndarray, until: int) -> Progression:
    n = len(reported)
    day = _stage_days(rng, reported)
    steps = rng.random((n, len(Stage) - 1)) < np.asarray(P_NEXT)
    level = np.cumprod(steps, axis=1).sum(axis=1)
    # Days are non-decreasing along a row, so the stages on or before `until` are a prefix.
    reached = np.minimum(level, (day <= until).sum(axis=1) - 1)
    exit_day = court_day(day[np.arange(n), level] + _exit_delay(rng, level))
    u_exit = rng.random(n)
    settled = (reached == level) & (exit_day <= until)
    before_charge = level < Stage.CHARGED
    charged_not_judged = (level == Stage.CHARGED) | (level == Stage.TRIAL_STARTED)
    convicted = (reached == Stage.JUDGMENT) & (rng.random(n) < P_CONVICTED)
    return Progression(
        day=day,
        level=level,
        reached=reached,
        exit_day=exit_day,
        closed=before_charge & (u_exit < P_CLOSED_NFA) & settled,
        withdrawn=charged_not_judged & (u_exit < P_WITHDRAWN) & settled,
        convicted=convicted,
    )


def _stage_days(rng: np.random.Generator, reported: np.ndarray) -> np.ndarray:
    n = len(reported)
    day = np.empty((n, len(Stage)), np.int64)
    day[:, Stage.REPORTED] = reported
    # Investigation within weeks; arrest and charge within months; trial months after the
    # charge; judgment one to three years into the trial. Court steps fall on weekdays.
    day[:, Stage.INVESTIGATION_OPENED] = reported + gamma_days(rng, 1.2, 6.0, n, 0, 60)
    day[:, Stage.SUSPECT_ARRESTED] = (
        day[:, Stage.INVESTIGATION_OPENED] + gamma_days(rng, 1.0, 21.0, n, 0, 365)
    )
    day[:, Stage.CHARGED] = court_day(
        day[:, Stage.SUSPECT_ARRESTED] + gamma_days(rng, 1.5, 14.0, n, 0, 365)
    )
    day[:, Stage.TRIAL_STARTED] = court_day(
        day[:, Stage.CHARGED] + gamma_days(rng, 2.5, 50.0, n, 14, 720)
    )
    day[:, Stage.JUDGMENT] = court_day(
        day[:, Stage.TRIAL_STARTED] + 365 + gamma_days(rng, 2.0, 170.0, n, 0, 730)
    )
    return day


def _exit_delay(rng: np.random.Generator, level: np.ndarray) -> np.ndarray:
    """Days from the last stage a case reaches to its withdrawal or closure: weeks before a
    charge, months once charged, longer once the trial runs."""
    n = len(level)
    return np.where(
        level < Stage.CHARGED,
        gamma_days(rng, 2.0, 45.0, n, 7, 540),
        np.where(
            level == Stage.CHARGED,
            gamma_days(rng, 2.0, 90.0, n, 14, 900),
            30 + gamma_days(rng, 2.0, 150.0, n, 0, 900),
        ),
    )
