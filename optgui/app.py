"""The optgui application: main window, keyboard shortcuts and command line."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, QMargins, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from optgui import __version__
from optgui.gui import export, keys_help, look, pacing, placement, presenter, session, workers
from optgui.gui import settings as places
from optgui.gui.layout import Fence
from optgui.gui.predict import install as install_predict
from optgui.gui.settings import app_settings
from optgui.gui.style import Look, configure_pyqtgraph
from optgui.gui.tab import ExperimentTab
from optgui.gui.welcome import Welcome
from optgui.paths import resource
from optgui.tabs import TABS

APP_NAME = "optgui"
DESKTOP_ID = "io.github.optgui.optgui"
#: The window has been up this long (ms) when the first run's libraries are imported.
PRELOAD_MS = 1000
#: Where the window's geometry is remembered between starts (in app_settings()).
GEOMETRY_KEY, FRAME_KEY, MAXIMIZED_KEY = "window/geometry", "window/frame", "window/maximized"


class _Page(Fence):
    """A tab page; the tab itself is built the first time it is needed.

    The tab fills the page, a :class:`~optgui.gui.layout.Fence`: the window's
    QTabWidget repaints the whole window for every layout request that reaches it.
    """

    def __init__(self, title: str, load):
        super().__init__()
        self.title, self.load = title, load

    @property
    def tab(self) -> ExperimentTab | None:
        return self.widget  # type: ignore[return-value]


class MainWindow(QMainWindow):
    """One window, six tabs; shortcuts act on the tab in front."""

    def __init__(self):
        super().__init__()
        self.setObjectName("main_window")
        self.setWindowTitle("optgui — optimisation and Newton's method, live")
        self.setWindowIcon(QIcon(str(resource("optgui.svg"))))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.setDocumentMode(True)
        self.welcome = Welcome()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.welcome)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        # Tabs are built when first shown, so the window appears quickly; a session's
        # state for a tab not built yet waits in _pending until it is.
        self._pages = [_Page(title, load) for title, load in TABS]
        self._pending: dict[str, dict] = {}
        for page in self._pages:
            self.tabs.addTab(page, page.title)
        self.presentation = False
        self._current = None
        self.tabs.currentChanged.connect(self._tab_switched)
        self._build_shortcuts()  # (first: the help lists keys in the order they are made)
        self._build_menus()
        self.statusBar().showMessage("Press Space to play, → to take one step.")
        self.resize(placement.COMFORTABLE)  # main() places it on its screen (see place())
        self.remembers_geometry = True  # closeEvent saves the geometry for the next start
        self._geometry_before_presenting: tuple[QByteArray, QRect, bool] | None = None
        self._normal_palette = QApplication.instance().palette()
        saved = app_settings().value("view/font_pt", look.DEFAULT_FONT_PT)
        try:
            self.set_font_size(int(saved))
        except (TypeError, ValueError):
            self.set_font_size(look.DEFAULT_FONT_PT)
        self.presenter = presenter.install(self)  # pointer, pen, step counter, caption
        self.predictor = install_predict(self)  # G: guess each step before → shows it

    # -- tabs ---------------------------------------------------------------
    def tab(self, index_or_title: int | str) -> ExperimentTab:
        """The tab at ``index`` or called ``title`` (built now if it was not yet)."""
        if isinstance(index_or_title, int):
            page = self._pages[index_or_title]
        else:
            page = next((p for p in self._pages if p.title == index_or_title), None)
            if page is None:
                raise KeyError(index_or_title)
        if page.tab is None:
            self._build(page)
        return page.tab

    def show_tab(self, index_or_title: int | str) -> ExperimentTab:
        """Bring a tab to the front (as a click on it would) and return it."""
        tab = self.tab(index_or_title)
        self.tabs.setCurrentIndex(next(i for i, p in enumerate(self._pages) if p.tab is tab))
        return tab

    def _build(self, page: _Page) -> None:
        pen = Look.pen
        if self.presentation:  # built at normal widths: apply_look below scales them once
            Look.pen = getattr(self, "_normal_pen", pen)
        try:
            tab = page.load()()
        finally:
            Look.pen = pen
        page.set_widget(tab)
        tab.status_changed.connect(lambda text, tab=tab: self._tab_status(tab, text))
        if Look.font_pt != look.DEFAULT_FONT_PT or self.presentation:
            look.apply_look(tab, self._pen_scale())
        if self.presentation:
            look.set_secondary_visible(tab, False)
            tab.set_staged(True)
        state = self._pending.pop(page.title, None)
        if state is not None:
            try:
                tab.read_session(state)()
            except (session.SessionError, ValueError, TypeError, KeyError) as error:
                tab.set_status(f"The saved settings of this tab were not restored: {error}.")

    def all_tabs(self) -> list[ExperimentTab]:
        """Every tab (building those not shown yet)."""
        return [self.tab(i) for i in range(len(self._pages))]

    def built_tabs(self) -> list[ExperimentTab]:
        return [page.tab for page in self._pages if page.tab is not None]

    @property
    def current(self) -> ExperimentTab:
        return self.tab(self.tabs.currentIndex())

    def _tab_switched(self, index: int) -> None:
        previous = self._current
        if previous is not None and previous is not self.current:
            previous.stop()
        self._current = self.current
        self.statusBar().showMessage(self.current.status or "Press Space to play.")

    def _tab_status(self, tab: ExperimentTab, text: str) -> None:
        if tab is self.current:
            self.statusBar().showMessage(text)

    # -- menus and keys -----------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        for text, key, slot in (
            ("&Open session…", QKeySequence.StandardKey.Open, self.ask_open_session),
            ("&Save session…", QKeySequence.StandardKey.Save, self.ask_save_session),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(slot)
            file_menu.addAction(action)
        file_menu.addSeparator()
        for text, key, slot in (
            ("Export &plot (PNG or SVG)…", "Ctrl+E", self.export_plot),
            ("Export step &history (CSV)…", "Ctrl+Shift+E", self.export_history),
            ("Export run as Python &script…", "", self.export_run_script),
            ("Export run as &notebook (.ipynb)…", "", self.export_run_notebook),
            ("Save &window as PNG…", "", self.export_window),
        ):
            action = QAction(text, self)
            if key:
                action.setShortcut(QKeySequence(key))
            action.triggered.connect(slot)
            file_menu.addAction(action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("&View")
        for text, keys, slot in (
            ("Larger text", (QKeySequence.StandardKey.ZoomIn, "Ctrl+="), lambda: self.zoom(+1)),
            ("Smaller text", (QKeySequence.StandardKey.ZoomOut,), lambda: self.zoom(-1)),
            ("Normal text", ("Ctrl+0",), lambda: self.zoom(0)),
        ):
            action = keys_help.describe(QAction(text, self), "Larger / smaller / normal text")
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.triggered.connect(slot)
            view_menu.addAction(action)
        view_menu.addSeparator()
        self.presentation_action = QAction("&Presentation mode", self)
        self.presentation_action.setObjectName("presentation")
        self.presentation_action.setCheckable(True)
        self.presentation_action.setShortcut(QKeySequence("F5"))
        self.presentation_action.setToolTip(
            "Full screen, large text, thick lines, side panels hidden (F5)"
        )
        self.presentation_action.toggled.connect(self.set_presentation)
        keys_help.describe(self.presentation_action, "Presentation mode on / off")
        view_menu.addAction(self.presentation_action)
        help_menu = self.menuBar().addMenu("&Help")
        keys = QAction("&Keyboard shortcuts", self)
        keys.triggered.connect(self.show_shortcuts)
        help_menu.addAction(keys)
        about = QAction("&About optgui", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)
        # The window holds the actions too: their keys work while presenting hides the menus.
        for menu in (file_menu, view_menu):
            self.addActions(menu.actions())

    def _build_shortcuts(self) -> None:
        def bind(key: str, action, text: str) -> None:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(action)
            keys_help.describe(shortcut, text)

        bind("Space", lambda: self.current.toggle_play(), "Play / pause the run")
        bind(
            "Right",
            lambda: self.current.reveal_line(+1) or self.current.step(),
            "One step (while paused); on the Derivation page: its next line",
        )
        bind(
            "Left",
            self._previous_step,
            "Show the previous recorded step; on the Derivation page: one line back",
        )
        bind("R", lambda: self.current.reset(), "Reset to the starting values")
        bind("N", lambda: self.current.new_start(), "New random start")
        bind("P", lambda: self.current.pin_run(), "Pin this run: keep it drawn beside the next")
        bind("Shift+P", lambda: self.current.clear_pins(), "Clear the pinned runs")
        for i in range(self.tabs.count()):
            n = self.tabs.count()
            bind(f"Ctrl+{i + 1}", lambda i=i: self.tabs.setCurrentIndex(i), f"Go to tab 1 … {n}")
        bind("Escape", lambda: self.set_presentation(False), "Leave presentation mode")
        views = "Presentation: the stage's next / previous view"
        bind("V", lambda: self._stage_view(None, +1), views)
        bind("Shift+V", lambda: self._stage_view(None, -1), views)
        for i in range(6):
            bind(
                str(i + 1),
                lambda i=i: self._stage_view(i),
                "Presentation: show view 1 … 6 of the stage",
            )

    def _stage_view(self, index: int | None, step: int = 1) -> None:
        if self.current.show_stage_view(index, step):
            self.presenter.clear()  # a drawing belongs to the picture it was drawn on
        elif not self.presentation:
            self.statusBar().showMessage("Views are for presentation mode: press F5.")

    def _previous_step(self) -> None:
        tab = self.current
        if tab.reveal_line(-1):
            return
        if not tab.engine.running:
            tab.controls.timeline.setValue(max(0, tab.controls.timeline.value() - 1))

    def show_shortcuts(self) -> keys_help.ShortcutsDialog:
        """Help → Keyboard shortcuts: every key of the window (not modal)."""
        dialog = keys_help.ShortcutsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About optgui",
            f"<b>optgui {__version__}</b><p>Live experiments for the lecture "
            "“Optimization in Neural Networks and Newton's Method”.</p>",
        )

    # -- sessions -------------------------------------------------------------
    def session_tabs(self) -> dict:
        states = dict(self._pending)  # tabs not built yet keep what was restored
        states.update({tab.title: tab.session_state() for tab in self.built_tabs()})
        return states

    def save_session(self, path) -> None:
        """Every tab's settings and step count, as versioned JSON (atomic write)."""
        session.save(path, self.session_tabs(), self.current.title)

    def open_session(self, path) -> str:
        """Restore a session; on any problem change nothing and return the reason.

        A tab not built yet gets its state when first shown; a problem in that
        state is reported then, in the tab's status, and the tab starts fresh.
        """
        try:
            document = session.load(path)
            appliers, pending = [], {}
            for page in self._pages:
                state = document["tabs"].get(page.title)
                if state is None:
                    continue
                if page.tab is None:  # checked and applied when the tab is built
                    if not isinstance(state, dict):
                        raise session.SessionError(f"the state of {page.title} is damaged")
                    pending[page.title] = state
                else:
                    appliers.append(page.tab.read_session(state))
        except (session.SessionError, ValueError, TypeError, KeyError) as error:
            reason = (
                str(error)
                if isinstance(error, session.SessionError)
                else (f"the session is damaged ({error})")
            )
            self.statusBar().showMessage(f"Could not open the session: {reason}. Nothing changed.")
            return reason
        self._pending.update(pending)
        for apply in appliers:
            apply()
        titles = [page.title for page in self._pages]
        if document["current"] in titles:
            self.tabs.setCurrentIndex(titles.index(document["current"]))
        self.statusBar().showMessage(f"Opened the session {Path(path).name}.")
        return ""

    def ask_save_session(self) -> None:
        path = export.ask_save_path(
            self, "Save session", "lesson.optgui.json", "optgui session (*.json)"
        )
        if not path:
            return
        try:
            self.save_session(path)
        except (OSError, session.SessionError) as error:
            QMessageBox.warning(self, "Could not save", f"The session was not saved: {error}")
            return
        self.statusBar().showMessage(f"Saved the session as {path}")

    def ask_open_session(self) -> None:
        settings = app_settings()
        folder = str(settings.value("export/folder", places.documents_folder()))
        path, _ = QFileDialog.getOpenFileName(
            self, "Open session", folder, "optgui session (*.json);;All files (*)"
        )
        if not path:
            return
        settings.setValue("export/folder", str(Path(path).parent))
        reason = self.open_session(path)
        if reason:
            QMessageBox.warning(
                self,
                "Could not open the session",
                f"{reason[:1].upper()}{reason[1:]}.\n\nNothing was changed.",
            )

    def last_session_path(self) -> Path:
        return places.last_session_path()

    def restore_last_session(self) -> None:
        path = places.last_session_to_read()
        if path is not None:
            self.open_session(path)

    # -- export ---------------------------------------------------------------
    def export_plot(self) -> None:
        plots = export.visible_plots(self.current)
        try:
            path = export.ExportPlotDialog(self, plots).run()
        except OSError as error:
            self.statusBar().showMessage(f"Could not export the plot: {error}")
            return
        if path:
            self.statusBar().showMessage(f"Saved the plot as {path}")

    def export_history(self) -> None:
        tab = self.current
        if not len(tab.history):
            self.statusBar().showMessage("No steps yet: run a few steps, then export them.")
            return
        name = tab.title.lower().replace(" ", "-") + "-history.csv"
        path = export.ask_save_path(self, "Export step history", name, "CSV file (*.csv)")
        if not path:
            return
        try:
            export.export_history_csv(
                tab.history_columns(), tab.history.rows, path, tab.history.segments
            )
        except OSError as error:
            self.statusBar().showMessage(f"Could not save the history: {error}")
            return
        self.statusBar().showMessage(f"Saved {len(tab.history)} steps to {path}")

    def export_run_script(self) -> None:
        """The current tab's run as a Python script that reproduces it (a name ending in
        .ipynb gives a notebook)."""
        self._export_run(notebook=False)

    def export_run_notebook(self) -> None:
        """The current tab's run as a Jupyter notebook with the script's cells."""
        self._export_run(notebook=True)

    def _export_run(self, notebook: bool) -> None:
        from optgui.gui import run_export

        tab = self.current
        try:
            run_export.run_script(tab)  # (a run that cannot be exported says so first)
        except run_export.ScriptError as error:
            self.statusBar().showMessage(str(error))
            return
        kinds = ("Jupyter notebook (*.ipynb)", "Python script (*.py)")
        path = export.ask_save_path(
            self,
            "Export run as notebook" if notebook else "Export run as Python script",
            run_export.default_name(tab, notebook),
            ";;".join(kinds if notebook else kinds[::-1]),
        )
        if not path:
            return
        if Path(path).suffix.lower() not in (".py", ".ipynb"):
            path += ".ipynb" if notebook else ".py"
        try:
            written = run_export.export_run(tab, path)
        except (OSError, run_export.ScriptError) as error:
            self.statusBar().showMessage(f"Could not export the run: {error}")
            return
        beside = f" (its data in {written[1].name})" if len(written) > 1 else ""
        self.statusBar().showMessage(
            f"Saved the run of {len(tab.history)} steps as {path}{beside}"
        )

    def export_window(self) -> None:
        path = export.ask_save_path(self, "Save window as PNG", "optgui.png", "PNG image (*.png)")
        if not path:
            return
        try:
            export.export_widget_png(self, path)
        except OSError as error:
            self.statusBar().showMessage(f"Could not save the picture: {error}")
            return
        self.statusBar().showMessage(f"Saved the window as {path}")

    # -- zoom and presentation --------------------------------------------------
    def set_font_size(self, points: int) -> int:
        """Font size of the whole window (plots and formulas included)."""
        points = look.set_font_size(points)
        look.apply_look(self, self._pen_scale())
        return points

    def _pen_scale(self) -> float:
        return look.PRESENTATION_PEN if self.presentation else 1.0

    def zoom(self, direction: int) -> None:
        """Ctrl+Plus (+1), Ctrl+Minus (−1), Ctrl+0 (0, back to normal); remembered."""
        factor = (
            look.presentation_factor(self.screen().availableGeometry().width())
            if self.presentation
            else 1.0
        )
        base = look.DEFAULT_FONT_PT * factor
        target = round(base) if direction == 0 else Look.font_pt + 2 * direction
        points = self.set_font_size(target)
        normal = points / factor
        app_settings().setValue("view/font_pt", int(round(normal)))
        self.statusBar().showMessage(f"Text size {points} pt (Ctrl+0 for normal)")

    def set_presentation(self, on: bool) -> None:
        """Projector mode: full screen, twice the text, thick lines, no side panels."""
        if on == self.presentation:
            return
        app = QApplication.instance()
        if on:
            self._normal_font_pt = Look.font_pt
            self._normal_pen = Look.pen
            self.presentation = True
            Look.pen = self._normal_pen * look.PRESENTATION_PEN
            app.setPalette(look.high_contrast_palette())
            factor = look.presentation_factor(self.screen().availableGeometry().width())
            self.set_font_size(round(self._normal_font_pt * factor))
            look.set_secondary_visible(self, False)
            self._was_maximized = self.isMaximized()
            self._geometry_before_presenting = self._geometry_now()
            self.showFullScreen()
        else:
            self.presentation = False
            Look.pen = getattr(self, "_normal_pen", Look.pen)
            app.setPalette(self._normal_palette)
            self.set_font_size(getattr(self, "_normal_font_pt", look.DEFAULT_FONT_PT))
            look.set_secondary_visible(self, True)
        # Only the lesson on screen: no banner, menus or status chatter while presenting.
        self.welcome.setVisible(not on and not self.welcome.dismissed)
        self.menuBar().setVisible(not on)
        self.statusBar().setVisible(not on)
        for tab in self.built_tabs():
            tab.set_staged(on)
        if not on:
            self.showMaximized() if getattr(self, "_was_maximized", False) else self.showNormal()
        if self.presentation_action.isChecked() != on:
            self.presentation_action.setChecked(on)
        self.statusBar().showMessage(
            "Presentation mode: F5 to leave; Space plays, → steps."
            if on
            else "Presentation mode off."
        )

    # -- geometry -------------------------------------------------------------
    def place(self, size: QSize | None = None) -> placement.Placement:
        """Put the (hidden) window inside the screen it opens on.

        ``size`` is honoured as given. Without it, the geometry of the last start
        is restored when its frame fits the available area of the screen it
        reopens on; otherwise the window gets a comfortable size, or, on a smaller
        screen, all of the available area, maximised. The geometry is set as well,
        for X servers without a window manager (which ignore "maximised").
        """
        if size is not None:
            available = QGuiApplication.primaryScreen().availableGeometry()
            chosen = placement.Placement(placement.requested(available, size), maximized=False)
            self.setGeometry(chosen.geometry)
            return chosen
        state, saved = saved_geometry()
        screen = None
        if saved is not None:
            screen = QGuiApplication.screenAt(saved.frame.center())
        available = (screen or QGuiApplication.primaryScreen()).availableGeometry()
        chosen = placement.choose(available, saved)
        if chosen.restore:
            if self.restoreGeometry(state):
                return chosen
            chosen = placement.fit(available)
        self.setGeometry(chosen.geometry)
        if chosen.maximized:
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        return chosen

    def _geometry_now(self) -> tuple[QByteArray, QRect, bool]:
        """Qt's saved geometry, the frame the window has when not maximised, maximised?"""
        maximized = self.isMaximized()
        frame = self.frameGeometry()
        if maximized:  # the normal geometry, with the frame's margins around it
            inner = self.geometry()
            margins = QMargins(
                inner.left() - frame.left(),
                inner.top() - frame.top(),
                frame.right() - inner.right(),
                frame.bottom() - inner.bottom(),
            )
            normal = self.normalGeometry()
            frame = normal.marginsAdded(margins) if normal.isValid() else QRect()
        return self.saveGeometry(), frame, maximized

    def save_geometry(self) -> None:
        """Remember the geometry for the next start (the one before presenting, if on)."""
        state = self._geometry_now()
        if self.presentation and self._geometry_before_presenting is not None:
            state = self._geometry_before_presenting
        settings = app_settings()
        for key, value in zip((GEOMETRY_KEY, FRAME_KEY, MAXIMIZED_KEY), state, strict=True):
            settings.setValue(key, value)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        if self._current is None:  # build the tab in front (the others wait for a click)
            self._tab_switched(self.tabs.currentIndex())
            QTimer.singleShot(PRELOAD_MS, self, pacing.preload)
        super().showEvent(event)

    # -- shutdown -----------------------------------------------------------
    def stop_all(self) -> None:
        for tab in self.built_tabs():
            tab.stop()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.stop_all()
        workers.shutdown()  # no worker process outlives the window
        if self.remembers_geometry:
            self.save_geometry()
        try:
            path = self.last_session_path()
            path.parent.mkdir(parents=True, exist_ok=True)
            self.save_session(path)
        except (OSError, session.SessionError, ValueError, TypeError):
            pass  # closing must never fail; the last session is a convenience
        super().closeEvent(event)


