"""What every iterative method in the core shares: how a run ends.

A method (Newton, gradient descent, training) is a generator of frozen step
records. When it stops it returns an :class:`Outcome`; :class:`Stepper` wraps
the generator so the caller can read that outcome after iterating::

    run = newton(f, 0.05)
    steps = list(run)
    run.outcome.status   # "converged"
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

S = TypeVar("S")

#: Status words used by every method.
CONVERGED = "converged"
STEP_LIMIT = "step limit reached"
SINGULAR = "singular"
DOMAIN = "left the domain"
DIVERGED = "diverged"


@dataclass(frozen=True)
class Outcome:
    """How a run ended: a status word and a sentence a student understands."""

    status: str
    message: str
    k: int


class Stepper(Iterator[S], Generic[S]):
    """Iterator over step records that remembers the :class:`Outcome`."""

    def __init__(self, generator: Generator[S, None, Outcome]):
        self._generator = generator
        self.outcome: Outcome | None = None

    def __iter__(self) -> Stepper[S]:
        return self

    def __next__(self) -> S:
        if self.outcome is not None:
            raise StopIteration
        try:
            return next(self._generator)
        except StopIteration as stop:
            self.outcome = stop.value
            raise

    def close(self) -> None:
        self._generator.close()
