"""The GUI thread's CPU time per frame while a tab runs at full speed.

    .venv/bin/python tests/benchmarks/frame_time.py [--seconds 3] [--tab "Newton 2-D"]
        [--profile N]   # cProfile of the GUI thread (its CPU time), the N costliest

For each tab, in normal mode and in presentation mode, in the real (offscreen)
window at 1920×1080, a run streams for ``--seconds`` (the tabs are prepared as
in bench_app.py: nothing converges). The figures count only the GUI thread
(``time.thread_time``), so the worker's stepping does not count:

- ms/frame: the GUI thread's time over the whole streaming period divided by the
  refreshes (batches shown, ``engine.steps_ready``): everything a frame costs,
  its painting and the views drawn less often (texts, whole-run views) included;
- worst: the largest GUI thread time between two consecutive refreshes;
- refresh/s: refreshes per second of wall time.

Target: ms/frame under 10 in every row. Figures, never asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_app import TABS, prepare, settle  # noqa: E402  (sets the platform, settings dir)


class FrameClock:
    """The GUI thread's CPU time at each refresh of ``tab``."""

    def __init__(self, tab):
        self.tab = tab
        self.marks: list[float] = []

    def __call__(self, _records) -> None:
        self.marks.append(time.thread_time())

    def figures(self, wall: float) -> tuple[float, float, float]:
        """ms per frame, worst frame in ms, refreshes per second."""
        marks = self.marks
        if len(marks) < 3:
            return float("nan"), float("nan"), len(marks) / wall
        # the first refresh starts the run: frames are the spans between refreshes
        spans = [b - a for a, b in zip(marks[:-1], marks[1:], strict=True)]
        return 1000 * (marks[-1] - marks[0]) / len(spans), 1000 * max(spans), len(marks) / wall


def stream(app, tab, seconds: float, profile: cProfile.Profile | None = None):
    """Run ``tab`` at full speed for ``seconds``; (ms/frame, worst ms, refresh/s)."""
    from PySide6.QtCore import QTimer

    clock = FrameClock(tab)
    deadline = time.perf_counter() + seconds

    def count(records) -> None:
        clock(records)
        if time.perf_counter() >= deadline:
            app.quit()

    def restart(_outcome) -> None:  # keep streaming if the run converges
        tab.reset()
        tab.toggle_play()

    # connected first, so the mark is taken before the tab draws the batch
    tab.engine.steps_ready.disconnect(tab._on_steps)
    tab.engine.steps_ready.connect(count)
    tab.engine.steps_ready.connect(tab._on_steps)
    tab.engine.finished.connect(restart)
    backstop = QTimer()
    backstop.setSingleShot(True)
    backstop.timeout.connect(app.quit)
    t0 = time.perf_counter()
    if profile is not None:
        profile.enable()
    tab.toggle_play()
    backstop.start(int(seconds * 1000) + 500)
    app.exec()
    if profile is not None:
        profile.disable()
    backstop.stop()
    wall = time.perf_counter() - t0
    tab.engine.finished.disconnect(restart)
    tab.engine.steps_ready.disconnect(count)
    tab.stop()
    settle(app, 0.3)
    return clock.figures(wall)


def settle_fully(app, most: float = 20.0) -> None:
    """:func:`settle`, then until no formula is being typeset in the background (a polite
    lane waits while the GUI is busy: a run would otherwise pay for the typesetting)."""
    from optgui.gui import background

    settle(app)
    end = time.perf_counter() + most
    while background.running() and time.perf_counter() < end:
        settle(app, 0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--tab", action="append", help="only this tab (repeatable)")
    parser.add_argument("--mode", choices=("both", "normal", "presenting"), default="both")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()
    from optgui.app import application, create_window

    app = application()
    window = create_window()
    window.resize(1920, 1080)
    window.show()
    modes = {"both": (False, True), "normal": (False,), "presenting": (True,)}[args.mode]
    rows = []
    for title in args.tab or TABS:
        tab = window.tab(title)
        window.show_tab(tab.title)
        prepare(tab)
        settle_fully(app)
        figures = []
        for presenting in modes:
            window.set_presentation(presenting)
            settle_fully(app)  # (new sizes re-typeset every formula once: not part of a run)
            profile = cProfile.Profile(time.thread_time) if args.profile else None
            figures.append(stream(app, tab, args.seconds, profile))
            if profile is not None:
                out = io.StringIO()
                stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
                stats.print_stats(args.profile)
                mode = "presenting" if presenting else "normal"
                print(f"--- {title}, {mode}: cumulative ---\n{out.getvalue()}", file=sys.stderr)
                out = io.StringIO()
                pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.profile)
                print(f"--- {title}, {mode}: own time ---\n{out.getvalue()}", file=sys.stderr)
        window.set_presentation(False)
        rows.append((title, figures))
        print(f"measured {title}", file=sys.stderr, flush=True)
    window.close()
    names = {False: "normal", True: "presenting"}
    head = "".join(f" {names[m] + ' ms/frame':>20} {'worst':>7} {'refresh/s':>9}" for m in modes)
    print(f"{'tab':<17}{head}")
    for title, figures in rows:
        cells = "".join(f" {ms:>20.1f} {worst:>7.1f} {rate:>9.0f}" for ms, worst, rate in figures)
        print(f"{title:<17}{cells}")
    print("GUI thread CPU time (time.thread_time) per refresh; target < 10 ms/frame")


if __name__ == "__main__":
    main()
