"""Toy steppers for the engine's tests (no Qt: worker processes import this module)."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from optgui.core.stepping import CONVERGED, Outcome, Stepper


@dataclass(frozen=True)
class Count:
    k: int

    def as_row(self):
        return (float(self.k),)


@dataclass(frozen=True)
class Counter:
    """A factory of trivial steppers: k = 0, 1, 2 …, optionally ending, failing or slow."""

    stop_at: int | None = None
    fail_at: int | None = None
    seconds: float = 0.0  # how long each step takes

    def __call__(self, last):
        def gen():
            k = 0 if last is None else last.k + 1
            while True:
                if self.stop_at is not None and k >= self.stop_at:
                    return Outcome(CONVERGED, f"converged at step {k}", k)
                if self.fail_at is not None and k == self.fail_at:
                    raise FloatingPointError("overflow in exp")
                np.exp(np.array([1000.0]))  # a numpy warning must not escape the worker
                if self.seconds:
                    time.sleep(self.seconds)
                yield Count(k)
                k += 1

        return Stepper(gen())


def counter(stop_at: int | None = None, fail_at: int | None = None) -> Counter:
    return Counter(stop_at, fail_at)


@dataclass(frozen=True)
class Rate:
    """Settings of the toy stepper below: each step adds ``rate`` to x."""

    rate: float


@dataclass(frozen=True)
class Walk:
    k: int
    x: float

    def as_row(self):
        return (float(self.k), self.x)


class Walker:
    """A factory that carries its settings, as every tab's factory does."""

    def __init__(self, rate: float, stop_at: int | None = None):
        self.settings = Rate(rate)
        self.stop_at = stop_at

    def __call__(self, last):
        def gen():
            k, x = (0, 0.0) if last is None else (last.k + 1, last.x)
            while self.stop_at is None or k < self.stop_at:
                x += self.settings.rate
                yield Walk(k, x)
                k += 1
            return Outcome(CONVERGED, "done", k)

        return Stepper(gen())
