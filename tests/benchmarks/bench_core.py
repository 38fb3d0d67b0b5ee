"""Core training speed against notebook-style numpy loops of the same math.

Run by hand (not part of the test suite; the machines are shared and noisy):

    .venv/bin/python tests/benchmarks/bench_core.py [--seconds 2] [--repeats 3]

For each model (one-input linear regression, perceptron, 2-2-1 sigmoid network; 200
rows, full batch) it times :func:`optgui.core.training.train` and a plain loop written
as a course notebook would (``(features, examples)`` layout, naive sigmoid and log
loss, one history tuple per step), alternating the two ``--repeats`` times, and prints
the best steps/s of each and their ratio (target ≥ 0.9×). A single-example run of the
core is timed too, for reference. On a busy machine ``--cpu`` times this thread's CPU
time instead of the wall clock.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from optgui.core import datasets  # noqa: E402
from optgui.core.models import LinearRegression, Network, Perceptron  # noqa: E402
from optgui.core.training import TrainSettings, train  # noqa: E402

RATE = 1e-3  # small: the notebook loops neither saturate nor overflow during a measurement
M = 200


CLOCK = time.perf_counter  # --cpu: time.thread_time, steadier on a busy machine


def _timed(step: Callable[[], object], seconds: float) -> float:
    """Steps per second of ``step()`` called in batches of 100 for about ``seconds``."""
    n = 0
    t0 = CLOCK()
    end = t0 + seconds
    while CLOCK() < end:
        for _ in range(100):
            step()
        n += 100
    return n / (CLOCK() - t0)


def core(model, X, y, batch: str = "full") -> Callable[[float], float]:
    """Steps/s of ``train`` (never converging), keeping the records as a caller would."""

    def measure(seconds: float) -> float:
        settings = TrainSettings(RATE, batch=batch, max_steps=10**9, tol=0.0)
        run = train(model, X, y, model.initial_params(), settings)
        keep: list = []

        def step() -> None:
            keep.append(next(run))
            if len(keep) > 4096:
                keep.clear()

        return _timed(step, seconds)

    return measure


def regression_notebook(X, y) -> Callable[[float], float]:
    """w, b as scalars, as in bench_engine.py."""

    def measure(seconds: float) -> float:
        x = X[:, 0]
        w, b = 0.01788628, 0.0
        m = len(y)
        history: list = []

        def step() -> None:
            nonlocal w, b
            y_hat = w * x + b
            cost = np.sum((y_hat - y) ** 2) / (2 * m)
            dw = np.sum((y_hat - y) * x) / m
            db = np.sum(y_hat - y) / m
            w, b = w - RATE * dw, b - RATE * db
            history.append((w, b, cost, dw, db))
            if len(history) > 4096:
                history.clear()

        return _timed(step, seconds)

    return measure


def perceptron_notebook(X, y, params0) -> Callable[[float], float]:
    """W (1, 2), b (1, 1), X (2, m): forward, log loss, backward, update."""

    def measure(seconds: float) -> float:
        XT, Y = X.T.copy(), y[None, :]
        W, b = params0[None, :2].copy(), np.array([[params0[2]]])
        m = XT.shape[1]
        history: list = []

        def step() -> None:
            nonlocal W, b
            Z = W @ XT + b
            A = 1 / (1 + np.exp(-Z))
            cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
            dZ = A - Y
            dW = 1 / m * dZ @ XT.T
            db = 1 / m * np.sum(dZ, axis=1, keepdims=True)
            W = W - RATE * dW
            b = b - RATE * db
            history.append((W, b, cost, dW, db))
            if len(history) > 4096:
                history.clear()

        return _timed(step, seconds)

    return measure


def network_notebook(X, y, net: Network, params0) -> Callable[[float], float]:
    """The course's 2-2-1 network: W1 (2, 2), b1 (2, 1), W2 (1, 2), b2 (1, 1), X (2, m)."""

    def measure(seconds: float) -> float:
        XT, Y = X.T.copy(), y[None, :]
        W1, b1, W2, b2 = net.unpack(params0)
        W1, b1, W2, b2 = W1.copy(), b1[:, None].copy(), W2[None, :].copy(), np.array([[b2]])
        m = XT.shape[1]
        history: list = []

        def step() -> None:
            nonlocal W1, b1, W2, b2
            Z1 = W1 @ XT + b1
            A1 = 1 / (1 + np.exp(-Z1))
            Z2 = W2 @ A1 + b2
            A2 = 1 / (1 + np.exp(-Z2))
            cost = -np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / m
            dZ2 = A2 - Y
            dW2 = 1 / m * dZ2 @ A1.T
            db2 = 1 / m * np.sum(dZ2, axis=1, keepdims=True)
            dZ1 = W2.T @ dZ2 * A1 * (1 - A1)
            dW1 = 1 / m * dZ1 @ XT.T
            db1 = 1 / m * np.sum(dZ1, axis=1, keepdims=True)
            W1, b1 = W1 - RATE * dW1, b1 - RATE * db1
            W2, b2 = W2 - RATE * dW2, b2 - RATE * db2
            history.append((W1, b1, W2, b2, cost, dW1, db1, dW2, db2))
            if len(history) > 4096:
                history.clear()

        return _timed(step, seconds)

    return measure


def cases() -> list[tuple[str, Callable[[float], float], Callable[[float], float], Callable]]:
    """(name, notebook, core full batch, core single example) for each model."""
    line = datasets.noisy_line(M, 0.5, seed=1)
    X = datasets.Normalizer.fit(line.X).transform(line.X)
    y = datasets.Normalizer.fit(line.y).transform(line.y)
    reg = LinearRegression(1)
    blobs = datasets.two_blobs(M, seed=0)
    per = Perceptron(2)
    xor = datasets.xor_blobs(M, seed=0)
    net = Network(2, "sigmoid")
    return [
        ("linear regression (1 input)", regression_notebook(X, y), core(reg, X, y),
         core(reg, X, y, "single")),
        ("perceptron (2 inputs)", perceptron_notebook(blobs.X, blobs.y, per.initial_params()),
         core(per, blobs.X, blobs.y), core(per, blobs.X, blobs.y, "single")),
        ("2-2-1 network (sigmoid)", network_notebook(xor.X, xor.y, net, net.initial_params()),
         core(net, xor.X, xor.y), core(net, xor.X, xor.y, "single")),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="per measurement")
    parser.add_argument("--repeats", type=int, default=3, help="alternations; the best counts")
    parser.add_argument(
        "--cpu", action="store_true", help="count this thread's CPU time, not wall time"
    )
    args = parser.parse_args()
    if args.cpu:
        global CLOCK
        CLOCK = time.thread_time
    rows = []
    for name, notebook, full, single in cases():
        best_nb = best_core = 0.0
        for _ in range(args.repeats):
            best_nb = max(best_nb, notebook(args.seconds))
            best_core = max(best_core, full(args.seconds))
        one = single(args.seconds)
        rows.append((name, best_core, best_nb, one))
    width = max(len(r[0]) for r in rows)
    print(f"{'model (200 rows)':<{width}}  {'core steps/s':>12}  {'notebook':>10}  "
          f"{'ratio':>6}  {'single':>9}  target")  # fmt: skip
    for name, full_rate, nb, one in rows:
        print(f"{name:<{width}}  {full_rate:>12,.0f}  {nb:>10,.0f}  {full_rate / nb:>5.2f}×  "
              f"{one:>9,.0f}  ≥ 0.9×")  # fmt: skip


if __name__ == "__main__":
    main()