def application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication (created once), with name, icon and desktop file name."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("optgui")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("optgui")
    join_desktop(app)
    hints = app.styleHints()
    if hasattr(hints, "setColorScheme"):  # Qt 6.8+: a dark desktop keeps optgui light
        hints.setColorScheme(Qt.ColorScheme.Light)  # (plots and formulas are drawn for it)
    app.setWindowIcon(QIcon(str(resource("optgui.svg"))))
    configure_pyqtgraph()
    font = app.font()
    font.setPointSize(Look.font_pt)
    app.setFont(font)
    return app


def join_desktop(app: QApplication) -> str:
    """Tie the app to the desktop's launcher entry; returns what it did, in words.

    Linux: the ``.desktop`` entry's name (Wayland finds the icon and the menu entry
    by it). Windows: the AppUserModelID, so the taskbar groups the window under
    optgui's icon, not python's. macOS: nothing (the bundle's Info.plist does it).
    """
    if sys.platform.startswith("linux"):
        app.setDesktopFileName(DESKTOP_ID)
        return f"desktop file {DESKTOP_ID}"
    if sys.platform == "win32":
        try:
            import ctypes

            ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(DESKTOP_ID)
        except (AttributeError, OSError):  # (no shell32: not really Windows)
            return "no AppUserModelID"
        return f"AppUserModelID {DESKTOP_ID}"
    return "nothing"


def saved_geometry() -> tuple[QByteArray, placement.Saved | None]:
    """The geometry remembered from the last start (None if none, or damaged)."""
    settings = app_settings()
    state, frame = settings.value(GEOMETRY_KEY), settings.value(FRAME_KEY)
    if not isinstance(state, QByteArray) or not isinstance(frame, QRect):
        return QByteArray(), None
    maximized = str(settings.value(MAXIMIZED_KEY, "false")).lower() == "true"
    return state, placement.Saved(frame, maximized)


def create_window() -> MainWindow:
    """The main window, without entering the event loop (for tests and scripts)."""
    app = application()
    window = MainWindow()
    app.aboutToQuit.connect(window.stop_all)
    window.restore_last_session()
    return window
