"""All six tabs in two tables: every figure a ratio or a rate measured in this run.

    .venv/bin/python tests/benchmarks/bench_app.py [--seconds 3]

First line, measured before anything else: the time a bare PySide6 window with
one pyqtgraph plot takes to start as a new process (best of 3), a speed reference
that tells a slower machine from a slower app. Second line: the first Play in the
process (one second of the first tab), which pays one-off costs (first paints,
caches) and is left out of the tables.

The steppers alone, per tab (the tab's own stepper with the tab's settings, run
headless in this process for min(--seconds, 2) s):
- steps/s and µs/step.

In the app, per tab, in normal and in presentation mode, at full speed in the
real (offscreen) window at 1920×1080 for --seconds each:
- in-app: steps/s in the running app against the same stepper headless
  (target ≥ 0.8×);
- refresh/s: plot refreshes (``engine.steps_ready`` emissions) a second
  (target ≥ 30/s); for the 2-2-1 Network every refresh redraws its 200×200
  probability heatmap;
- GUI ms/frame: the GUI thread's CPU time over the run (``time.thread_time`` on
  the GUI thread, so never the stepper's, on a worker thread or in a worker
  process) divided by the refreshes (target ≤ 10 ms);
- worst frame: the largest per-frame GUI thread_time delta between consecutive
  ``steps_ready`` emissions, i.e. all the GUI thread did between two refreshes:
  drawing, painting, answering events (ms);
- lag p50 / p99 / max: how long the GUI thread takes to answer an event posted
  from another thread every 20 ms, as a key press would be (target p99 ≤ 25 ms).

Last line: the time to a shown window, optgui against the bare window, both as
new processes, best of 3 each, alternated at the end of the run (target ≤ 1.5×).

Every tab streams for the whole time: training runs use small learning rates,
the Newton tabs a function on which Newton's method cycles for ever, and a run
that still ends is restarted. (How the core compares with notebook numpy loops
is bench_core.py's table.)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["OPTGUI_SETTINGS_DIR"] = tempfile.mkdtemp(prefix="optgui-bench-")

TABS = ("Regression", "Classification", "2-2-1 Network", "Newton 1-D", "Newton 2-D",
        "Hessian Explorer")  # fmt: skip


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


@dataclass
class Streamed:
    """One streaming period in the app (times in ms)."""

    rate: float  # steps/s
    refresh: float  # steps_ready emissions/s
    gui_frame: float  # GUI thread CPU time per refresh
    worst_frame: float  # largest GUI thread CPU time between two consecutive refreshes
    lag: tuple[float, float, float]  # p50, p99, max


def in_app(app, tab, seconds: float) -> Streamed:
    """Play at full speed for ``seconds`` in the event loop, as in the real app."""
    from lag_probe import LagProbe
    from PySide6.QtCore import QEventLoop, QTimer

    # a loop of its own: app.quit() would close the window (Qt 6), which ends its workers
    loop = QEventLoop()
    refreshes = steps = 0
    frames: list[float] = []  # GUI thread CPU time between consecutive refreshes
    last: float | None = None  # GUI thread CPU time at the previous refresh

    deadline = time.perf_counter() + seconds

    def count(records) -> None:  # connected after the tab's own slot: runs last
        nonlocal refreshes, steps, last
        now = time.thread_time()
        if last is not None:
            frames.append(now - last)
        last = now
        refreshes += 1
        steps += len(records)
        if time.perf_counter() >= deadline:  # (a timer can starve behind a busy queue)
            loop.quit()

    def restart(_outcome) -> None:  # keep streaming if the run converges
        nonlocal last
        last = None  # (a reset and a new start are no frame)
        tab.reset()
        tab.toggle_play()

    tab.engine.steps_ready.connect(count)
    tab.engine.finished.connect(restart)
    with LagProbe() as probe:
        t0, cpu0 = time.perf_counter(), time.thread_time()
        tab.toggle_play()
        backstop = QTimer()  # if no batch comes at all
        backstop.setSingleShot(True)
        backstop.timeout.connect(loop.quit)
        backstop.start(int(seconds * 1000) + 500)
        loop.exec()
        backstop.stop()  # (a left-over quit would end the next measurement at once)
        elapsed, cpu = time.perf_counter() - t0, time.thread_time() - cpu0
    tab.engine.finished.disconnect(restart)
    tab.engine.steps_ready.disconnect(count)
    tab.stop()
    p50, p99 = probe.percentiles(50, 99)
    return Streamed(
        rate=steps / elapsed,
        refresh=refreshes / elapsed,
        gui_frame=1000 * cpu / refreshes if refreshes else float("nan"),
        worst_frame=1000 * max(frames, default=float("nan")),
        lag=(p50, p99, probe.max()),
    )


def warm_up(app, window, seconds: float) -> Streamed:
    """A first Play, not measured in the tables: it pays one-off costs (first paints, caches)."""
    tab = window.tab(TABS[0])
    window.show_tab(tab.title)
    prepare(tab)
    settle(app)
    streamed = in_app(app, tab, min(seconds, 1.0))
    tab.reset()
    return streamed


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


def startup(kind: str) -> float:
    """Seconds from starting a new Python process to its window painted on screen."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPTGUI_SETTINGS_DIR": tempfile.mkdtemp()}
    t0 = time.time()
    command = [sys.executable, "-c", STARTUP[kind] + SHOWN]
    done = subprocess.run(command, check=True, cwd=ROOT, capture_output=True, env=env)
    return float(done.stdout.split()[-1]) - t0


