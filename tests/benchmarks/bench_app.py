"""One table for all six tabs: every figure a ratio or a rate measured in this run.

    .venv/bin/python tests/benchmarks/bench_app.py [--seconds 3]

Columns, per tab, at full speed in the real (offscreen) window at 1920×1080:
- core: the core's steps/s against a plain numpy loop of the same math written
  as a course notebook would (training tabs and Newton; target ≥ 0.9×);
- in-app: steps/s in the running app against the same stepper run headless
  (target ≥ 0.8×);
- lag p50 / p99: how long the GUI thread takes to answer an event posted from
  another thread every 20 ms, as a key press would be (target p99 ≤ 25 ms);
- refresh/s in normal and presentation mode (target ≥ 30/s); for the 2-2-1
  Network every refresh redraws the 200×200 probability heatmap.
Then the time to a shown window against a bare PySide6 window with one
pyqtgraph plot, both as new processes (target ≤ 1.5×).
Every tab streams for the whole time: training runs use small learning rates,
the Newton tabs a function on which Newton's method cycles for ever, and a run
that still ends is restarted.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["OPTGUI_SETTINGS_DIR"] = tempfile.mkdtemp(prefix="optgui-bench-")

import bench_core  # noqa: E402

TABS = ("Regression", "Classification", "2-2-1 Network", "Newton 1-D", "Newton 2-D",
        "Hessian Explorer")  # fmt: skip


def notebook_newton_1d(seconds: float) -> float:
    """x ← x − g′/g″ for g = eˣ − ln x, restarted from 0.05 after 8 steps, as in a notebook."""
    n, x, end = 0, 0.05, time.perf_counter() + seconds
    history = []
    while time.perf_counter() < end:
        for _ in range(8):
            d1, d2 = np.exp(x) - 1 / x, np.exp(x) + 1 / x**2
            history.append((x, d1, d2))
            x = x - d1 / d2
        n, x = n + 8, 0.05
        if len(history) > 4096:
            history.clear()
    return n / seconds


def core_newton_1d(seconds: float) -> float:
    from optgui.core.expr import parse_function
    from optgui.core.newton import newton

    g = parse_function("exp(x) - log(x)", ["x"])
    n, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        n += sum(1 for _ in newton(g, 0.05, max_steps=8, tol=0.0))
    return n / seconds


def core_ratios(seconds: float) -> dict[str, float]:
    ratios = {}
    for (_, notebook, full, _single), title in zip(bench_core.cases(), TABS[:3], strict=True):
        ratios[title] = max(full(seconds) for _ in range(2)) / max(
            notebook(seconds) for _ in range(2)
        )
    ratios["Newton 1-D"] = core_newton_1d(seconds) / notebook_newton_1d(seconds)
    return ratios


def headless(tab, seconds: float) -> float:
    """The tab's own stepper, with the tab's settings, run without the GUI."""
    factory = tab.make_factory()
    n, end = 0, time.perf_counter() + seconds
    kept = []
    while time.perf_counter() < end:
        for record in factory(None):
            kept.append(record.as_row())
            n += 1
            if n % 256 == 0 and time.perf_counter() >= end:
                break
        if len(kept) > 4096:
            kept.clear()
    return n / seconds


def in_app(app, window, tab, seconds: float):
    from lag_probe import LagProbe
    from PySide6.QtCore import QTimer

    refreshes = steps = 0

    deadline = time.perf_counter() + seconds

    def count(records) -> None:
        nonlocal refreshes, steps
        refreshes += 1
        steps += len(records)
        if time.perf_counter() >= deadline:  # (a timer can starve behind a busy queue)
            app.quit()

    def restart(_outcome) -> None:  # keep streaming if the run converges
        tab.reset()
        tab.toggle_play()

    tab.engine.steps_ready.connect(count)
    tab.engine.finished.connect(restart)
    with LagProbe() as probe:
        t0 = time.perf_counter()
        tab.toggle_play()
        backstop = QTimer()  # if no batch comes at all
        backstop.setSingleShot(True)
        backstop.timeout.connect(app.quit)
        backstop.start(int(seconds * 1000) + 500)
        app.exec()
        backstop.stop()  # (a left-over quit would end the next measurement at once)
        elapsed = time.perf_counter() - t0
    tab.engine.finished.disconnect(restart)
    tab.engine.steps_ready.disconnect(count)
    tab.stop()
    p50, p99 = probe.percentiles(50, 99)
    return steps / elapsed, p50, p99, refreshes / elapsed


def settle(app, seconds: float = 1.0) -> None:
    """Let the window finish what a change started (typesetting, layout) before measuring."""
    from optgui.gui.mathtext import typeset_waiting

    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        typeset_waiting()


def prepare(tab) -> None:
    """Settings under which a run streams: no early convergence, full speed."""
    tab.controls.limit.setValue(10_000_000)
    tab.controls.speed.setValue(tab.controls.speed.maximum())
    if tab.title == "Regression":
        tab.source.setCurrentIndex(tab.source.findData("line"))
        tab.rate.setValue(1e-5)
    elif tab.title == "Classification" or tab.title == "2-2-1 Network":
        tab.rate.setValue(1e-3)
    # Newton converges in a few steps; from 0 on g′ = x³ − 2x + 2 it cycles 0 → 1 → 0 for ever.
    elif tab.title == "Newton 1-D":
        tab.function_box.set_text(CYCLE)
        tab.set_start(0.0)
    elif tab.title == "Newton 2-D":
        tab.function_box.set_text(CYCLE + " + y^2")
        tab.set_start((0.0, 0.0))
    elif tab.title == "Hessian Explorer":
        tab.box.set_text(CYCLE + " + y^2")
        tab.set_point((0.0, 0.0))


CYCLE = "x^4/4 - x^2 + 2*x"


STARTUP = {
    "bare": (
        "from PySide6.QtWidgets import QApplication\nimport pyqtgraph as pg\n"
        "app=QApplication([]); w=pg.PlotWidget(); w.plot([1,2,3]); w.resize(1600,900); w.show()\n"
    ),
    "optgui": (
        "from optgui.app import application, create_window\n"
        "app=application(); w=create_window(); w.resize(1600,900); w.show()\n"
    ),
}
#: Both end the same way: once the window has been painted, print the wall clock.
SHOWN = (
    "import time\n"
    "app.processEvents(); w.repaint(); app.processEvents(); print(time.time(), flush=True)\n"
)


def startup(kind: str, repeats: int = 3) -> float:
    """Seconds from starting a new Python process to its window painted on screen."""
    best = float("inf")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPTGUI_SETTINGS_DIR": tempfile.mkdtemp()}
    for _ in range(repeats):
        t0 = time.time()
        command = [sys.executable, "-c", STARTUP[kind] + SHOWN]
        done = subprocess.run(command, check=True, cwd=ROOT, capture_output=True, env=env)
        shown = float(done.stdout.split()[-1])
        best = min(best, shown - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    from optgui.app import application, create_window

    ratios = core_ratios(min(args.seconds, 2.0))
    app = application()
    window = create_window()
    window.resize(1920, 1080)
    window.show()
    rows = []
    for title in TABS:
        tab = window.tab(title)
        window.show_tab(tab.title)
        prepare(tab)
        settle(app)
        base = headless(tab, min(args.seconds, 2.0))
        rate, p50, p99, refresh = in_app(app, window, tab, args.seconds)
        window.set_presentation(True)
        settle(app)  # (new sizes re-typeset every formula once: not part of a run)
        _, _, p99_present, refresh_present = in_app(app, window, tab, args.seconds)
        window.set_presentation(False)
        rows.append((title, ratios.get(title), rate / base, p50, max(p99, p99_present),
                     refresh, refresh_present))  # fmt: skip
        print(f"measured {title}", file=sys.stderr, flush=True)
    window.close()
    bare, ours = startup("bare"), startup("optgui")
    print(f"{'tab':<17} {'core':>6} {'in-app':>7} {'lag p50':>8} {'lag p99':>8} "
          f"{'refresh/s':>10} {'presenting':>11}")  # fmt: skip
    for title, core, inapp, p50, p99, ref, ref_p in rows:
        core_text = f"{core:.2f}×" if core is not None else "–"
        print(f"{title:<17} {core_text:>6} {inapp:>6.2f}× {p50:>6.1f}ms {p99:>6.1f}ms "
              f"{ref:>10.0f} {ref_p:>11.0f}")  # fmt: skip
    print("targets: core ≥ 0.9×, in-app ≥ 0.8×, lag p99 ≤ 25 ms, refresh ≥ 30/s "
          "(the network's refresh is its heatmap's update rate)")  # fmt: skip
    print(f"time to a shown window: optgui {ours:.2f} s, bare PySide6 + one plot {bare:.2f} s "
          f"= {ours / bare:.2f}× (target ≤ 1.5×)")  # fmt: skip


if __name__ == "__main__":
    main()
