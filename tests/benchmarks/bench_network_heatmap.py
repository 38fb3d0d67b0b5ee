"""Benchmark: probability-map updates per second in the 2-2-1 Network tab at full speed.

Runs the real window (offscreen unless a display is set) on the XOR blobs with the
run engine at maximum speed for a few seconds and prints how often the 200 × 200
probability map (and everything else on the tab) was redrawn, next to the training
steps per second and the batches the engine sent (at most 1/engine.FRAME a second:
the display rate). A map update for every batch means the heatmap keeps up.

    python tests/benchmarks/bench_network_heatmap.py [seconds] [--size WxH] [--width H]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seconds", type=float, nargs="?", default=5.0)
    parser.add_argument("--size", default="1920x1080", help="window size WxH")
    parser.add_argument("--width", type=int, default=2, help="hidden units (1 to 8)")
    parser.add_argument(
        "--speed", type=float, default=0, help="steps per second (0 = full speed, the default)"
    )
    parser.add_argument(
        "--switch", type=float, default=0.0, help="sys.setswitchinterval in ms (0 = as is)"
    )
    args = parser.parse_args()
    if args.switch:
        sys.setswitchinterval(args.switch / 1000)

    from PySide6.QtCore import QTimer

    from optgui.app import application, create_window
    from optgui.gui.engine import FRAME

    app = application()
    window = create_window()
    w, h = (int(v) for v in args.size.split("x"))
    window.resize(w, h)
    window.show()
    tab = window.tab("2-2-1 Network")
    window.show_tab(tab.title)
    tab.width_box.setValue(args.width)
    tab.controls.limit.setValue(10_000_000)
    tab.engine.set_speed(args.speed)
    app.processEvents()

    frames: list[float] = []
    original = tab.plane.set_map

    def timed_set_map(p) -> None:
        original(p)
        if p is not None:
            frames.append(time.perf_counter())

    tab.plane.set_map = timed_set_map  # count the updates that really drew a map
    shown: list[float] = []
    original_draw = tab._draw

    def timed_draw(record) -> None:
        t0 = time.perf_counter()
        original_draw(record)
        shown.append(time.perf_counter() - t0)

    tab._draw = timed_draw

    batches: list[float] = []
    tab.engine.steps_ready.connect(lambda _records: batches.append(time.perf_counter()))

    def start() -> None:
        frames.clear()
        shown.clear()
        batches.clear()
        tab.toggle_play()

    def stop() -> None:
        tab.pause()
        app.quit()

    QTimer.singleShot(300, start)
    QTimer.singleShot(300 + int(args.seconds * 1000), stop)
    t0 = time.perf_counter()
    app.exec()
    elapsed = time.perf_counter() - t0 - 0.3
    steps = len(tab.history)
    window.close()
    span = frames[-1] - frames[0] if len(frames) > 1 else elapsed
    rate = (len(frames) - 1) / span if len(frames) > 1 else 0.0
    ms = 1000 * sum(shown) / len(shown) if shown else float("nan")
    print(
        f"2-{args.width}-1 network, {args.size}, {args.seconds:g} s at "
        f"{'full speed' if not args.speed else f'{args.speed:g} steps/s'}: "
        f"{steps} steps ({steps / elapsed:,.0f} steps/s), "
        f"{len(batches)} batches from the engine (at most {1 / FRAME:g}/s), "
        f"{len(frames)} probability-map updates ({rate:.1f} per second, "
        f"{tab._grid_shape[0]}² grid), "
        f"{ms:.1f} ms per redraw of the tab's views",
        flush=True,
    )


if __name__ == "__main__":
    main()