def best_startups(kinds: tuple[str, ...], repeats: int = 3) -> list[float]:
    """The best of ``repeats`` start-ups of each kind, the kinds alternated."""
    best = [float("inf")] * len(kinds)
    for _ in range(repeats):
        for i, kind in enumerate(kinds):
            best[i] = min(best[i], startup(kind))
    return best


HEAD = ("in-app", "refresh/s", "GUI ms/frame", "worst frame", "lag p50", "lag p99", "lag max")
TARGETS = ("≥ 0.8×", "≥ 30", "≤ 10", "", "", "≤ 25", "")
NOTE = (
    "(in-app: steps/s against the stepper alone; GUI ms/frame and worst frame: GUI thread\n"
    "CPU time; lag: wall time; the network's refresh is its heatmap's update rate)"
)


def app_row(first: str, mode: str, cells) -> str:
    """A line of the in-app table: 98 characters, each cell under its heading."""
    line = " ".join(f"{c:>{len(h)}}" for c, h in zip(cells, HEAD, strict=True))
    return f"{first:<17} {mode:<10} {line}".rstrip()


def print_tables(steppers: dict[str, float], streamed: dict[str, dict[str, Streamed]]) -> None:
    print(f"\n{'stepper alone':<17} {'steps/s':>9} {'µs/step':>8}   "
          "(the tab's stepper and settings, headless)")  # fmt: skip
    for title, rate in steppers.items():
        print(f"{title:<17} {rate:>9,.0f} {1e6 / rate:>8.1f}")
    print()
    print(app_row("in the app", "mode", HEAD))
    for title, modes in streamed.items():
        for mode, run in modes.items():
            figures = (run.gui_frame, run.worst_frame, *run.lag)
            cells = (f"{run.rate / steppers[title]:.2f}×", f"{run.refresh:.0f}",
                     *(f"{x:.1f}" for x in figures))  # fmt: skip
            print(app_row(title if mode == "normal" else "", mode, cells))
    print(app_row("targets", "", TARGETS))
    print(NOTE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    (bare,) = best_startups(("bare",))
    print(f"speed reference: bare PySide6 window + one plot starts in {bare:.2f} s "
          "on this machine", flush=True)  # fmt: skip
    from PySide6.QtCore import QEvent

    from optgui.app import application, create_window
    from optgui.gui import pacing

    app = application()
    window = create_window()
    window.resize(1920, 1080)
    window.show()
    pacing.preload()  # (as the window does when idle after showing: no first run pays for it)
    warm = warm_up(app, window, args.seconds)
    print(f"first Play in the process (not in the tables): worst frame {warm.worst_frame:.0f} ms,"
          f" lag max {warm.lag[2]:.0f} ms", flush=True)  # fmt: skip
    steppers: dict[str, float] = {}
    streamed: dict[str, dict[str, Streamed]] = {}
    for title in TABS:
        tab = window.tab(title)
        window.show_tab(tab.title)
        prepare(tab)
        settle(app)
        steppers[title] = headless(tab, min(args.seconds, 2.0))
        normal = in_app(app, tab, args.seconds)
        window.set_presentation(True)
        settle(app)  # (new sizes re-typeset every formula once: not part of a run)
        presenting = in_app(app, tab, args.seconds)
        window.set_presentation(False)
        streamed[title] = {"normal": normal, "presenting": presenting}
        print(f"measured {title}", file=sys.stderr, flush=True)
    window.close()
    window.deleteLater()  # now: PySide's clean-up at exit can crash on pyqtgraph's items
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    print_tables(steppers, streamed)
    bare, ours = best_startups(("bare", "optgui"))
    print(f"\nstart-up to a shown window: optgui {ours:.2f} s, bare window + one plot {bare:.2f} s"
          f" = {ours / bare:.2f}× (target ≤ 1.5×)")  # fmt: skip


if __name__ == "__main__":
    main()
