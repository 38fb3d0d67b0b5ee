"""A quick end-to-end check of a running optgui: every tab takes a few real steps.

Used by ``optgui --smoke-test`` (and by the frozen bundle in CI): it proves the
installed app can start, find its resources, typeset formulas, start its worker
process and run every tab's numeric core, in a few seconds, without a person.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

#: All tabs together must finish within this many seconds.
TIMEOUT = 20.0

#: A formula like the ones the tabs typeset (fractions, sub/superscripts, nabla).
FORMULA = r"x_{k+1} = x_k - \frac{f'(x_k)}{f''(x_k)},\ \nabla f = H^{-1} \sigma(z)"


def say(text: str) -> None:
    """Print one line at once (the bundle's stdout may be a pipe)."""
    print(text, flush=True)


def wait_until(condition: Callable[[], bool], deadline: float) -> bool:
    """Run the event loop until ``condition()`` holds or the deadline passes."""
    if condition():
        return True
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(10)

    def check() -> None:
        if condition() or time.monotonic() >= deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    return condition()


def _number(value: Any) -> str:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return "?"
    return f"{value:.4g}" if math.isfinite(value) else "not finite"


def describe(record: Any) -> str:
    """The headline number of a step record: a cost or a function value."""
    if record is None:
        return "no step"
    if hasattr(record, "cost"):
        return f"cost {_number(record.cost)}"
    if hasattr(record, "value"):
        return f"f {_number(record.value)}"
    parts = [  # a race of methods (Newton tabs): each one's current step
        f"{name} {describe(getattr(record, name))}"
        for name in ("newton", "descent")
        if getattr(record, name, None) is not None
    ]
    if parts:
        return ", ".join(parts)
    return f"step {getattr(record, 'k', '?')}"


def check_tab(tab: Any, steps: int, deadline: float) -> tuple[bool, str]:
    """Take ``steps`` steps in ``tab`` through its engine; (ok, one-line summary)."""
    engine = tab.engine
    tab.stop()  # a run that is playing would never end by itself
    errors: list[str] = []
    engine.failed.connect(errors.append)
    speed = engine.speed
    before = len(tab.history)
    try:
        engine.set_speed(0)
        if not tab._prepare():
            return False, f"cannot start: {tab.status or 'no reason given'}"
        engine.step_in_background(steps)  # in the worker process, as a Play runs
        if not wait_until(lambda: not engine.running, deadline):
            engine.stop()
            return False, f"still running after the time limit ({len(tab.history) - before} steps)"
    finally:
        engine.set_speed(speed)
        engine.failed.disconnect(errors.append)
    taken = len(tab.history) - before
    outcome = engine.outcome
    if errors:
        return False, f"the computation failed: {errors[0]}"
    if taken < 1 and not (outcome is not None and outcome.message):
        return False, "took no step and gave no reason"
    text = f"{taken} step{'s' if taken != 1 else ''}, {describe(tab.history.last())}"
    if outcome is not None:
        text += f" ({outcome.status}: {outcome.message})"
    return True, text


def check_formula() -> tuple[bool, str]:
    """matplotlib's mathtext and its fonts are there (formulas typeset, not text)."""
    try:
        from matplotlib import font_manager

        from optgui.gui.mathtext import pixmap

        font = font_manager.findfont("DejaVu Sans", fallback_to_default=False)
        pm = pixmap(FORMULA)
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return False, f"{type(exc).__name__}: {exc}"
    if pm.isNull():
        return False, "the formula rendered to an empty picture"
    return True, f"typeset {pm.width()}x{pm.height()} px with {os.path.basename(font)}"


def check_icon() -> tuple[bool, str]:
    """The SVG icon is found and Qt can draw it (resources + SVG plugin bundled)."""
    from PySide6.QtGui import QIcon

    from optgui.paths import resource

    path = resource("optgui.svg")
    if not path.exists():
        return False, f"not found at {path}"
    if QIcon(str(path)).pixmap(48, 48).isNull():
        return False, f"Qt cannot draw {path} (SVG support missing?)"
    return True, f"{path}"


def check_export(window: Any) -> tuple[bool, str]:
    """A plot of the front tab saves as PNG and SVG (pyqtgraph exporters, QtSvg)."""
    try:
        from optgui.gui.export import export_plot_png, export_plot_svg, visible_plots
    except ImportError:
        return True, "skipped (no optgui.gui.export)"
    plots = visible_plots(window.current)
    if not plots:
        return True, "skipped (no plot in the front tab)"
    with tempfile.TemporaryDirectory(prefix="optgui-smoke-") as folder:
        try:
            png = export_plot_png(plots[0], Path(folder) / "plot.png", width=400)
            svg = export_plot_svg(plots[0], Path(folder) / "plot.svg")
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            return False, f"{type(exc).__name__}: {exc}"
        sizes = [p.stat().st_size if p.exists() else 0 for p in (png, svg)]
    if not all(sizes):
        return False, "an exported file is empty"
    return True, f"PNG {sizes[0]} bytes, SVG {sizes[1]} bytes"


def run_smoke_test(window: Any, steps: int = 5, timeout: float = TIMEOUT) -> int:
    """Open every tab of ``window``, take ``steps`` steps in each; 0 if all worked, else 1."""
    app = QApplication.instance()
    start = time.monotonic()
    deadline = start + timeout
    failures = 0

    for name, check in (("Formulas", check_formula), ("Icon", check_icon)):
        ok, text = check()
        failures += not ok
        say(f"{name}: {text}" if ok else f"FAILED {name}: {text}")

    tabs = window.tabs
    for i in range(tabs.count()):
        title = tabs.tabText(i)
        tabs.setCurrentIndex(i)
        app.processEvents()
        ok, text = check_tab(window.tab(i), steps, deadline)
        failures += not ok
        say(f"{title}: {text}" if ok else f"FAILED {title}: {text}")
    tabs.setCurrentIndex(0)
    app.processEvents()
    ok, text = check_export(window)
    failures += not ok
    say(f"Export: {text}" if ok else f"FAILED Export: {text}")

    elapsed = time.monotonic() - start
    if failures:
        say(f"Smoke test FAILED: {failures} problem(s) in {elapsed:.1f} s")
        return 1
    say(f"Smoke test passed: {tabs.count()} tabs in {elapsed:.1f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m optgui.smoke``: create the window, run the test, quit."""
    from optgui.app import create_window

    del argv
    window = create_window()
    window.show()
    code = run_smoke_test(window)
    window.close()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
