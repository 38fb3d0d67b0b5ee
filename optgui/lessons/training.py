"""What the three training lessons share: gradient-descent settings and the run factory.

Regression, Classification and the 2-2-1 Network extend :class:`TrainingLesson`
with their data settings. A run is made from the settings and the data alone,
so a step rebuilt from its history row, or replayed from a session, uses the
learning rate and batch mode it ran with.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass

import numpy as np

from optgui.core.format import fmt
from optgui.core.models import Model
from optgui.core.stepping import Outcome, Stepper
from optgui.core.training import (
    DIVERGE_MIN_STEP,
    TrainSettings,
    TrainStep,
    divergence_limit,
    grew_outcome,
    rate_limit,
    train,
)
from optgui.lessons import captions
from optgui.lessons.arithmetic import Line, written
from optgui.lessons.settings import Settings, SettingsError, spec

INIT_CHOICES = (
    ("course", "small random (course: 0.01·randn)"),
    ("zeros", "all zeros"),
    ("typed", "typed in the table"),
)
BATCH_CHOICES = (
    ("full", "full batch (mean over all examples)"),
    ("single", "one example at a time (as the slides write it)"),
)


@dataclass(frozen=True)
class TrainingLesson(Settings):
    """Gradient descent's settings and where the parameters start."""

    learning_rate: float = spec(0.1, low=1e-6, high=100.0, label="the learning rate α")
    batch: str = spec("full", choices=tuple(k for k, _ in BATCH_CHOICES), label="the batch mode")
    init: str = spec("course", choices=tuple(k for k, _ in INIT_CHOICES), label="the start")
    seed: int = spec(3, low=0, high=999_999, label="the seed")
    #: The starting parameters when ``init`` is "typed" (otherwise drawn from init and seed).
    params0: tuple[float, ...] = ()

    def train_settings(self, tol: float = 1e-8) -> TrainSettings:
        """The core's settings for a step (the engine enforces the step limit)."""
        return TrainSettings(
            learning_rate=self.learning_rate, batch=self.batch, max_steps=10**12, tol=tol
        )


def initial_params(settings: TrainingLesson, model: Model) -> np.ndarray:
    """The parameters a run starts from: typed, zeros, or the course's 0.01·randn(seed)."""
    if settings.init == "typed" and len(settings.params0) == model.n_params:
        return np.array(settings.params0, dtype=float)
    if settings.init == "zeros":
        return model.initial_params("zeros")
    return model.initial_params("course", seed=settings.seed)


class TrainingFactory:
    """Starts (or continues) gradient descent; carries the settings it was made from.

    A continued run diverges where the whole run would (its limit is set by the cost at
    the start), and a run that has diverged stays ended: → adds nothing to it.
    """

    def __init__(self, settings: TrainingLesson, model: Model, X, y, params0: np.ndarray):
        if len(y) == 0:
            raise SettingsError("there is no data to learn from")
        self.settings = settings
        self.model, self.X, self.y = model, X, y
        self.params0 = np.array(params0, dtype=float)
        with np.errstate(all="ignore"):
            cost = float(model.cost(self.params0, X, y))
        #: The cost at the start (None if it cannot be computed: the run says so).
        self.start_cost = cost if math.isfinite(cost) else None

    def __call__(self, last: TrainStep | None) -> Stepper[TrainStep]:
        core = self.settings.train_settings()
        start = self.start_cost
        if last is None:
            return train(self.model, self.X, self.y, self.params0, core, start_cost=start)
        if start is not None and has_diverged(last, start):
            limit = rate_limit(self.model, self.X, self.settings.batch)
            outcome = grew_outcome(last.k, last.cost, last.learning_rate, limit)
            return Stepper(_ended(outcome))
        return train(
            self.model, self.X, self.y, last.params_next, core, k0=last.k + 1, start_cost=start
        )


def has_diverged(record: TrainStep, start_cost: float) -> bool:
    """Did the run that started at ``start_cost`` diverge with step ``record``?"""
    return record.k >= DIVERGE_MIN_STEP and record.cost > divergence_limit(start_cost)


def _ended(outcome: Outcome) -> Generator[TrainStep, None, Outcome]:
    """A run that takes no step and ends with ``outcome``."""
    return outcome
    yield  # (a generator)


def rebuild(row: np.ndarray, settings: TrainingLesson, model: Model, X, y) -> TrainStep:
    """Step ``row`` again with the settings it ran with (exact: a step is a pure function)."""
    params = np.asarray(row[1 : 1 + model.n_params])
    # tol=0: a recorded step is always rebuilt, even one where the run converged
    run = train(model, X, y, params, settings.train_settings(tol=0.0), k0=int(row[0]))
    return next(run)


def initial_record(
    settings: TrainingLesson, model: Model, X, y, params0: np.ndarray
) -> TrainStep | None:
    """Step 0 before it is taken (what the views show after a reset)."""
    if len(y) == 0:
        return None
    # tol=0: show the start even where the gradient is already zero (zeros, balanced data)
    return next(train(model, X, y, params0, settings.train_settings(tol=0.0)), None)


def shown_example(record: TrainStep, selected: int) -> int:
    """The example the math panel works through: the one a single-example step used,
    otherwise the one the student chose."""
    return selected if record.example is None else record.example


def update_lines(record: TrainStep, names: tuple[str, ...]) -> list[str]:
    """The update with its numbers: "w1 ← 0.4127 − 0.1 × (−0.5693) = 0.4696" (HTML)."""
    a = record.learning_rate
    used = "this example's gradient" if record.example is not None else "the batch mean ∂J"
    lines = [f"<b>Update with {used}</b> (α = {fmt(a, 4)}):"]
    for j, name in enumerate(names):
        # (as many digits as it takes for the shown terms to give the shown result)
        numbers = [record.params[j], a, record.gradients[j], record.params_next[j]]
        p, rate, g, new = written(numbers, [Line((0, 1, 2), lambda p, a, g: p - a * g, 3)])
        lines.append(f"&nbsp;&nbsp;{name} ← {p} − {rate} × ({g}) = <b>{new}</b>")
    return lines


def next_example(record: TrainStep | None) -> int:
    """The example (from 0) a one-example-at-a-time step uses next: they take turns."""
    if record is None or record.example is None:
        return 0
    m = len(record.forward.yhat)
    return (record.example + 1) % m if m else 0


def training_caption(
    settings: TrainingLesson,
    record: TrainStep | None,
    outcome: Outcome | None,
    names: tuple[str, ...] | None,
    cost: str,
) -> str:
    """What the next step of gradient descent does to the parameters ``names`` (None:
    not known yet), on ``cost`` ("the mean squared error"), with the current α."""
    end = captions.ended(outcome)
    if end:
        return end
    alpha = captions.rate(settings.learning_rate)
    if names is None:
        moved, slopes = "every weight and b", ""
    else:
        moved = captions.and_list([captions.pretty(n) for n in names])
    if settings.batch == "single":
        i = next_example(record)
        if names is not None:
            slopes = ", " + ", ".join(f"∂L/∂{captions.pretty(n)}" for n in names)
        return (
            f"{captions.heading(record)} example {i + 1} alone: {moved} each move a step of "
            f"{alpha} against the slope of its own loss{slopes}."
        )
    if names is not None:
        slopes = " " + ", ".join(f"∂J/∂{captions.pretty(n)}" for n in names)
    return (
        f"{captions.heading(record)} {moved} each move a step of {alpha} against their "
        f"slope{slopes} of {cost}."
    )


Factory = Callable[[TrainStep | None], Stepper[TrainStep]]
