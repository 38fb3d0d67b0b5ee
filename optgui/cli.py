"""The ``optgui`` command: its options, and what it does with them before the event loop."""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from optgui import __version__
from optgui.app import MainWindow, application, create_window
from optgui.gui import background, placement
from optgui.gui.layout import settle
from optgui.gui.mathtext import typeset_waiting


def find_tab(window: MainWindow, name: str) -> int:
    """Index of the tab called ``name`` (case and punctuation tolerant)."""

    def norm(s: str) -> str:
        return "".join(ch for ch in s.lower() if ch.isalnum())

    wanted = norm(name)
    titles = [norm(window.tabs.tabText(i)) for i in range(window.tabs.count())]
    for i, title in enumerate(titles):
        if title == wanted:
            return i
    for i, title in enumerate(titles):
        if wanted and wanted in title:
            return i
    raise SystemExit(
        f"optgui: no tab called {name!r}; tabs are: "
        + ", ".join(window.tabs.tabText(i) for i in range(window.tabs.count()))
    )


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="optgui",
        description="Live experiments: gradient descent, backpropagation and Newton's method.",
    )
    parser.add_argument("--tab", help="open this tab, e.g. 'Regression' or 'Newton 2-D'")
    parser.add_argument("--steps", type=int, default=0, help="run N steps, then pause")
    parser.add_argument("--screenshot", metavar="PATH", help="save the window as PNG and quit")
    parser.add_argument(
        "--size",
        help="window size WxH (default: as last time, or as large as fits the screen)",
    )
    parser.add_argument(
        "--presentation", action="store_true", help="start in presentation mode (F5 toggles)"
    )
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="take a few steps in every tab, print a line per tab and quit (1 on failure)",
    )
    parser.add_argument(  # for tests: where the window and its controls are on the screen
        "--report-geometry", metavar="PATH", help=argparse.SUPPRESS
    )
    parser.add_argument("--version", action="version", version=f"optgui {__version__}")
    return parser.parse_args(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    multiprocessing.freeze_support()  # a frozen app started as a worker process steps, then ends
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        size = placement.parse_size(args.size) if args.size else None
    except ValueError:
        raise SystemExit("optgui: --size takes WxH, e.g. 1024x768") from None
    app = application()
    window = create_window()
    # a size asked for, a screenshot or a smoke test leave the remembered geometry alone
    window.remembers_geometry = not (size or args.screenshot or args.smoke_test)
    placed = window.place(size)
    if args.tab:
        window.tabs.setCurrentIndex(find_tab(window, args.tab))
    window.show()
    if args.smoke_test:
        from optgui.smoke import run_smoke_test

        code = run_smoke_test(window)
        window.close()
        return code
    if args.presentation:
        window.set_presentation(True)
        window.setGeometry(window.screen().availableGeometry())  # (no window manager: X tests)

    def save_and_quit() -> None:
        background.wait_idle(5.0)  # formulas and verdicts still being worked out
        typeset_waiting()
        QApplication.processEvents()  # (lay out the typeset formulas)
        settle()  # (every level of nesting, to the window)
        window.grab().save(args.screenshot)
        window.close()

    def report_when_shown(tries: int = 250) -> None:
        handle = window.windowHandle()
        if tries > 0 and not (handle is not None and handle.isExposed()):
            QTimer.singleShot(20, lambda: report_when_shown(tries - 1))
            return
        QApplication.processEvents()  # (lay out what the first frames built)
        text = json.dumps(placement.report(window, placed), indent=1)
        Path(args.report_geometry).write_text(text, encoding="utf-8")
        if not args.screenshot:
            window.close()

    def finish() -> None:
        if args.report_geometry:
            report_when_shown()
        if args.screenshot:
            QTimer.singleShot(400, save_and_quit)

    def start() -> None:
        tab = window.current
        if args.steps > 0 and tab._prepare():

            def done(state: str) -> None:
                if state != "playing":
                    tab.engine.state_changed.disconnect(done)
                    finish()

            tab.engine.state_changed.connect(done)
            tab.engine.replay([(args.steps, tab.engine.factory)])  # at full speed, then pause
        else:
            finish()

    QTimer.singleShot(200, start)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
