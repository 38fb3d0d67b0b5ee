"""Speed of the core and of the running app, as ratios measured in one run.

Run by hand (not part of the test suite; the machines are shared and noisy):

    .venv/bin/python tests/benchmarks/bench_engine.py [--seconds 3]

Prints one table:
- core steps/s against a plain numpy loop of the same math, written as a course
  notebook would (target ≥ 0.9×);
- steps/s inside the running app at full speed against the headless core
  (target ≥ 0.8×);
- GUI event-loop lag p50 / p99 during a full-speed run (target p99 ≤ 25 ms);
- plot refreshes per second during that run (target ≥ 30).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# a settings folder of its own: no last session restored, the user's left alone
os.environ["OPTGUI_SETTINGS_DIR"] = tempfile.mkdtemp(prefix="optgui-bench-")

from optgui.core import datasets  # noqa: E402
from optgui.core.models import LinearRegression  # noqa: E402
from optgui.core.training import TrainSettings, train  # noqa: E402

RATE = 1e-5  # slow enough that no run converges during the measurement


def data(m: int = 200):
    """A TV-advertising-sized data set (200 rows), normalised as in the course."""
    d = datasets.noisy_line(m, 0.5, seed=1)
    xn, yn = datasets.Normalizer.fit(d.X), datasets.Normalizer.fit(d.y)
    return xn.transform(d.X), yn.transform(d.y)


def notebook_loop(X, Y, seconds: float) -> float:
    """Gradient descent as the course's notebook writes it: steps per second."""
    x, y = X[:, 0], Y
    w, b = 0.01788628, 0.0
    m = len(y)
    n = 0
    history = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        for _ in range(100):
            y_hat = w * x + b
            cost = np.sum((y_hat - y) ** 2) / (2 * m)
            dw = np.sum((y_hat - y) * x) / m
            db = np.sum(y_hat - y) / m
            w, b = w - RATE * dw, b - RATE * db
            history.append((w, b, cost, dw, db))
        n += 100
    return n / seconds


def core_loop(X, Y, seconds: float) -> float:
    model = LinearRegression(1)
    run = train(model, X, Y, [0.01788628, 0.0], TrainSettings(learning_rate=RATE, max_steps=10**9))
    n = 0
    keep = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        for _ in range(100):
            keep.append(next(run))
            if len(keep) > 4096:
                keep.clear()
        n += 100
    return n / seconds


def app_run(seconds: float, tab_title: str = "Regression"):
    """Full speed in the real window: steps/s, lag percentiles, refreshes/s.

    Lag is how long the GUI thread takes to answer an event posted from another
    thread every 20 ms (as a key press or a click would be): the time from
    posting to handling.
    """
    from lag_probe import LagProbe
    from PySide6.QtCore import QTimer

    from optgui.app import application, create_window

    app = application()
    window = create_window()
    window.resize(1920, 1080)
    window.show()
    tab = window.tab(tab_title)
    window.show_tab(tab.title)
    if tab_title == "Regression":
        tab.source.setCurrentIndex(tab.source.findData("line"))
        tab.rate.setValue(RATE)
    tab.controls.limit.setValue(10_000_000)
    tab.controls.speed.setValue(tab.controls.speed.maximum())
    warm_until = time.perf_counter() + 2.0  # let start-up work finish first
    while time.perf_counter() < warm_until:
        app.processEvents()

    refreshes = 0

    def count(_records) -> None:
        nonlocal refreshes
        refreshes += 1

    tab.engine.steps_ready.connect(count)
    start_steps = len(tab.history)
    with LagProbe() as probe:
        t0 = time.perf_counter()
        tab.toggle_play()
        QTimer.singleShot(int(seconds * 1000), app.quit)
        app.exec()  # the event loop runs as in the real app, idle between events
        elapsed = time.perf_counter() - t0
    steps = len(tab.history) - start_steps
    tab.stop()
    window.close()
    p50, p99 = probe.percentiles(50, 99)
    return steps / elapsed, p50, p99, refreshes / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    X, Y = data()
    notebook = notebook_loop(X, Y, args.seconds)
    core = core_loop(X, Y, args.seconds)
    in_app, p50, p99, refresh = app_run(args.seconds)
    rows = [
        (
            "core steps/s vs notebook numpy loop",
            f"{core:,.0f} / {notebook:,.0f}",
            f"{core / notebook:.2f}×",
            "≥ 0.9×",
        ),
        (
            "in-app steps/s vs headless core",
            f"{in_app:,.0f} / {core:,.0f}",
            f"{in_app / core:.2f}×",
            "≥ 0.8×",
        ),
        ("GUI lag p50 / p99 (full speed)", "", f"{p50:.1f} / {p99:.1f} ms", "p99 ≤ 25 ms"),
        ("plot refreshes per second", "", f"{refresh:.0f}/s", "≥ 30/s"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'raw':>20}  {'figure':>16}  target")
    for name, raw, figure, target in rows:
        print(f"{name:<{width}}  {raw:>20}  {figure:>16}  {target}")


if __name__ == "__main__":
    main()
